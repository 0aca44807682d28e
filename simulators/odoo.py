"""A local server speaking Odoo's external APIs, hosting several Odoo "databases" with their own data.

Odoo is not reachable from our machines, so tests, ``make demo`` and the sync benchmarks point the
ERP connectors at this server. It speaks the protocols as Odoo does on the wire:

- **JSON-2** (Odoo 19+): ``POST /json/2/<model>/<method>`` with ``Authorization: bearer <key>``,
  ``X-Odoo-Database`` (required when several databases are hosted) and the method's parameters by
  name next to ``ids`` and ``context``. Errors are ``{name, message, arguments, context, debug}``
  with 401 (bad, expired or revoked key), 403 (AccessError), 404 (unknown model, method, record or
  database), 422 (UserError, ValidationError, bad parameters or fields), 400 (unparsable body),
  500 (anything else, and the failures asked for). A database older than 19 answers 404 there, as
  Odoo 17 has no such route. ``GET /web/version`` gives the version.
- **XML-RPC** ``/xmlrpc/2/common`` (``version``, ``login``, ``authenticate``), ``/xmlrpc/2/object``
  (``execute_kw``, ``execute``) and ``/xmlrpc/2/db`` (``list``, ``server_version``), faults as
  Odoo 16–19 send them: code 3 "Access Denied" for bad credentials, 4 for AccessError, 2 for
  UserError/ValidationError/MissingError, 1 with a traceback text otherwise.
- **JSON-RPC** ``/jsonrpc`` (the same services) and ``/web/webclient/version_info``, enough for
  the independent client ``odoorpc``.

Each database is also mounted alone under ``/_db/<name>/`` (a URL behaving like an Odoo server that
hosts only that database, with its own version), which is how one process stands in for an Odoo 19
and an Odoo 17 at once.

Models: product.template, product.product (template fields readable and searchable through it),
product.category, product.tag, stock.location, stock.lot, stock.quant, sale.order, sale.order.line,
res.partner, res.users, res.company (with ``point_of_sale_update_stock_quantities``) and
res.users.apikeys (each user sees its own keys and, from 18, their ``expiration_date``). Methods:
search_read, search, search_count, read, create, write, unlink, fields_get, name_search,
res.users.context_get, sale.order.action_confirm/action_cancel. Domains take Odoo's prefix
notation and operators (= != > >= < <= in, not in, like, ilike, =like, =ilike, not like, not
ilike, child_of, parent_of), dotted paths through many2one fields, names for relational fields,
and ``active_test`` in the context. many2one values read as ``[id, display_name]``; write_date is
set (UTC, "YYYY-MM-DD HH:MM:SS") by every write, never by stock moves. Versions 18 and 19 have
``type='consu'`` + ``is_storable``; 16 and 17 have ``detailed_type``/``type='product'``.

Simplified: one company, one currency and no taxes (amount_total = sum of quantity × price);
access rights are a set of readable and a set of writable models per user; action_confirm moves
stock at once as if the outgoing picking were validated (quants in internal locations go down,
possibly below zero as a forced validation would), action_cancel puts it back; quants that reach
zero stay until ``cleanup_quants`` (Odoo's periodic quant clean-up); no units of measure,
pricelists, variants attributes (a variant has a suffix in its name), translations, multi-company
rules, read_group, onchange or web client routes.

Test controls are methods of ``Database`` (``sim.db("name")``) and, for other processes, the admin
endpoints ``/_sim/...`` (listed in ``AdminRoutes``): seed, change items, sell in the shop, latency,
failures, key expiry and revocation, point-of-sale mode, quant clean-up.

Run alone: ``python -m simulators.odoo --port 8069 [--items 300]``; it prints the URL, databases,
logins, passwords and API keys of its demo databases.
"""

from __future__ import annotations

import argparse
import bisect
import copy
import itertools
import json
import random
import re
import signal
import sys
import threading
import time
import xmlrpc.client
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

from . import odoo_data
from ._http import BackgroundServer, QuietHandler

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


# -- errors ---------------------------------------------------------------------------------------


class OdooError(Exception):
    """An error as Odoo reports it: its exception's dotted name, HTTP status (JSON-2) and XML-RPC fault code."""

    name = "odoo.exceptions.UserError"
    status = 422
    fault_code = 2

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def debug(self) -> str:
        return (
            "Traceback (most recent call last):\n"
            '  File "/usr/lib/python3/dist-packages/odoo/http.py", line 2138, in _serve_db\n'
            f"{self.name.removeprefix('builtins.')}: {self.message}\n"
        )

    def json2_body(self) -> dict:
        return {"name": self.name, "message": self.message, "arguments": [self.message], "context": {},
                "debug": self.debug()}

    def fault(self) -> xmlrpc.client.Fault:
        # Code 1 (application error) carries the traceback text, the others the bare message.
        return xmlrpc.client.Fault(self.fault_code, self.debug() if self.fault_code == 1 else self.message)


class UserError(OdooError):
    pass


class ValidationError(UserError):
    name = "odoo.exceptions.ValidationError"


class MissingError(UserError):
    name = "odoo.exceptions.MissingError"
    status = 404


class AccessError(OdooError):
    name = "odoo.exceptions.AccessError"
    status = 403
    fault_code = 4


class AccessDenied(OdooError):
    name = "odoo.exceptions.AccessDenied"
    status = 401
    fault_code = 3

    def __init__(self, message: str = "Access Denied"):
        super().__init__(message)


class InvalidApiKey(AccessDenied):
    name = "werkzeug.exceptions.Unauthorized"

    def __init__(self) -> None:
        super().__init__("Invalid apikey")


class NotFound(OdooError):
    name = "werkzeug.exceptions.NotFound"
    status = 404
    fault_code = 1


class BadParams(OdooError):
    """A call's parameters do not fit the method (Python's TypeError in Odoo)."""

    name = "builtins.TypeError"
    status = 422
    fault_code = 1


class BadValue(OdooError):
    """An unknown field, a malformed domain or a wrong value (Python's ValueError in Odoo)."""

    name = "builtins.ValueError"
    status = 422
    fault_code = 1


class ServerError(OdooError):
    name = "builtins.Exception"
    status = 500
    fault_code = 1


# -- models ---------------------------------------------------------------------------------------

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
    for side in odoo_data.ImageStore.SIZES:
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


# -- domains --------------------------------------------------------------------------------------

OPERATORS = {"=", "!=", "<>", ">", ">=", "<", "<=", "in", "not in", "like", "ilike", "=like", "=ilike",
             "not like", "not ilike", "child_of", "parent_of"}
NEGATIVE = {"!=": "=", "<>": "=", "not in": "in", "not like": "like", "not ilike": "ilike"}
TRUE_LEAF = (1, "=", 1)
FALSE_LEAF = (0, "=", 1)


def parse_domain(domain: Any) -> tuple:
    """Odoo's prefix-notation domain as a tree: ('&', a, b), ('|', a, b), ('!', a) or a leaf tuple."""
    if domain in (None, False):
        domain = []
    if not isinstance(domain, list | tuple):
        raise BadValue(f"Invalid domain: {domain!r}")
    items = list(domain)

    def node(pos: int) -> tuple[tuple, int]:
        if pos >= len(items):
            raise BadValue(f"Invalid domain, missing operand: {domain!r}")
        item = items[pos]
        if item in ("&", "|"):
            left, pos = node(pos + 1)
            right, pos = node(pos)
            return (item, left, right), pos
        if item == "!":
            child, pos = node(pos + 1)
            return ("!", child), pos
        if not isinstance(item, list | tuple) or len(item) != 3:
            raise BadValue(f"Invalid leaf {item!r}")
        left, operator, right = item
        if isinstance(right, list | tuple):
            right = list(right)
        leaf = (left, str(operator).lower(), right)
        if leaf[:2] in ((1, "="), (0, "=")):
            return ("leaf", leaf), pos + 1
        if not isinstance(left, str) or leaf[1] not in OPERATORS:
            raise BadValue(f"Invalid leaf {item!r}")
        return ("leaf", leaf), pos + 1

    nodes = []
    pos = 0
    while pos < len(items):
        tree, pos = node(pos)
        nodes.append(tree)
    if not nodes:
        return ("leaf", TRUE_LEAF)
    tree = nodes[-1]
    for other in reversed(nodes[:-1]):
        tree = ("&", other, tree)
    return tree


def mentions(tree: tuple, field_name: str) -> bool:
    if tree[0] == "leaf":
        return tree[1][0] == field_name
    return any(mentions(child, field_name) for child in tree[1:])


def top_leaves(tree: tuple) -> list[tuple]:
    """The leaves ANDed at the top of a domain (those an index may narrow)."""
    if tree[0] == "leaf":
        return [tree[1]]
    if tree[0] == "&":
        return top_leaves(tree[1]) + top_leaves(tree[2])
    return []


def like_pattern(value: str, operator: str) -> re.Pattern:
    flags = re.IGNORECASE if "ilike" in operator else 0
    if operator.startswith("="):
        parts = []
        for char in value:
            parts.append(".*" if char == "%" else "." if char == "_" else re.escape(char))
        return re.compile("^" + "".join(parts) + "$", flags | re.DOTALL)
    return re.compile(re.escape(value), flags)


def normalize_datetime(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("T", " ")[:19]
    return value


# -- one database ---------------------------------------------------------------------------------


@dataclass
class Rights:
    read: frozenset[str]
    write: frozenset[str]


BOT_READ = frozenset({
    "product.template", "product.product", "product.category", "product.tag", "stock.location", "stock.lot",
    "stock.quant", "sale.order", "sale.order.line", "res.partner", "res.company", "res.users",
})
BOT_WRITE = frozenset({"sale.order", "sale.order.line", "res.partner"})
BOT_RIGHTS = Rights(BOT_READ, BOT_WRITE)


@dataclass
class Signature:
    on_records: bool
    params: list[tuple[str, Any]]
    access: str | None  # 'read', 'write', 'create', 'unlink' or None (no access check)
    models: frozenset[str] | None = None


REQUIRED = object()
SIGNATURES: dict[str, Signature] = {
    "search_read": Signature(False, [("domain", None), ("fields", None), ("offset", 0), ("limit", None),
                                     ("order", None)], "read"),
    "search": Signature(False, [("domain", REQUIRED), ("offset", 0), ("limit", None), ("order", None)], "read"),
    "search_count": Signature(False, [("domain", REQUIRED), ("limit", None)], "read"),
    "read": Signature(True, [("fields", None), ("load", "_classic_read")], "read"),
    "create": Signature(False, [("vals_list", REQUIRED)], "create"),
    "write": Signature(True, [("vals", REQUIRED)], "write"),
    "unlink": Signature(True, [], "unlink"),
    "fields_get": Signature(False, [("allfields", None), ("attributes", None)], None),
    "name_search": Signature(False, [("name", ""), ("domain", None), ("operator", "ilike"), ("limit", 100)], "read"),
    "action_confirm": Signature(True, [], "write", frozenset({"sale.order"})),
    "action_cancel": Signature(True, [], "write", frozenset({"sale.order"})),
    "context_get": Signature(False, [], None, frozenset({"res.users"})),
}
# Older names of the same parameters (Odoo 16–17 say args for search's domain, vals for create).
ALIASES = {"args": "domain", "vals": "vals_list"}


def bind(method: str, signature: Signature, args: list, kwargs: dict) -> dict:
    names = [name for name, _default in signature.params]
    if len(args) > len(names):
        raise BadParams(f"{method}() takes {len(names) + 1} positional arguments but {len(args) + 1} were given")
    params = dict(zip(names, args))
    for key, value in kwargs.items():
        key = ALIASES.get(key, key) if key not in names else key
        if key not in names:
            raise BadParams(f"{method}() got an unexpected keyword argument '{key}'")
        if key in params:
            raise BadParams(f"{method}() got multiple values for argument '{key}'")
        params[key] = value
    for name, default in signature.params:
        if name not in params:
            if default is REQUIRED:
                raise BadParams(f"{method}() missing 1 required positional argument: '{name}'")
            params[name] = default
    return params


def as_ids(value: Any) -> list[int]:
    if value in (None, False):
        return []
    if isinstance(value, int) and not isinstance(value, bool):
        return [value]
    if isinstance(value, list | tuple) and all(isinstance(item, int) and not isinstance(item, bool)
                                               for item in value):
        return list(value)
    raise BadValue(f"Invalid ids: {value!r}")


class Database:
    """One Odoo database: its models, records, users and keys, and the test controls."""

    def __init__(self, name: str, *, version: int = 19, company: str = "Ma Boutique", lang: str = "fr_BE"):
        if version not in VERSIONS:
            raise ValueError(f"Unsupported Odoo version {version}")
        self.name = name
        self.version = version
        self.lang = lang
        self.models = build_models(version)
        self.records: dict[str, dict[int, dict]] = {model: {} for model in self.models}
        self.next_id: dict[str, int] = dict.fromkeys(self.models, 1)
        self.generation: dict[str, int] = dict.fromkeys(self.models, 0)
        self.shape: dict[str, int] = dict.fromkeys(self.models, 0)
        # Undo log of the running call (None outside calls): each call is one transaction.
        self._journal: list[tuple] | None = None
        self.images = odoo_data.ImageStore()
        self.lock = threading.RLock()
        self.passwords: dict[int, str] = {}
        self.rights: dict[int, Rights | None] = {}
        self.credentials: list[dict] = []  # what the CLI prints
        self._cache: OrderedDict[tuple, Any] = OrderedDict()
        self._order_sequence = itertools.count(1)
        self._photo_numbers = itertools.count(10_000)
        self._pending_pos_sales: list[int] = []
        # Test controls.
        self.slow_ms = 0
        self._fail_after = 0
        self._fail_count = 0
        self._fail_status = 500
        self.calls = 0
        self._setup(company)

    # -- structure --------------------------------------------------------------------------------

    def _insert(self, model: str, values: dict, when: str | None = None, uid: int = 1) -> dict:
        """Store a record with its access-log fields; no checks (seeding and internal moves)."""
        record_id = values.get("id") or self.next_id[model]
        self.next_id[model] = max(self.next_id[model], record_id + 1)
        when = when or now_string()
        record = {"id": record_id, "create_date": when, "write_date": when, "create_uid": uid, "write_uid": uid}
        for name, item in self.models[model].fields.items():
            if item.stored and item.compute is None and name not in record:
                record[name] = item.default() if callable(item.default) else item.default
        record.update(values)
        self.records[model][record_id] = record
        self.generation[model] += 1
        self.shape[model] += 1
        if self._journal is not None:
            self._journal.append(("insert", model, record_id, None))
        return record

    def _touch(self, model: str, record: dict) -> dict:
        """Notes a record's values before a change (for the rollback of a failing call)."""
        if self._journal is not None:
            self._journal.append(("update", model, record["id"], dict(record)))
        return record

    def _setup(self, company: str) -> None:
        self._insert("res.company", {"id": 1, "name": company})
        self._insert("res.users", {"id": 1, "name": "OdooBot", "login": "__system__", "active": False,
                                   "company_id": 1})
        self.add_user("admin", "admin", name="Administrator", uid=ADMIN_UID, rights=None)
        self._insert("res.partner", {"name": company, "is_company": True, "company_id": 1})
        view = self._insert("stock.location", {"name": "WH", "usage": "view", "company_id": 1})
        self.stock_location = self._insert("stock.location", {"name": "Stock", "location_id": view["id"],
                                                              "company_id": 1})["id"]
        self.web_location = self._insert("stock.location", {"name": "Réservé web", "location_id":
                                                            self.stock_location, "company_id": 1})["id"]
        partners = self._insert("stock.location", {"name": "Partners", "usage": "view"})
        self.customer_location = self._insert("stock.location", {"name": "Customers", "usage": "customer",
                                                                 "location_id": partners["id"]})["id"]
        virtual = self._insert("stock.location", {"name": "Virtual Locations", "usage": "view"})
        self._insert("stock.location", {"name": "Inventory adjustment", "usage": "inventory",
                                        "location_id": virtual["id"]})
        self._insert("stock.location", {"name": "Scrap", "usage": "inventory", "location_id": virtual["id"]})
        self._insert("product.category", {"id": 1, "name": "All"})

    def add_user(self, login: str, password: str, *, name: str | None = None, uid: int | None = None,
                 rights: Rights | None = BOT_RIGHTS) -> int:
        """A user who can log in with ``password``; ``rights=None`` gives every right (an admin)."""
        with self.lock:
            values = {"name": name or login, "login": login, "company_id": 1}
            if uid:
                values["id"] = uid
            record = self._insert("res.users", values)
            self.passwords[record["id"]] = password
            self.rights[record["id"]] = rights
            self.credentials.append({"login": login, "password": password, "uid": record["id"]})
            return record["id"]

    def add_custom_field(self, name: str, type_: str, string: str, **options: Any) -> None:
        """A field a member added to its products (Odoo Studio's ``x_`` fields): stored on the
        template, readable and writable through its variants, listed by ``fields_get``."""
        if not name.startswith("x_"):
            raise ValueError("Custom fields' names start with x_")
        with self.lock:
            template = self.models["product.template"]
            item = _f(name, type_, string, **options)
            template.fields[name] = item
            delegated = copy.copy(item)
            delegated.stored = False
            delegated.compute = lambda db, rec: db.get(template, db.template_of(rec), name)
            delegated.inverse = lambda db, rec, value: db.write_template_of(rec, name, value)
            self.models["product.product"].fields[name] = delegated
            self._cache.clear()

    def add_api_key(self, uid: int, key: str | None = None, *, name: str = "marketplace",
                    expires: datetime | None = None) -> str:
        """An API key of ``uid`` (random if not given), valid until ``expires`` (never if None)."""
        key = key or "".join(random.SystemRandom().choice("0123456789abcdef") for _ in range(40))
        with self.lock:
            self._insert("res.users.apikeys", {
                "name": name, "user_id": uid, "scope": "rpc", "_key": key,
                "expiration_date": expires.astimezone(UTC).strftime(DATETIME_FORMAT) if expires else False,
            })
            login = self.records["res.users"][uid]["login"]
            self.credentials.append({"login": login, "api_key": key, "uid": uid,
                                     "expires": expires.isoformat() if expires else None})
        return key

    # -- authentication ---------------------------------------------------------------------------

    def _key_user(self, key: str) -> int | None:
        moment = now_string()
        for record in self.records["res.users.apikeys"].values():
            if record.get("_key") == key:
                expiry = record.get("expiration_date")
                if expiry and expiry <= moment:
                    return None
                return record["user_id"]
        return None

    def _active_user(self, uid: Any) -> dict | None:
        user = self.records["res.users"].get(uid) if isinstance(uid, int) else None
        return user if user and user["active"] else None

    def user_for_key(self, key: str) -> int:
        with self.lock:
            uid = self._key_user(key)
            if uid is None or not self._active_user(uid):
                raise InvalidApiKey()
            return uid

    def authenticate(self, login: str, password: str) -> int | bool:
        """uid for a login and a password or one of the user's API keys, else False (as Odoo)."""
        with self.lock:
            for user in self.records["res.users"].values():
                if user["login"] == login and user["active"]:
                    uid = user["id"]
                    if self.passwords.get(uid) == password or self._key_user(password) == uid:
                        return uid
            return False

    def check_credentials(self, uid: Any, password: str) -> int:
        with self.lock:
            if not self._active_user(uid) or not (
                self.passwords.get(uid) == password or self._key_user(password) == uid
            ):
                raise AccessDenied()
            return uid

    # -- controls: latency and failures -----------------------------------------------------------

    def set_slow(self, ms: int) -> None:
        """Every call on this database waits ``ms`` milliseconds before its answer."""
        self.slow_ms = max(0, int(ms))

    def fail(self, count: int = 1, *, after: int = 0, status: int = 500) -> None:
        """The ``count`` calls that follow the next ``after`` calls fail with ``status`` (a server failing
        mid-run: ``fail(1, after=K-1)`` breaks the K-th call)."""
        with self.lock:
            self._fail_after, self._fail_count, self._fail_status = max(0, after), max(0, count), status

    def before_call(self) -> int | None:
        """Counts a call, sleeps the asked latency; the status to fail with, if this call must fail."""
        with self.lock:
            self.calls += 1
            failing = None
            if self._fail_count:
                if self._fail_after:
                    self._fail_after -= 1
                else:
                    self._fail_count -= 1
                    failing = self._fail_status
        if self.slow_ms:
            time.sleep(self.slow_ms / 1000)
        return failing

    # -- records ------------------------------------------------------------------------------------

    def model(self, name: str) -> Model:
        model = self.models.get(name)
        if model is None:
            raise NotFound(f"the model {name!r} does not exist")
        return model

    def get(self, model: Model, record: dict, name: str) -> Any:
        item = model.fields[name]
        if item.compute is not None:
            return item.compute(self, record)
        return record.get(name, False)

    def template_of(self, product: dict) -> dict:
        return self.records["product.template"][product["product_tmpl_id"]]

    def display_name_of_id(self, model: str, record_id: int) -> str:
        record = self.records[model].get(record_id)
        return self.display_name_of(record, model) if record else ""

    def display_name_of(self, record: dict, model_name: str) -> str:
        if model_name == "product.product":
            template = self.template_of(record)
            name = template["name"]
            if record.get("_suffix"):
                name = f"{name} ({record['_suffix']})"
            return f"[{record['default_code']}] {name}" if record.get("default_code") else name
        if model_name in ("product.category", "stock.location"):
            return self.complete_name(record, model_name, " / " if model_name == "product.category" else "/")
        if model_name == "stock.quant":
            return self.display_name_of_id("product.product", record["product_id"])
        if model_name == "res.users.apikeys":
            return record.get("name") or ""
        return record.get("name") or ""

    def complete_name(self, record: dict, model: str, separator: str) -> str:
        names = []
        seen = set()
        parent_field = "parent_id" if model == "product.category" else "location_id"
        while record and record["id"] not in seen:
            seen.add(record["id"])
            names.append(record["name"])
            record = self.records[model].get(record.get(parent_field))
        return separator.join(reversed(names))

    def _cached(self, key: tuple, build: Callable[[], Any]) -> Any:
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        value = build()
        self._cache[key] = value
        if len(self._cache) > 64:
            self._cache.popitem(last=False)
        return value

    def index(self, model: str, field_name: str) -> dict[Any, list[int]]:
        """Record ids by the value of a stored field, rebuilt only when the model changed."""

        def build() -> dict[Any, list[int]]:
            result: dict[Any, list[int]] = {}
            for record_id, record in self.records[model].items():
                result.setdefault(record.get(field_name, False), []).append(record_id)
            return result

        # Fields never written after creation only need a rebuild when records come or go.
        version = self.shape[model] if (model, field_name) in IMMUTABLE else self.generation[model]
        return self._cached(("index", model, field_name, version), build)

    def by_write_date(self, model: str) -> tuple[list[str], list[int]]:
        def build() -> tuple[list[str], list[int]]:
            pairs = sorted((record["write_date"], record_id) for record_id, record in self.records[model].items())
            return [pair[0] for pair in pairs], [pair[1] for pair in pairs]

        return self._cached(("write_date", model, self.generation[model]), build)

    def children(self, record: dict, model: str, inverse: str) -> list[int]:
        ids = self.index(model, inverse).get(record["id"], [])
        if self.models[model].has_active:
            records = self.records[model]
            ids = [child for child in ids if records[child].get("active", True)]
        return list(ids)

    def single_variant_value(self, template: dict, name: str) -> Any:
        variants = self.index("product.product", "product_tmpl_id").get(template["id"], [])
        return self.records["product.product"][variants[0]].get(name, False) if len(variants) == 1 else False

    def write_single_variant(self, template: dict, name: str, value: Any) -> None:
        variants = self.index("product.product", "product_tmpl_id").get(template["id"], [])
        if len(variants) == 1:
            self._write_records("product.product", variants, {name: value}, template.get("write_uid", 1))

    def write_template_of(self, product: dict, name: str, value: Any) -> None:
        self._write_records("product.template", [product["product_tmpl_id"]], {name: value},
                            product.get("write_uid", 1))

    def product_quantity(self, product_id: int) -> float:
        internal = self.internal_locations()
        quants = self.records["stock.quant"]
        return float(sum(quants[q]["quantity"] for q in self.index("stock.quant", "product_id").get(product_id, [])
                         if quants[q]["location_id"] in internal))

    def template_quantity(self, template: dict) -> float:
        variants = self.index("product.product", "product_tmpl_id").get(template["id"], [])
        return sum(self.product_quantity(variant) for variant in variants)

    def internal_locations(self) -> set[int]:
        return {record_id for record_id, record in self.records["stock.location"].items()
                if record["usage"] == "internal"}

    def order_total(self, order: dict) -> float:
        lines = self.records["sale.order.line"]
        return round(sum(lines[line]["product_uom_qty"] * lines[line]["price_unit"]
                         for line in self.index("sale.order.line", "order_id").get(order["id"], [])), 2)

    def image(self, record: dict, side: int) -> Any:
        key = record.get("_image")
        if not key:
            return False
        return self.images.base64(key, side)

    def set_image(self, record: dict, value: Any) -> None:
        if not value:
            record["_image"] = False
            return
        try:
            record["_image"] = self.images.add_base64(value)
        except ValueError as error:
            raise BadValue(f"Invalid image data: {error}") from error

    # -- reading ------------------------------------------------------------------------------------

    def convert(self, item: Field, value: Any) -> Any:
        if item.type == "many2one":
            if not value:
                return False
            return [value, self.display_name_of_id(item.relation, value)]
        if item.relational:
            return list(value or [])
        if value is None:
            return False
        return value

    def read(self, model: Model, ids: list[int], fields: list[str] | None) -> list[dict]:
        names = self._field_names(model, fields)
        records = self.records[model.name]
        missing = [record_id for record_id in ids if record_id not in records]
        if missing:
            raise MissingError(
                f"Record does not exist or has been deleted.\n(Record: {model.name}({', '.join(map(str, missing))},),"
                " User: 2)"
            )
        result = []
        for record_id in ids:
            record = records[record_id]
            row = {"id": record_id}
            for name in names:
                item = model.fields[name]
                row[name] = self.convert(item, self.get(model, record, name))
            result.append(row)
        return result

    def _field_names(self, model: Model, fields: Any) -> list[str]:
        if not fields:
            return [name for name in model.fields if name != "id"]
        if isinstance(fields, str):
            fields = [fields]
        for name in fields:
            if name not in model.fields:
                raise BadValue(f"Invalid field {name!r} on model {model.name!r}")
        return [name for name in fields if name != "id"]

    # -- searching ----------------------------------------------------------------------------------

    def _resolve(self, model: Model, path: str) -> tuple[Callable[[dict], Any], Field]:
        """A function giving the raw value of ``path`` (dotted through many2one) and the last field."""
        parts = path.split(".")
        getters = []
        current = model
        item = None
        for position, part in enumerate(parts):
            item = current.fields.get(part)
            if item is None:
                raise BadValue(f"Invalid field {current.name}.{part} in leaf {path!r}")
            getters.append((current, part))
            if position < len(parts) - 1:
                if item.type != "many2one":
                    raise BadValue(f"Invalid path {path!r}: {part} is not a many2one")
                current = self.models[item.relation]

        def value(record: dict) -> Any:
            result: Any = record
            for index, (owner, part) in enumerate(getters):
                if result is None:
                    return False
                value_ = self.get(owner, result, part)
                if index < len(getters) - 1:
                    result = self.records[owner.fields[part].relation].get(value_) if value_ else None
                else:
                    return value_
            return False

        assert item is not None
        return value, item

    def _related_ids(self, relation: str, operator: str, value: Any) -> set[int]:
        """ids of ``relation`` whose name matches (a name given for a relational field)."""
        model = self.models[relation]
        predicate = self._compile_leaf(model, ("display_name", operator, value))
        return {record_id for record_id, record in self.records[relation].items() if predicate(record)}

    def _descendants(self, relation: str, roots: Iterable[int], upward: bool = False) -> set[int]:
        parent_field = "parent_id" if "parent_id" in self.models[relation].fields else "location_id"
        records = self.records[relation]
        result = set(roots)
        if upward:
            frontier = list(result)
            while frontier:
                parent = records.get(frontier.pop(), {}).get(parent_field)
                if parent and parent not in result:
                    result.add(parent)
                    frontier.append(parent)
            return result
        children = self.index(relation, parent_field)
        frontier = list(result)
        while frontier:
            for child in children.get(frontier.pop(), []):
                if child not in result:
                    result.add(child)
                    frontier.append(child)
        return result

    def _compile(self, model: Model, tree: tuple) -> Callable[[dict], bool]:
        kind = tree[0]
        if kind == "leaf":
            return self._compile_leaf(model, tree[1])
        if kind == "!":
            inner = self._compile(model, tree[1])
            return lambda record: not inner(record)
        left, right = self._compile(model, tree[1]), self._compile(model, tree[2])
        if kind == "&":
            return lambda record: left(record) and right(record)
        return lambda record: left(record) or right(record)

    def _compile_leaf(self, model: Model, leaf: tuple) -> Callable[[dict], bool]:
        if leaf == TRUE_LEAF:
            return lambda record: True
        if leaf == FALSE_LEAF:
            return lambda record: False
        path, operator, value = leaf
        getter, item = self._resolve(model, path)
        negate = operator in NEGATIVE
        operator = NEGATIVE.get(operator, operator)

        if operator in ("child_of", "parent_of"):
            relation = item.relation or model.name
            roots = as_ids(value) if not isinstance(value, str) else self._related_ids(relation, "ilike", value)
            allowed = self._descendants(relation, roots, upward=operator == "parent_of")
            if item.type in ("one2many", "many2many"):
                return lambda record: bool(allowed.intersection(getter(record) or []))
            return lambda record: getter(record) in allowed

        if item.relational or path == "id":
            values = value if isinstance(value, list) else [value]
            by_name = item.relation is not None and any(isinstance(one, str) for one in values)
            if by_name:
                # A name for a relational field matches the related records by their display name.
                name_operator = operator if "like" in operator else "in"
                wanted: set = self._related_ids(item.relation, name_operator, value)
                operator = "in"
            elif operator in ("=", "in"):
                wanted = {one for one in values if one is not False}
                as_ids(list(wanted))
            else:
                wanted = set()
            with_false = not by_name and (value is False or value == [] and item.type != "many2one"
                                          or (isinstance(value, list) and False in value))
            if item.type in ("one2many", "many2many"):
                if operator not in ("=", "in"):
                    raise BadValue(f"Invalid operator {leaf[1]!r} for {path}")

                def predicate(record: dict) -> bool:
                    current = getter(record) or []
                    return bool(wanted.intersection(current)) or (with_false and not current)

                return (lambda record: not predicate(record)) if negate else predicate
            if operator in ("=", "in"):

                def predicate(record: dict) -> bool:
                    current = getter(record)
                    return current in wanted or (with_false and not current)

                # != and not in keep the records without a value, as Odoo does.
                return (lambda record: not predicate(record)) if negate else predicate
            # Comparisons on ids (id > 100, product_id < 5).
        return self._compare(getter, item, leaf[1], value)

    def _compare(self, getter: Callable[[dict], Any], item: Field, operator: str, value: Any) -> Callable[[dict],
                                                                                                        bool]:
        if item.type in ("datetime", "date"):
            value = [normalize_datetime(one) for one in value] if isinstance(value, list) else normalize_datetime(
                value)
        if operator in ("=", "!=", "<>"):
            if value is False or value is None:
                if operator == "=":
                    return lambda record: getter(record) in (False, None, "", [])
                return lambda record: getter(record) not in (False, None, "", [])
            if operator == "=":
                return lambda record: getter(record) == value
            return lambda record: getter(record) != value
        if operator in ("in", "not in"):
            if not isinstance(value, list):
                value = [value]
            allowed = set(one for one in value if one is not False)
            with_false = False in value
            def is_in(record: dict) -> bool:
                current = getter(record)
                if current in (False, None):
                    return with_false
                return current in allowed
            return is_in if operator == "in" else (lambda record: not is_in(record))
        if operator in (">", ">=", "<", "<="):
            if value is False or value is None:
                return lambda record: False
            compare = {">": lambda a: a > value, ">=": lambda a: a >= value, "<": lambda a: a < value,
                       "<=": lambda a: a <= value}[operator]
            def ordered(record: dict) -> bool:
                current = getter(record)
                if current is False or current is None:
                    return False
                try:
                    return compare(current)
                except TypeError as error:
                    raise BadValue(f"Cannot compare {current!r} {operator} {value!r}") from error
            return ordered
        # like and co: match on text, never on empty values.
        negate = operator.startswith("not ")
        operator = operator.removeprefix("not ")
        if value is False:
            return self._compare(getter, item, "!=" if not negate else "=", False)
        pattern = like_pattern(str(value), operator)
        def like(record: dict) -> bool:
            current = getter(record)
            return bool(current) and bool(pattern.search(str(current)))
        if negate:
            return lambda record: not like(record)
        return like

    def _candidates(self, model: Model, tree: tuple) -> list[int] | None:
        """A narrower list of ids than the whole table, from an index on the top-level leaves."""
        best: list[int] | None = None
        for path, operator, value in top_leaves(tree):
            ids: list[int] | None = None
            item = model.fields.get(path) if isinstance(path, str) else None
            if item is None:
                continue
            if path == "id" and operator in ("=", "in") and value is not False:
                ids = as_ids(value)
            elif path == "write_date" and operator in (">", ">=") and isinstance(value, str):
                dates, ordered_ids = self.by_write_date(model.name)
                value = normalize_datetime(value)
                start = (bisect.bisect_right if operator == ">" else bisect.bisect_left)(dates, value)
                ids = ordered_ids[start:]
            elif (
                item.stored and item.compute is None and item.type in ("many2one", "char", "selection")
                and operator in ("=", "in") and value is not False
                and not (isinstance(value, str) and item.type == "many2one")
            ):
                index = self.index(model.name, path)
                values = value if isinstance(value, list) else [value]
                if all(isinstance(one, str | int) and not isinstance(one, bool) for one in values):
                    ids = [record_id for one in values for record_id in index.get(one, [])]
            if ids is not None and (best is None or len(ids) < len(best)):
                best = ids
        return best

    def _sort(self, model: Model, ids: list[int], order: str | None) -> list[int]:
        order = order or model.order
        records = self.records[model.name]
        terms = []
        for part in order.split(","):
            words = part.strip().split()
            if not words:
                continue
            if len(words) > 2 or (len(words) == 2 and words[1].lower() not in ("asc", "desc")):
                raise BadValue(f"Invalid order {order!r}")
            name = words[0]
            item = model.fields.get(name)
            if item is None or item.type in ("one2many", "many2many", "binary"):
                raise BadValue(f"Invalid field {name!r} on model {model.name!r}")
            terms.append((name, item, len(words) == 2 and words[1].lower() == "desc"))
        result = list(ids)
        for name, item, descending in reversed(terms):
            if name == "id":
                result.sort(reverse=descending)
                continue

            def key(record_id: int, name: str = name, item: Field = item) -> tuple:
                value = self.get(model, records[record_id], name)
                if item.type == "many2one":
                    value = self.display_name_of_id(item.relation, value) if value else False
                if item.type == "boolean":
                    return (0, bool(value))
                # NULLs last ascending, first descending (PostgreSQL's default).
                return (1, "") if value is False or value is None else (0, value)

            result.sort(key=key, reverse=descending)
        return result

    def search(self, model: Model, domain: Any, *, offset: int = 0, limit: int | None = None,
               order: str | None = None, context: dict | None = None, uid: int = ADMIN_UID) -> list[int]:
        tree = parse_domain(domain)
        active_test = (context or {}).get("active_test", True)
        if model.has_active and active_test and not mentions(tree, "active"):
            tree = ("&", ("leaf", ("active", "=", True)), tree)
        if model.name == "res.users.apikeys":
            # Odoo's record rule: a user sees only its own keys.
            tree = ("&", ("leaf", ("user_id", "=", uid)), tree)
        depends = (model.name,)
        shape = json.dumps(tree, default=repr)
        if model.name.startswith("product."):
            # Stock moves never touch products: only a domain on quantities depends on quants.
            depends = ("product.template", "product.product", "product.category", "product.tag")
            depends += ("stock.quant",) if "qty_available" in shape else ()
        key = ("search", model.name, shape, order or "", tuple(self.generation[name] for name in depends))

        def build() -> list[int]:
            candidates = self._candidates(model, tree)
            records = self.records[model.name]
            predicate = self._compile(model, tree)
            pool = candidates if candidates is not None else records.keys()
            found = [record_id for record_id in dict.fromkeys(pool)
                     if record_id in records and predicate(records[record_id])]
            return self._sort(model, found, order)

        ids = self._cached(key, build)
        if not isinstance(offset, int) or (limit is not None and not isinstance(limit, int)):
            raise BadValue("offset and limit must be integers")
        end = None if not limit else offset + limit
        return ids[offset:end]

    # -- writing ------------------------------------------------------------------------------------

    def _check_value(self, model: Model, item: Field, value: Any) -> Any:
        if item.type == "many2one":
            if isinstance(value, list | tuple) and value:
                value = value[0]
            if value in (False, None, 0):
                return False
            if not isinstance(value, int) or value not in self.records[item.relation]:
                raise ValidationError(
                    "The operation cannot be completed: another model requires the record being deleted. "
                    f"If possible, archive it instead.\n\nModel: {model.description} ({model.name})\n"
                    f"Field: {item.string} ({item.name})"
                )
            return value
        if item.type == "selection" and value not in [option[0] for option in item.selection or []] + [False]:
            raise BadValue(f"Wrong value for {model.name}.{item.name}: {value!r}")
        if item.type in ("float", "monetary"):
            if isinstance(value, bool) or not isinstance(value, int | float):
                if value is False:
                    return 0.0
                raise BadValue(f"Wrong value for {model.name}.{item.name}: {value!r}")
            return float(value)
        if item.type == "integer" and value is not False and not isinstance(value, int):
            raise BadValue(f"Wrong value for {model.name}.{item.name}: {value!r}")
        if item.type == "boolean":
            return bool(value)
        if item.type in ("char", "text", "html") and value not in (False, None) and not isinstance(value, str):
            return str(value)
        return False if value is None else value

    def _apply_many2many(self, item: Field, current: list[int], commands: Any) -> list[int]:
        result = list(current or [])
        if not isinstance(commands, list):
            raise BadValue(f"Wrong value for {item.name}: {commands!r}")
        if commands and all(isinstance(one, int) for one in commands):
            commands = [[6, 0, commands]]
        for command in commands:
            if not isinstance(command, list | tuple) or not command:
                raise BadValue(f"Invalid command {command!r} for {item.name}")
            code = command[0]
            if code == 6:
                result = list(dict.fromkeys(command[2] or []))
            elif code == 5:
                result = []
            elif code == 4 and command[1] not in result:
                result.append(command[1])
            elif code == 3 and command[1] in result:
                result.remove(command[1])
            elif code not in (3, 4):
                raise BadValue(f"Unsupported command {command!r} for {item.name}")
        for one in result:
            if one not in self.records[item.relation]:
                raise MissingError(f"Record does not exist or has been deleted.\n(Record: {item.relation}({one},))")
        return result

    def _split_values(self, model: Model, vals: Any) -> dict:
        if not isinstance(vals, dict):
            raise BadValue(f"Expected a dictionary of values, got {vals!r}")
        for name in vals:
            if name not in model.fields:
                raise BadValue(f"Invalid field {name!r} on model {model.name!r}")
        return vals

    def _write_records(self, model_name: str, ids: list[int], vals: dict, uid: int) -> None:
        model = self.models[model_name]
        vals = self._split_values(model, vals)
        if model_name == "sale.order.line" and "product_uom_qty" in vals:
            self._redeliver(ids, float(vals["product_uom_qty"] or 0))
        when = now_string()
        records = self.records[model_name]
        for record_id in ids:
            record = self._touch(model_name, records[record_id])
            for name, value in vals.items():
                item = model.fields[name]
                if name in ("id", "create_date", "write_date", "create_uid", "write_uid", "display_name"):
                    continue
                if item.type == "one2many":
                    self._apply_one2many(model, record, item, value, uid)
                elif item.inverse is not None:
                    item.inverse(self, record, value)
                elif item.compute is not None:
                    continue  # a computed field without inverse ignores writes, as Odoo does
                elif item.type == "many2many":
                    record[name] = self._apply_many2many(item, record.get(name), value)
                else:
                    record[name] = self._check_value(model, item, value)
            record["write_date"] = when
            record["write_uid"] = uid
        self.generation[model_name] += 1
        if model_name == "product.template" and "active" in vals:
            # Archiving a template archives its variants (and restoring restores them).
            variants = [variant for template in ids
                        for variant in self.index("product.product", "product_tmpl_id").get(template, [])]
            if variants:
                self._write_records("product.product", variants, {"active": bool(vals["active"])}, uid)

    def _create_record(self, model: Model, vals: dict, uid: int) -> int:
        vals = dict(self._split_values(model, vals))
        if model.name == "product.product" and not vals.get("product_tmpl_id"):
            template_vals = {name: value for name, value in vals.items()
                             if name in self.models["product.template"].fields and name not in (
                                 "default_code", "barcode", "active")}
            template_id = self._create_record(self.models["product.template"], template_vals, uid)
            variants = self.index("product.product", "product_tmpl_id").get(template_id, [])
            if variants:
                own = {name: value for name, value in vals.items() if name in ("default_code", "barcode", "active")}
                if own:
                    self._write_records("product.product", variants, own, uid)
                return variants[0]
        if model.name == "stock.quant":
            raise UserError("Quant's editing is restricted, you can't do this operation.")
        if model.name == "sale.order" and vals.get("name", "New") == "New":
            vals["name"] = f"S{next(self._order_sequence):05d}"
            vals.setdefault("date_order", now_string())
            vals.setdefault("company_id", 1)
        if model.name == "sale.order.line":
            product = self.records["product.product"].get(vals.get("product_id"))
            if product is not None:
                vals.setdefault("name", self.display_name_of(product, "product.product"))
                vals.setdefault("price_unit", self.template_of(product)["list_price"])
        for name, item in model.fields.items():
            if item.required and not item.compute and name not in ("id",) and (
                vals.get(name) in (None, False, "") and not (item.default and name not in vals)
            ):
                raise ValidationError(
                    "The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n"
                    "- Delete: another model requires the record being deleted. If possible, archive it instead.\n\n"
                    f"Model: {model.description} ({model.name})\nField: {item.string} ({name})"
                )
        plain: dict[str, Any] = {}
        later: dict[str, Any] = {}
        for name, value in vals.items():
            item = model.fields[name]
            if name in ("id", "create_date", "write_date", "create_uid", "write_uid", "display_name"):
                continue
            if item.type == "one2many" or item.inverse is not None:
                later[name] = value
            elif item.compute is not None:
                continue
            elif item.type == "many2many":
                plain[name] = self._apply_many2many(item, [], value)
            else:
                plain[name] = self._check_value(model, item, value)
        record = self._insert(model.name, plain, uid=uid)
        if model.name == "product.template":
            self._insert("product.product", {"product_tmpl_id": record["id"], "active": record["active"]},
                         when=record["write_date"], uid=uid)
        for name, value in later.items():
            item = model.fields[name]
            if item.type == "one2many":
                self._apply_one2many(model, record, item, value, uid)
            else:
                item.inverse(self, record, value)
        if later:
            self.generation[model.name] += 1
        return record["id"]

    def _apply_one2many(self, model: Model, record: dict, item: Field, commands: Any, uid: int) -> None:
        child_model = self.models[item.relation]
        if not isinstance(commands, list):
            raise BadValue(f"Wrong value for {model.name}.{item.name}: {commands!r}")
        for command in commands:
            if not isinstance(command, list | tuple) or not command:
                raise BadValue(f"Invalid command {command!r} for {item.name}")
            code = command[0]
            if code == 0:
                values = dict(command[2] or {})
                values[item.inverse_name] = record["id"]
                self._create_record(child_model, values, uid)
            elif code == 1:
                self._write_records(item.relation, as_ids(command[1]), command[2] or {}, uid)
            elif code in (2, 3):
                self._unlink(child_model, as_ids(command[1]))
            elif code == 5:
                self._unlink(child_model, self.children(record, item.relation, item.inverse_name))
            else:
                raise BadValue(f"Unsupported command {command!r} for {item.name}")

    def _unlink(self, model: Model, ids: list[int]) -> None:
        records = self.records[model.name]
        if model.name == "sale.order":
            for record_id in ids:
                if records[record_id]["state"] not in ("draft", "cancel"):
                    raise UserError("You can not delete a sent quotation or a confirmed sales order. "
                                    "You must first cancel it.")
        if model.name == "stock.quant":
            raise UserError("Quant's editing is restricted, you can't do this operation.")
        for record_id in ids:
            removed = records.pop(record_id, None)
            if removed is not None and self._journal is not None:
                self._journal.append(("delete", model.name, record_id, removed))
        self.generation[model.name] += 1
        self.shape[model.name] += 1
        if model.name == "product.template":
            variants = [variant for template in ids
                        for variant in self.index("product.product", "product_tmpl_id").get(template, [])]
            self._unlink(self.models["product.product"], variants)
        if model.name == "sale.order":
            lines = [line for order in ids for line in self.index("sale.order.line", "order_id").get(order, [])]
            self._unlink(self.models["sale.order.line"], lines)

    # -- sale orders and stock ----------------------------------------------------------------------

    def _move_quant(self, product_id: int, location_id: int, delta: float) -> int:
        """Adds ``delta`` to the product's quant in a location (created if missing); the quant's id."""
        quants = self.records["stock.quant"]
        for quant_id in self.index("stock.quant", "product_id").get(product_id, []):
            quant = quants[quant_id]
            if quant["location_id"] == location_id and not quant.get("lot_id"):
                self._touch("stock.quant", quant)
                quant["quantity"] = round(quant["quantity"] + delta, 4)
                quant["write_date"] = now_string()
                self.generation["stock.quant"] += 1
                return quant_id
        return self._insert("stock.quant", {"product_id": product_id, "location_id": location_id,
                                            "quantity": float(delta), "company_id": 1})["id"]

    def _redeliver(self, line_ids: list[int], quantity: float) -> None:
        """A confirmed order's line changes quantity: as Odoo adjusts the delivery, units no longer
        sold go back to the locations they were taken from, and more units are taken."""
        lines, orders = self.records["sale.order.line"], self.records["sale.order"]
        for line_id in line_ids:
            line = lines[line_id]
            order = orders.get(line.get("order_id"))
            if order is None or order.get("state") != "sale":
                continue
            product_id, delta = line.get("product_id"), quantity - float(line.get("product_uom_qty") or 0)
            moves = order.setdefault("_moves", [])
            if delta > 0:
                moves += [[product_id, location, taken] for location, taken in self._take_stock(product_id, delta)]
                continue
            back = -delta
            for move in reversed([m for m in moves if m[0] == product_id]):
                if back <= 0:
                    break
                returned = min(back, move[2])
                self._move_quant(product_id, move[1], returned)
                move[2] -= returned
                back -= returned
            order["_moves"] = [m for m in moves if m[2] > 0]

    def _take_stock(self, product_id: int, quantity: float) -> list[list]:
        """Takes ``quantity`` from internal quants, fullest first; the [location, quantity] moves."""
        internal = self.internal_locations()
        quants = self.records["stock.quant"]
        available = sorted(
            (quants[q] for q in self.index("stock.quant", "product_id").get(product_id, [])
             if quants[q]["location_id"] in internal and quants[q]["quantity"] > 0),
            key=lambda quant: (-quant["quantity"], quant["id"]),
        )
        moves = []
        for quant in available:
            if quantity <= 0:
                break
            taken = min(quant["quantity"], quantity)
            self._touch("stock.quant", quant)
            quant["quantity"] = round(quant["quantity"] - taken, 4)
            quant["write_date"] = now_string()
            moves.append([quant["location_id"], taken])
            quantity -= taken
        if quantity > 0:
            # Not enough on hand: a forced validation leaves a negative quant in the main stock.
            self._move_quant(product_id, self.stock_location, -quantity)
            moves.append([self.stock_location, quantity])
        self.generation["stock.quant"] += 1
        return moves

    def action_confirm(self, ids: list[int]) -> bool:
        orders = self.records["sale.order"]
        for order_id in ids:
            state = orders[order_id]["state"]
            if state not in ("draft", "sent"):
                labels = dict(self.models["sale.order"].fields["state"].selection)
                raise UserError("It is not allowed to confirm an order in the following states: "
                                f"{labels[state]}")
        storable = self._storable_test()
        lines = self.records["sale.order.line"]
        for order_id in ids:
            order = orders[order_id]
            moves = []
            for line_id in self.index("sale.order.line", "order_id").get(order_id, []):
                line = lines[line_id]
                product = self.records["product.product"].get(line.get("product_id"))
                if product is None or not storable(self.template_of(product)):
                    continue
                for location, quantity in self._take_stock(product["id"], line["product_uom_qty"]):
                    moves.append([product["id"], location, quantity])
            self._touch("sale.order", order).update(state="sale", _moves=moves, write_date=now_string())
        self.generation["sale.order"] += 1
        return True

    def action_cancel(self, ids: list[int]) -> bool:
        orders = self.records["sale.order"]
        for order_id in ids:
            order = orders[order_id]
            for product_id, location, quantity in order.get("_moves") or []:
                self._move_quant(product_id, location, quantity)
            self._touch("sale.order", order).update(state="cancel", _moves=[], write_date=now_string())
        self.generation["sale.order"] += 1
        return True

    def _storable_test(self) -> Callable[[dict], bool]:
        if self.version >= 18:
            return lambda template: template.get("type") == "consu" and bool(template.get("is_storable"))
        return lambda template: template.get("detailed_type") == "product"

    # -- the call ------------------------------------------------------------------------------------

    def check_access(self, uid: int, model: Model, access: str | None) -> None:
        if access is None or model.name == "res.users.apikeys" and access == "read":
            return
        rights = self.rights.get(uid)
        if rights is None:
            return
        allowed = rights.read if access == "read" else rights.write
        if model.name not in allowed:
            verb = {"read": "access", "write": "modify", "create": "create", "unlink": "delete"}[access]
            raise AccessError(
                f"You are not allowed to {verb} '{model.description}' ({model.name}) records.\n\n"
                f"This operation is allowed for the following groups:\n\t- {model.group}\n\n"
                "Contact your administrator to request access if necessary."
            )

    def call(self, uid: int, model_name: str, method: str, *, ids: Any = None, args: list | None = None,
             kwargs: dict | None = None, context: dict | None = None) -> Any:
        """Runs one method call as Odoo would, inside the database's lock (one transaction)."""
        model = self.model(model_name)
        signature = SIGNATURES.get(method)
        if signature is None or (signature.models is not None and model.name not in signature.models):
            raise NotFound(f"The method {method!r} does not exist on the model {model.name!r}")
        args = list(args or [])
        kwargs = dict(kwargs or {})
        context = dict(context or kwargs.pop("context", None) or {})
        if signature.on_records and ids is None:
            if not args:
                raise BadParams(f"{method}() missing 1 required positional argument: 'ids'")
            ids = args.pop(0)
        params = bind(method, signature, args, kwargs)
        record_ids = as_ids(ids) if signature.on_records else []
        with self.lock:
            self.check_access(uid, model, signature.access)
            self._journal = []
            try:
                return self._dispatch(uid, model, method, record_ids, params, context)
            except Exception:
                self._rollback(self._journal)  # each call is one transaction: nothing half-applied
                raise
            finally:
                self._journal = None

    def _rollback(self, journal: list[tuple]) -> None:
        for action, model, record_id, before in reversed(journal):
            records = self.records[model]
            if action == "insert":
                records.pop(record_id, None)
            elif action == "update":
                records[record_id].clear()
                records[record_id].update(before)
            else:
                records[record_id] = before
            self.generation[model] += 1
            self.shape[model] += 1

    def _dispatch(self, uid: int, model: Model, method: str, ids: list[int], params: dict, context: dict) -> Any:
        records = self.records[model.name]
        if method in ("read", "write", "unlink", "action_confirm", "action_cancel"):
            visible = ids
            if model.name == "res.users.apikeys":
                visible = [one for one in ids if records.get(one, {}).get("user_id") == uid]
            missing = [one for one in visible if one not in records]
            if missing or len(visible) != len(ids):
                raise MissingError(
                    "Record does not exist or has been deleted.\n"
                    f"(Record: {model.name}({', '.join(map(str, missing or ids))},), User: {uid})"
                )
        if method == "search_read":
            found = self.search(model, params["domain"], offset=params["offset"] or 0, limit=params["limit"],
                                order=params["order"], context=context, uid=uid)
            return self.read(model, found, params["fields"])
        if method == "search":
            return self.search(model, params["domain"], offset=params["offset"] or 0, limit=params["limit"],
                               order=params["order"], context=context, uid=uid)
        if method == "search_count":
            found = self.search(model, params["domain"], context=context, uid=uid)
            return len(found) if not params["limit"] else min(len(found), params["limit"])
        if method == "read":
            return self.read(model, ids, params["fields"])
        if method == "name_search":
            domain = list(params["domain"] or [])
            if params["name"]:
                domain = ["&", (model.rec_name if model.fields[model.rec_name].stored else "display_name",
                                params["operator"], params["name"]), *(domain or [TRUE_LEAF])]
            found = self.search(model, domain, limit=params["limit"], context=context, uid=uid)
            return [[one, self.display_name_of(records[one], model.name)] for one in found]
        if method == "fields_get":
            wanted = params["allfields"] or list(model.fields)
            attributes = params["attributes"]
            result = {}
            for name in wanted:
                if name in model.fields:
                    description = model.fields[name].describe()
                    result[name] = {key: value for key, value in description.items()
                                    if not attributes or key in attributes}
            return result
        if method == "create":
            vals_list = params["vals_list"]
            single = isinstance(vals_list, dict)
            created = [self._create_record(model, vals, uid) for vals in ([vals_list] if single else vals_list)]
            return created[0] if single else created
        if method == "write":
            if model.name == "stock.quant":
                raise UserError("Quant's editing is restricted, you can't do this operation.")
            self._write_records(model.name, ids, params["vals"], uid)
            return True
        if method == "unlink":
            self._unlink(model, ids)
            return True
        if method == "action_confirm":
            return self.action_confirm(ids)
        if method == "action_cancel":
            return self.action_cancel(ids)
        if method == "context_get":
            return {"lang": self.lang, "tz": "Europe/Brussels", "uid": uid}
        raise NotFound(f"The method {method!r} does not exist on the model {model.name!r}")

    # -- controls: data -------------------------------------------------------------------------------

    def seed(self, items: int, *, seed: int = 1, lang: str | None = None, recent: bool = False) -> list[int]:
        """Adds ``items`` generated second-hand items (same seed, same items); their template ids. Their
        change dates spread over the past year, or are now when ``recent`` (new items)."""
        rng = random.Random(seed)
        lang = (lang or self.lang)[:2]
        with self.lock:
            categories = self._seed_structure(lang)
            tags = self.records["product.tag"]
            online_tag = next(tag_id for tag_id, tag in tags.items() if tag["name"] in ("En ligne", "Online"))
            other_tags = [tag_id for tag_id in tags if tag_id != online_tag]
            photos = [self.images.add_bytes(odoo_data.draw_photo(number)) for number in range(48)]
            start = datetime.now(UTC) - timedelta(days=400)
            step = timedelta(days=399) / max(items, 1)
            storable = {"type": "consu", "is_storable": True} if self.version >= 18 else {
                "type": "product", "detailed_type": "product"}
            created = []
            first_sized = True
            base = len(self.records["product.template"])
            for number in range(items):
                kind_index = rng.randrange(len(odoo_data.KINDS))
                kind = odoo_data.KINDS[kind_index]
                item_lang = lang if rng.random() < 0.85 else ("nl" if lang == "fr" else "fr")
                when = now_string() if recent else (start + step * number).strftime(DATETIME_FORMAT)
                tag_ids = [online_tag] if rng.random() < 0.85 else []
                if rng.random() < 0.15:
                    tag_ids.append(rng.choice(other_tags))
                template = self._insert("product.template", {
                    "name": odoo_data.item_name(rng, kind, item_lang),
                    "list_price": odoo_data.price(rng, *kind.price),
                    "categ_id": categories[kind_index],
                    "description_sale": odoo_data.description(rng, item_lang),
                    "weight": round(rng.uniform(*kind.weight), 2),
                    "sale_ok": rng.random() < 0.97,
                    "is_published": rng.random() < 0.9,
                    "company_id": 1,
                    "tracking": "serial" if kind_index == 4 and rng.random() < 0.5 else "none",
                    "product_tag_ids": tag_ids,
                    "_image": rng.choice(photos) if rng.random() < 0.7 else False,
                    **storable,
                }, when=when)
                code = f"{self.name[:3].upper()}-{base + number + 1:06d}"
                barcode = odoo_data.ean13(rng) if rng.random() < 0.3 else False
                # A few clothes come in two sizes (two variants), the first one always: variant ids then
                # differ from template ids, as in any real Odoo.
                multi = bool(kind.sizes) and (first_sized or rng.random() < 0.03)
                first_sized = first_sized and not multi
                sizes = list(kind.sizes[1:3]) if multi else [""]
                for suffix in sizes:
                    product = self._insert("product.product", {
                        "product_tmpl_id": template["id"], "_suffix": suffix,
                        "default_code": f"{code}-{suffix}" if suffix else code,
                        "barcode": barcode if not suffix else False,
                    }, when=when)
                    draw = rng.random()
                    if draw < 0.92:
                        location = self.web_location if draw < 0.01 else self.stock_location
                        quantity = float(rng.randrange(2, 5)) if draw > 0.9 else 1.0
                        self._insert("stock.quant", {"product_id": product["id"], "location_id": location,
                                                     "quantity": quantity, "company_id": 1}, when=when)
                created.append(template["id"])
            return created

    def _seed_structure(self, lang: str) -> list[int]:
        """Categories (one per kind, under All / Saleable), tags and the marketplace bot (once)."""
        categories = self.records["product.category"]
        saleable = next((one for one, record in categories.items() if record["name"] == "Saleable"), None)
        if saleable is None:
            saleable = self._insert("product.category", {"name": "Saleable", "parent_id": 1})["id"]
            for name in ("En ligne" if lang == "fr" else "Online", "Vintage", "Seconde main" if lang == "fr"
                         else "Tweedehands"):
                self._insert("product.tag", {"name": name})
        result = []
        for kind in odoo_data.KINDS:
            name = kind.fr if lang == "fr" else kind.nl
            existing = next((one for one, record in categories.items()
                             if record["name"] == name and record.get("parent_id") == saleable), None)
            result.append(existing or self._insert("product.category", {"name": name, "parent_id": saleable})["id"])
        return result

    def template_ids(self, *, active_only: bool = True) -> list[int]:
        with self.lock:
            return [one for one, record in self.records["product.template"].items()
                    if record["active"] or not active_only]

    def change_items(self, kind: str, count: int = 1, *, ids: list[int] | None = None, seed: int = 7) -> list[int]:
        """Changes items as a shop's staff would in Odoo: ``price``, ``name``, ``description``,
        ``archive``, ``unarchive``, ``image`` (a new photo), ``remove_image`` or ``new`` (a new item with one
        unit in stock); the template ids touched."""
        rng = random.Random(seed)
        with self.lock:
            if kind == "new":
                return self.seed(count, seed=seed + 1_000_003 + len(self.records["product.template"]), recent=True)
            templates = self.records["product.template"]
            if ids is None:
                pool = [one for one, record in templates.items() if record["active"] == (kind != "unarchive")]
                ids = rng.sample(pool, min(count, len(pool)))
            for template_id in ids:
                template = templates[template_id]
                if kind == "price":
                    vals: dict[str, Any] = {"list_price": round(template["list_price"] * rng.choice((0.8, 0.9, 1.1))
                                                                + 0.5, 0)}
                elif kind == "name":
                    vals = {"name": template["name"] + rng.choice((" - promo", " (retouché)", " - nieuw binnen"))}
                elif kind == "description":
                    vals = {"description_sale": odoo_data.description(rng, rng.choice(("fr", "nl")))}
                elif kind in ("archive", "unarchive"):
                    vals = {"active": kind == "unarchive"}
                elif kind == "image":
                    key = self.images.add_bytes(odoo_data.draw_photo(next(self._photo_numbers)))
                    vals = {"image_1920": self.images.base64(key)}
                elif kind == "remove_image":
                    vals = {"image_1920": False}
                else:
                    raise ValueError(f"Unknown change {kind!r}")
                self._write_records("product.template", [template_id], vals, ADMIN_UID)
            return list(ids)

    def sell_in_shop(self, product_id: int | None = None, *, template_id: int | None = None,
                     cleanup: bool = True) -> int:
        """The shop sells one unit at its till: the product's internal quants go down (to 0, then
        removed when ``cleanup``), the product's write_date stays; in "closing" point-of-sale mode the
        stock moves only at ``close_pos_session``. The product's id."""
        with self.lock:
            if product_id is None:
                if template_id is None:
                    internal = self.internal_locations()
                    stocked = [quant["product_id"] for quant in self.records["stock.quant"].values()
                               if quant["location_id"] in internal and quant["quantity"] > 0]
                    if not stocked:
                        raise ValueError("Nothing in stock to sell")
                    product_id = stocked[0]
                else:
                    product_id = self.index("product.product", "product_tmpl_id")[template_id][0]
            if self.records["res.company"][1]["point_of_sale_update_stock_quantities"] == "closing":
                self._pending_pos_sales.append(product_id)
                return product_id
            self._take_stock(product_id, 1)
            if cleanup:
                self.cleanup_quants()
            return product_id

    def close_pos_session(self) -> list[int]:
        with self.lock:
            sold, self._pending_pos_sales = self._pending_pos_sales, []
            for product_id in sold:
                self._take_stock(product_id, 1)
            self.cleanup_quants()
            return sold

    def cleanup_quants(self) -> int:
        """Odoo's quant clean-up: quants at zero (nothing reserved) disappear. How many went."""
        with self.lock:
            quants = self.records["stock.quant"]
            empty = [one for one, quant in quants.items()
                     if quant["quantity"] == 0 and not quant["reserved_quantity"]]
            for one in empty:
                del quants[one]
            if empty:
                self.generation["stock.quant"] += 1
                self.shape["stock.quant"] += 1
            return len(empty)

    def set_stock(self, product_id: int, quantity: float) -> None:
        """An inventory adjustment: the product's quantity in the main stock becomes ``quantity``."""
        with self.lock:
            current = sum(self.records["stock.quant"][q]["quantity"]
                          for q in self.index("stock.quant", "product_id").get(product_id, [])
                          if self.records["stock.quant"][q]["location_id"] == self.stock_location)
            self._move_quant(product_id, self.stock_location, quantity - current)

    def set_pos_mode(self, mode: str) -> None:
        if mode not in ("real", "closing"):
            raise ValueError("mode is 'real' or 'closing'")
        with self.lock:
            self._write_records("res.company", [1], {"point_of_sale_update_stock_quantities": mode}, ADMIN_UID)

    def _key_record(self, key: str | None) -> dict:
        for record in self.records["res.users.apikeys"].values():
            if key is None or record["_key"] == key:
                return record
        raise ValueError("No such API key")

    def expire_key(self, key: str | None = None, *, in_days: float = -1) -> str:
        """Sets a key's expiry ``in_days`` from now (negative: already expired); the first key by default."""
        with self.lock:
            record = self._key_record(key)
            record["expiration_date"] = (datetime.now(UTC) + timedelta(days=in_days)).strftime(DATETIME_FORMAT)
            record["write_date"] = now_string()
            self.generation["res.users.apikeys"] += 1
            return record["_key"]

    def revoke_key(self, key: str | None = None) -> str:
        with self.lock:
            record = self._key_record(key)
            del self.records["res.users.apikeys"][record["id"]]
            self.generation["res.users.apikeys"] += 1
            self.shape["res.users.apikeys"] += 1
            return record["_key"]

    def stats(self) -> dict:
        with self.lock:
            return {
                "name": self.name, "version": VERSIONS[self.version]["server_version"], "calls": self.calls,
                "slow_ms": self.slow_ms, "failing": self._fail_count,
                "counts": {model: len(records) for model, records in self.records.items()},
            }


# -- protocols ------------------------------------------------------------------------------------


class OdooSimulator:
    """The HTTP server and its databases. ``with OdooSimulator() as sim: sim.add_database(...)``."""

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0, verbose: bool = False):
        self.databases: dict[str, Database] = {}
        self._server = BackgroundServer(_Handler, host=host, port=port)
        self.verbose = verbose

    def add_database(self, name: str, *, version: int = 19, items: int = 0, seed: int = 1,
                     lang: str = "fr_BE", company: str | None = None) -> Database:
        database = Database(name, version=version, lang=lang, company=company or "Ma Boutique")
        if items:
            database.seed(items, seed=seed)
        self.databases[name] = database
        return database

    def db(self, name: str) -> Database:
        return self.databases[name]

    @property
    def url(self) -> str:
        return self._server.url

    def url_of(self, name: str) -> str:
        """The URL at which ``name`` is the only database (an Odoo server of its own version)."""
        return f"{self.url}/_db/{name}"

    def start(self) -> OdooSimulator:
        self._server.start_server(self)
        return self

    def stop(self) -> None:
        self._server.stop_server()

    def __enter__(self) -> OdooSimulator:
        return self.start()

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()

    # -- routing helpers --------------------------------------------------------------------------

    def resolve(self, name: str | None, mounted: str | None) -> Database | None:
        if mounted:
            return self.databases.get(mounted)
        if name:
            return self.databases.get(name)
        if len(self.databases) == 1:
            return next(iter(self.databases.values()))
        return None

    def version_info(self, database: Database | None) -> dict:
        version = database.version if database else max((one.version for one in self.databases.values()),
                                                          default=19)
        return {**VERSIONS[version], "protocol_version": 1}

    def rpc(self, service: str, method: str, args: list, mounted: str | None) -> Any:
        """The services behind /xmlrpc/2/<service> and /jsonrpc."""
        if service == "common":
            if method in ("version", "about"):
                return self.version_info(self.resolve(None, mounted))
            if method in ("login", "authenticate"):
                if len(args) < 3:
                    raise BadParams(f"{method}() missing required positional arguments")
                database = self._database(args[0], mounted)
                if database.before_call():
                    raise ServerError("Internal Server Error")
                return database.authenticate(args[1], args[2])
            raise NotFound(f'No such method "{method}" on the common service')
        if service == "db":
            if method == "list":
                return [mounted] if mounted else list(self.databases)
            if method == "server_version":
                return self.version_info(self.resolve(None, mounted))["server_version"]
            raise AccessDenied()
        if service == "object":
            if method not in ("execute_kw", "execute"):
                raise NotFound(f'No such method "{method}" on the object service')
            if len(args) < 5:
                raise BadParams(f"{method}() missing required positional arguments")
            database = self._database(args[0], mounted)
            failing = database.before_call()
            uid = database.check_credentials(args[1], args[2])
            if failing:
                raise ServerError("Internal Server Error")
            model, name = args[3], args[4]
            if method == "execute_kw":
                call_args = args[5] if len(args) > 5 else []
                call_kwargs = args[6] if len(args) > 6 else {}
                if not isinstance(call_args, list) or not isinstance(call_kwargs, dict):
                    raise BadParams("execute_kw() takes a list of arguments and a dictionary of keyword arguments")
            else:
                call_args, call_kwargs = list(args[5:]), {}
            if model not in database.models:
                raise UserError(f"Object {model} doesn't exist")
            if name not in SIGNATURES or (SIGNATURES[name].models and model not in SIGNATURES[name].models):
                error = BadValue(f"The method '{name}' does not exist on the model '{model}'")
                error.name = "builtins.AttributeError"
                raise error
            return database.call(uid, model, name, args=call_args, kwargs=call_kwargs)
        raise NotFound(f"No such service {service!r}")

    def _database(self, name: Any, mounted: str | None) -> Database:
        database = self.databases.get(name) if isinstance(name, str) else None
        if database is None or (mounted and name != mounted):
            raise ServerError(f'FATAL:  database "{name}" does not exist')
        return database


class AdminRoutes:
    """``/_sim`` endpoints for other processes (the demo, benchmarks, tests).

    GET  /_sim                          the databases, their credentials and counts
    GET  /_sim/<db>/stats               counts of records and calls
    POST /_sim/<db>/seed                {"items": N, "seed": S} -> {"template_ids": [...]}
    POST /_sim/<db>/change              {"kind": "price"|"name"|"description"|"archive"|"unarchive"|"image"|
                                         "remove_image"|"new", "count": N, "ids": [...]?} -> {"template_ids"}
    POST /_sim/<db>/sell                {"product_id"?: id, "template_id"?: id, "cleanup": true} -> {"product_id"}
    POST /_sim/<db>/stock               {"product_id": id, "quantity": q}
    POST /_sim/<db>/cleanup             removes quants at zero -> {"removed": n}
    POST /_sim/<db>/slow                {"ms": 200}
    POST /_sim/<db>/fail                {"count": 1, "after": 0, "status": 500}
    POST /_sim/<db>/expire_key          {"key"?: key, "in_days": -1}
    POST /_sim/<db>/revoke_key          {"key"?: key}
    POST /_sim/<db>/pos_mode            {"mode": "real"|"closing"}
    POST /_sim/<db>/close_pos_session   applies the shop sales waiting for the session's end
    """

    @staticmethod
    def handle(sim: OdooSimulator, method: str, parts: list[str], body: dict) -> tuple[int, Any]:
        if not parts:
            return 200, {"url": sim.url, "databases": [
                {**database.stats(), "url": sim.url_of(name), "credentials": database.credentials}
                for name, database in sim.databases.items()]}
        database = sim.databases.get(parts[0])
        if database is None or len(parts) != 2:
            return 404, {"error": "unknown database or action"}
        action = parts[1]
        if method == "GET" and action == "stats":
            return 200, database.stats()
        if method != "POST":
            return 405, {"error": "use POST"}
        actions: dict[str, Callable[[], Any]] = {
            "seed": lambda: {"template_ids": database.seed(int(body.get("items", 100)), seed=int(body.get("seed", 1)))},
            "change": lambda: {"template_ids": database.change_items(
                body["kind"], int(body.get("count", 1)), ids=body.get("ids"), seed=int(body.get("seed", 7)))},
            "sell": lambda: {"product_id": database.sell_in_shop(
                body.get("product_id"), template_id=body.get("template_id"), cleanup=body.get("cleanup", True))},
            "stock": lambda: database.set_stock(int(body["product_id"]), float(body["quantity"])),
            "cleanup": lambda: {"removed": database.cleanup_quants()},
            "slow": lambda: database.set_slow(int(body.get("ms", 0))),
            "fail": lambda: database.fail(int(body.get("count", 1)), after=int(body.get("after", 0)),
                                          status=int(body.get("status", 500))),
            "expire_key": lambda: {"key": database.expire_key(body.get("key"), in_days=float(body.get("in_days", -1)))},
            "revoke_key": lambda: {"key": database.revoke_key(body.get("key"))},
            "pos_mode": lambda: database.set_pos_mode(body.get("mode", "real")),
            "close_pos_session": lambda: {"product_ids": database.close_pos_session()},
        }
        if action not in actions:
            return 404, {"error": f"unknown action {action!r}"}
        try:
            result = actions[action]()
        except (KeyError, ValueError, TypeError) as error:
            return 400, {"error": str(error)}
        return 200, result if result is not None else {"ok": True}


NOT_FOUND_HTML = (
    b"<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n"
    b"<p>The requested URL was not found on the server. If you entered the URL manually please check your "
    b"spelling and try again.</p>\n"
)


class _Handler(QuietHandler):
    server_version = "Werkzeug/3.0.1"
    sys_version = "Python/3.12"

    @property
    def sim(self) -> OdooSimulator:
        return self.server.app  # type: ignore[attr-defined]

    def _route(self) -> tuple[str | None, str, dict]:
        parts = urlsplit(self.path)
        path = parts.path
        mounted = None
        if path.startswith("/_db/"):
            rest = path[len("/_db/"):]
            mounted, _, tail = rest.partition("/")
            path = "/" + tail
        return mounted, path, parse_qs(parts.query)

    def send_json(self, status: int, data: Any) -> None:
        self.send_bytes(status, json.dumps(data).encode(), "application/json; charset=utf-8")

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        self.verbose = self.sim.verbose
        mounted, path, query = self._route()
        if mounted and mounted not in self.sim.databases:
            return self.send_bytes(404, NOT_FOUND_HTML, "text/html; charset=utf-8")
        if path == "/web/version":
            database = self.sim.resolve(self.headers.get("X-Odoo-Database") or (query.get("db") or [None])[0],
                                        mounted)
            info = self.sim.version_info(database)
            return self.send_json(200, {"version": info["server_version"], "version_info": info["server_version_info"]})
        if path.rstrip("/") == "/_sim" or path.startswith("/_sim/"):
            status, data = AdminRoutes.handle(self.sim, "GET", [p for p in path.split("/")[2:] if p], {})
            return self.send_json(status, data)
        if path.startswith("/json/2/"):
            return self.send_bytes(405, b"Method Not Allowed", "text/plain")
        self.send_bytes(404, NOT_FOUND_HTML, "text/html; charset=utf-8")

    def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
        self.verbose = self.sim.verbose
        mounted, path, query = self._route()
        body = self.read_body()
        if mounted and mounted not in self.sim.databases:
            return self.send_bytes(404, NOT_FOUND_HTML, "text/html; charset=utf-8")
        if path.startswith("/json/2/"):
            return self._json2(path, body, mounted)
        if path.startswith("/xmlrpc/2/") or path.startswith("/xmlrpc/"):
            return self._xmlrpc(path.rstrip("/").rsplit("/", 1)[-1], body, mounted)
        if path in ("/jsonrpc", "/web/webclient/version_info"):
            return self._jsonrpc(path, body, mounted)
        if path.rstrip("/") == "/_sim" or path.startswith("/_sim/"):
            try:
                data = json.loads(body or b"{}")
            except ValueError:
                return self.send_json(400, {"error": "invalid JSON"})
            status, result = AdminRoutes.handle(self.sim, "POST", [p for p in path.split("/")[2:] if p], data)
            return self.send_json(status, result)
        self.send_bytes(404, NOT_FOUND_HTML, "text/html; charset=utf-8")

    # -- JSON-2 ---------------------------------------------------------------------------------------

    def _json2_error(self, error: OdooError) -> None:
        self.send_json(error.status, error.json2_body())

    def _json2(self, path: str, raw: bytes, mounted: str | None) -> None:
        database = self.sim.resolve(self.headers.get("X-Odoo-Database"), mounted)
        if database is None or database.version < 19:
            # No database chosen (or an Odoo before 19): the route does not exist.
            return self.send_bytes(404, NOT_FOUND_HTML, "text/html; charset=utf-8")
        try:
            segments = path[len("/json/2/"):].split("/")
            if len(segments) != 2 or not all(segments):
                raise NotFound("The requested URL was not found on the server.")
            model, method = segments
            authorization = self.headers.get("Authorization") or ""
            scheme, _, key = authorization.partition(" ")
            failing = database.before_call()
            if scheme.lower() != "bearer" or not key.strip():
                raise InvalidApiKey()
            uid = database.user_for_key(key.strip())
            if failing:
                error = ServerError("Internal Server Error")
                error.status = failing
                raise error
            try:
                body = json.loads(raw or b"{}")
            except ValueError as exc:
                error = BadParams(f"Invalid JSON data: {exc}")
                error.name, error.status = "werkzeug.exceptions.BadRequest", 400
                raise error from exc
            if not isinstance(body, dict):
                raise BadParams("The body must be a JSON object")
            ids = body.pop("ids", None)
            context = body.pop("context", None) or {}
            if method not in SIGNATURES or (SIGNATURES[method].models and model not in SIGNATURES[method].models):
                database.model(model)
                raise NotFound(f"the model {model!r} has no public method {method!r}")
            signature = SIGNATURES[method]
            if signature.on_records and ids is None:
                ids = []
            result = database.call(uid, model, method, ids=ids if signature.on_records else None,
                                   kwargs=body, context=context)
        except OdooError as error:
            return self._json2_error(error)
        except Exception as exc:  # a bug here is Odoo's 500
            return self._json2_error(ServerError(f"{type(exc).__name__}: {exc}"))
        self.send_json(200, result)

    # -- XML-RPC and JSON-RPC ---------------------------------------------------------------------------

    def _xmlrpc(self, service: str, raw: bytes, mounted: str | None) -> None:
        try:
            params, method = xmlrpc.client.loads(raw, use_builtin_types=True)
        except Exception:  # noqa: BLE001 - an unparsable request is a fault, as Odoo answers
            answer = xmlrpc.client.dumps(ServerError("Invalid XML-RPC request").fault(), methodresponse=True)
            return self.send_bytes(200, answer.encode(), "text/xml")
        try:
            result = self.sim.rpc(service, method or "", list(params), mounted)
            answer = xmlrpc.client.dumps((result,), methodresponse=True, allow_none=True)
        except OdooError as error:
            answer = xmlrpc.client.dumps(error.fault(), methodresponse=True, allow_none=True)
        except Exception as exc:  # noqa: BLE001
            answer = xmlrpc.client.dumps(ServerError(f"{type(exc).__name__}: {exc}").fault(), methodresponse=True)
        self.send_bytes(200, answer.encode(), "text/xml; charset=utf-8")

    def _jsonrpc(self, path: str, raw: bytes, mounted: str | None) -> None:
        request_id = None
        try:
            request = json.loads(raw or b"{}")
            request_id = request.get("id")
            params = request.get("params") or {}
            if path == "/web/webclient/version_info":
                database = self.sim.resolve(self.headers.get("X-Odoo-Database"), mounted)
                result = self.sim.version_info(database)
            else:
                result = self.sim.rpc(str(params.get("service")), str(params.get("method")),
                                      list(params.get("args") or []), mounted)
            answer: dict[str, Any] = {"jsonrpc": "2.0", "id": request_id, "result": result}
        except OdooError as error:
            answer = {"jsonrpc": "2.0", "id": request_id, "error": {
                "code": 200, "message": "Odoo Server Error", "data": error.json2_body()}}
        except Exception as exc:  # noqa: BLE001
            error = ServerError(f"{type(exc).__name__}: {exc}")
            answer = {"jsonrpc": "2.0", "id": request_id, "error": {
                "code": 200, "message": "Odoo Server Error", "data": error.json2_body()}}
        self.send_json(200, answer)


# -- demo -----------------------------------------------------------------------------------------

DEMO_JSON2_KEY = "7e1f0c5ad3b84f6c9e2d41a8b7c3f9e05d6a2b1c"
DEMO_XMLRPC_PASSWORD = "kringwinkel-2024"


def demo(sim: OdooSimulator, items: int = 300, only: str | None = None) -> None:
    """The two Odoo members of the demo: an Odoo 19 over JSON-2 and an Odoo 17 over XML-RPC
    (``only``: just the one named, e.g. for a benchmark that needs a single large member)."""
    if only in (None, "recyclerie19"):
        modern = sim.add_database("recyclerie19", version=19, items=items, seed=19, lang="fr_BE",
                                  company="La Recyclerie du Centre")
        bot = modern.add_user("marketplace-bot", "bot-password-19", name="Marketplace bot")
        modern.add_api_key(bot, DEMO_JSON2_KEY, name="marketplace sync",
                           expires=datetime.now(UTC) + timedelta(days=80))
    if only in (None, "kringwinkel17"):
        classic = sim.add_database("kringwinkel17", version=17, items=items, seed=17, lang="nl_BE",
                                   company="Kringwinkel De Schakel")
        classic.add_user("marketplace", DEMO_XMLRPC_PASSWORD, name="Marketplace koppeling")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m simulators.odoo", description="Local Odoo API server.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8069)
    parser.add_argument("--items", type=int, default=300, help="generated items in each demo database")
    parser.add_argument("--only", choices=["recyclerie19", "kringwinkel17"], help="serve this database alone")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    simulator = OdooSimulator(host=args.host, port=args.port, verbose=args.verbose)
    demo(simulator, args.items, only=args.only)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with simulator:
        print(f"ODOO_SIMULATOR_URL={simulator.url}")
        for name, database in simulator.databases.items():
            protocol = "JSON-2 + XML-RPC" if database.version >= 19 else "XML-RPC"
            print(f"database {name}: Odoo {database.version}.0 ({protocol}), "
                  f"{len(database.records['product.template'])} items, alone at {simulator.url_of(name)}")
            for credential in database.credentials:
                secret = (f"api key {credential['api_key']} (expires {credential['expires']})"
                          if "api_key" in credential else f"password {credential['password']}")
                print(f"  login {credential['login']} (uid {credential['uid']}): {secret}")
        sys.stdout.flush()
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
