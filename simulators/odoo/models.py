"""The models and fields an Odoo of a given version serves, as ``fields_get`` describes them, and the
formats every model shares (dates, the admin's uid)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from . import catalogue

if TYPE_CHECKING:
    from .database import Database

DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"
VERSIONS = {
    16: {"server_version": "16.0", "server_version_info": [16, 0, 0, "final", 0, ""], "server_serie": "16.0"},
    17: {"server_version": "17.0", "server_version_info": [17, 0, 0, "final", 0, ""], "server_serie": "17.0"},
    18: {"server_version": "18.0", "server_version_info": [18, 0, 0, "final", 0, ""], "server_serie": "18.0"},
    19: {"server_version": "19.0", "server_version_info": [19, 0, 0, "final", 0, ""], "server_serie": "19.0"},
}
ADMIN_UID = 2
IMMUTABLE = {("product.product", "product_tmpl_id"), ("stock.quant", "product_id"), ("stock.quant", "location_id"),
             ("sale.order.line", "order_id"), ("res.users.apikeys", "user_id")}


def now_string() -> str:
    return datetime.now(UTC).strftime(DATETIME_FORMAT)


Getter = Callable[["Database", dict], Any]


@dataclass
class Field:
    name: str
    type: str
    string: str
    relation: str | None = None
    inverse_name: str | None = None
    selection: list[list[str]] | None = None
    required: bool = False
    readonly: bool = False
    compute: Getter | None = None
    # Writes of a computed or delegated field (e.g. a template field written on a variant).
    inverse: Callable[[Database, dict, Any], None] | None = None
    default: Any = False
    stored: bool = True

    @property
    def relational(self) -> bool:
        return self.type in ("many2one", "one2many", "many2many")

    def describe(self) -> dict:
        data: dict[str, Any] = {
            "type": self.type, "string": self.string, "required": self.required,
            "readonly": self.readonly or (self.compute is not None and self.inverse is None),
            "store": self.stored, "sortable": self.stored, "searchable": True, "groupable": self.stored,
            "manual": False, "company_dependent": False, "depends": [], "name": self.name, "help": "",
            "exportable": True, "change_default": False,
        }
        if self.relation:
            data["relation"] = self.relation
            data["domain"] = []
            data["context"] = {}
        if self.inverse_name:
            data["relation_field"] = self.inverse_name
        if self.selection is not None:
            data["selection"] = self.selection
        if self.type in ("float", "monetary"):
            data["digits"] = [16, 2]
        if self.type in ("char", "text", "html"):
            data["translate"] = False
            data["trim"] = True
        return data


@dataclass
class Model:
    name: str
    description: str
    fields: dict[str, Field]
    order: str = "id"
    rec_name: str = "name"
    # The stored fields a record of this model keeps in its own dict (others are computed).
    group: str = "Administration/Settings"

    @property
    def has_active(self) -> bool:
        return "active" in self.fields


def _f(name: str, type_: str, string: str, **options: Any) -> Field:
    return Field(name, type_, string, **options)


def _common_fields(model: str) -> list[Field]:
    return [
        _f("id", "integer", "ID", readonly=True),
        _f("create_date", "datetime", "Created on", readonly=True),
        _f("write_date", "datetime", "Last Updated on", readonly=True),
        _f("create_uid", "many2one", "Created by", relation="res.users", readonly=True),
        _f("write_uid", "many2one", "Last Updated by", relation="res.users", readonly=True),
        _f("display_name", "char", "Display Name", readonly=True, stored=False,
           compute=lambda db, rec: db.display_name_of(rec, model)),
    ]


def _model(name: str, description: str, fields: list[Field], **options: Any) -> Model:
    all_fields = {item.name: item for item in _common_fields(name) + fields}
    return Model(name, description, all_fields, **options)


TEMPLATE_SHARED = (
    "name", "list_price", "categ_id", "description_sale", "image_1920", "image_1024", "image_512", "image_256",
    "image_128", "weight", "sale_ok", "is_published", "company_id", "tracking", "type", "is_storable",
    "detailed_type", "product_tag_ids", "qty_available_template",
)


def build_models(version: int) -> dict[str, Model]:
    """The models and fields of an Odoo of ``version`` that the simulator serves."""
    modern = version >= 18
    type_selection = (
        [["consu", "Goods"], ["service", "Service"], ["combo", "Combo"]] if modern
        else [["consu", "Consumable"], ["service", "Service"], ["product", "Storable Product"]]
    )
    template_fields = [
        _f("name", "char", "Name", required=True),
        _f("active", "boolean", "Active", default=True),
        _f("default_code", "char", "Internal Reference", stored=False,
           compute=lambda db, rec: db.single_variant_value(rec, "default_code"),
           inverse=lambda db, rec, value: db.write_single_variant(rec, "default_code", value)),
        _f("barcode", "char", "Barcode", stored=False,
           compute=lambda db, rec: db.single_variant_value(rec, "barcode"),
           inverse=lambda db, rec, value: db.write_single_variant(rec, "barcode", value)),
        _f("list_price", "float", "Sales Price", default=1.0),
        _f("categ_id", "many2one", "Product Category", relation="product.category", default=1),
        _f("description_sale", "text", "Sales Description"),
        _f("weight", "float", "Weight", default=0.0),
        _f("sale_ok", "boolean", "Can be Sold", default=True),
        _f("is_published", "boolean", "Is Published"),
        _f("company_id", "many2one", "Company", relation="res.company"),
        _f("tracking", "selection", "Tracking", default="none",
           selection=[["serial", "By Unique Serial Number"], ["lot", "By Lots"], ["none", "By Quantity"]]),
        _f("type", "selection", "Product Type", selection=type_selection, default="consu", required=True),
        _f("product_tag_ids", "many2many", "Product Tags", relation="product.tag", default=list),
        _f("product_variant_ids", "one2many", "Products", relation="product.product",
           inverse_name="product_tmpl_id", stored=False,
           compute=lambda db, rec: db.children(rec, "product.product", "product_tmpl_id")),
        _f("product_variant_count", "integer", "# Product Variants", stored=False,
           compute=lambda db, rec: len(db.children(rec, "product.product", "product_tmpl_id"))),
        _f("qty_available", "float", "Quantity On Hand", stored=False,
           compute=lambda db, rec: db.template_quantity(rec)),
        _f("image_1920", "binary", "Image",
           compute=lambda db, rec: db.image(rec, 1920), inverse=lambda db, rec, value: db.set_image(rec, value)),
    ]
    for side in catalogue.ImageStore.SIZES:
        template_fields.append(
            _f(f"image_{side}", "binary", f"Image {side}", stored=False,
               compute=lambda db, rec, side=side: db.image(rec, side))
        )
    if modern:
        template_fields.append(_f("is_storable", "boolean", "Track Inventory"))
    else:
        template_fields.append(_f("detailed_type", "selection", "Product Type", selection=type_selection,
                                  default="consu", required=True))
    template = _model("product.template", "Product", template_fields, order="name, id",
                      group="Inventory/User")

    product_fields = [
        _f("product_tmpl_id", "many2one", "Product Template", relation="product.template", required=True),
        _f("active", "boolean", "Active", default=True),
        _f("default_code", "char", "Internal Reference"),
        _f("barcode", "char", "Barcode"),
        _f("lst_price", "float", "Sales Price", stored=False,
           compute=lambda db, rec: db.template_of(rec).get("list_price", 0.0)),
        _f("qty_available", "float", "Quantity On Hand", stored=False,
           compute=lambda db, rec: db.product_quantity(rec["id"])),
    ]
    own = {item.name for item in product_fields} | {"id", "create_date", "write_date", "create_uid", "write_uid",
                                                     "display_name"}
    for name, item in template.fields.items():
        if name in own or name in ("product_variant_ids", "product_variant_count"):
            continue
        delegated = copy.copy(item)
        delegated.stored = False
        delegated.compute = lambda db, rec, item=item: db.get(template, db.template_of(rec), item.name)
        delegated.inverse = lambda db, rec, value, name=name: db.write_template_of(rec, name, value)
        product_fields.append(delegated)
    product = _model("product.product", "Product Variant", product_fields, order="default_code, id",
                     group="Inventory/User")

    models = [
        template,
        product,
        _model("product.category", "Product Category", [
            _f("name", "char", "Name", required=True),
            _f("parent_id", "many2one", "Parent Category", relation="product.category"),
            _f("complete_name", "char", "Complete Name", stored=False,
               compute=lambda db, rec: db.complete_name(rec, "product.category", " / ")),
            _f("child_id", "one2many", "Child Categories", relation="product.category", inverse_name="parent_id",
               stored=False, compute=lambda db, rec: db.children(rec, "product.category", "parent_id")),
        ], order="complete_name, id", rec_name="complete_name", group="Inventory/User"),
        _model("product.tag", "Product Tag", [
            _f("name", "char", "Name", required=True),
            _f("color", "char", "Color"),
        ], group="Inventory/User"),
        _model("stock.location", "Inventory Locations", [
            _f("name", "char", "Location Name", required=True),
            _f("complete_name", "char", "Full Location Name", stored=False,
               compute=lambda db, rec: db.complete_name(rec, "stock.location", "/")),
            _f("location_id", "many2one", "Parent Location", relation="stock.location"),
            _f("usage", "selection", "Location Type", required=True, default="internal", selection=[
                ["supplier", "Vendor Location"], ["view", "View"], ["internal", "Internal Location"],
                ["customer", "Customer Location"], ["inventory", "Inventory Loss"],
                ["production", "Production"], ["transit", "Transit Location"]]),
            _f("active", "boolean", "Active", default=True),
            _f("company_id", "many2one", "Company", relation="res.company"),
        ], order="complete_name, id", rec_name="complete_name", group="Inventory/User"),
        _model("stock.lot", "Lot/Serial", [
            _f("name", "char", "Lot/Serial Number", required=True),
            _f("product_id", "many2one", "Product", relation="product.product", required=True),
            _f("company_id", "many2one", "Company", relation="res.company"),
        ], order="name, id", group="Inventory/User"),
        _model("stock.quant", "Quants", [
            _f("product_id", "many2one", "Product", relation="product.product", required=True, readonly=True),
            _f("location_id", "many2one", "Location", relation="stock.location", required=True, readonly=True),
            _f("lot_id", "many2one", "Lot/Serial Number", relation="stock.lot", readonly=True),
            _f("quantity", "float", "Quantity", readonly=True, default=0.0),
            _f("reserved_quantity", "float", "Reserved Quantity", readonly=True, default=0.0),
            _f("company_id", "many2one", "Company", relation="res.company", readonly=True),
        ], rec_name="product_id", group="Inventory/User"),
        _model("sale.order", "Sales Order", [
            _f("name", "char", "Order Reference", required=True, default="New"),
            _f("partner_id", "many2one", "Customer", relation="res.partner", required=True),
            _f("client_order_ref", "char", "Customer Reference"),
            _f("state", "selection", "Status", default="draft", selection=[
                ["draft", "Quotation"], ["sent", "Quotation Sent"], ["sale", "Sales Order"],
                ["cancel", "Cancelled"]]),
            _f("date_order", "datetime", "Order Date"),
            _f("company_id", "many2one", "Company", relation="res.company"),
            _f("order_line", "one2many", "Order Lines", relation="sale.order.line", inverse_name="order_id",
               stored=False, compute=lambda db, rec: db.children(rec, "sale.order.line", "order_id")),
            _f("amount_untaxed", "monetary", "Untaxed Amount", stored=False,
               compute=lambda db, rec: db.order_total(rec)),
            _f("amount_total", "monetary", "Total", stored=False, compute=lambda db, rec: db.order_total(rec)),
        ], order="date_order desc, id desc", group="Sales/User: Own Documents Only"),
        _model("sale.order.line", "Sales Order Line", [
            _f("order_id", "many2one", "Order Reference", relation="sale.order", required=True),
            _f("name", "text", "Description"),
            _f("product_id", "many2one", "Product", relation="product.product"),
            _f("product_uom_qty", "float", "Quantity", default=1.0),
            _f("price_unit", "float", "Unit Price"),
            _f("price_subtotal", "monetary", "Subtotal", stored=False,
               compute=lambda db, rec: round(rec.get("product_uom_qty", 0) * rec.get("price_unit", 0), 2)),
            _f("state", "selection", "Order Status", stored=False, selection=[
                ["draft", "Quotation"], ["sent", "Quotation Sent"], ["sale", "Sales Order"],
                ["cancel", "Cancelled"]],
               compute=lambda db, rec: db.records["sale.order"][rec["order_id"]]["state"]),
        ], order="order_id, id", group="Sales/User: Own Documents Only"),
        _model("res.partner", "Contact", [
            _f("name", "char", "Name"),
            _f("email", "char", "Email"),
            _f("phone", "char", "Phone"),
            _f("is_company", "boolean", "Is a Company"),
            _f("active", "boolean", "Active", default=True),
            _f("company_id", "many2one", "Company", relation="res.company"),
        ], order="name, id", group="Extra Rights/Contact Creation"),
        _model("res.users", "User", [
            _f("name", "char", "Name", required=True),
            _f("login", "char", "Login", required=True),
            _f("active", "boolean", "Active", default=True),
            _f("company_id", "many2one", "Company", relation="res.company"),
        ], order="name, login", group="Administration/Access Rights"),
        _model("res.company", "Companies", [
            _f("name", "char", "Company Name", required=True),
            _f("point_of_sale_update_stock_quantities", "selection", "Update quantities in stock", default="real",
               selection=[["closing", "At the session closing"], ["real", "In real time"]]),
        ], order="name, id", group="Administration/Settings"),
        _model("res.users.apikeys", "Users API Keys", [
            _f("name", "char", "Description", readonly=True),
            _f("user_id", "many2one", "User", relation="res.users", readonly=True),
            _f("scope", "char", "Scope", readonly=True),
        ] + ([_f("expiration_date", "datetime", "Expiration Date", readonly=True)] if modern else []),
            group="Administration/Access Rights"),
    ]
    return {model.name: model for model in models}
