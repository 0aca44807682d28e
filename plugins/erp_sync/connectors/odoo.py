"""What both Odoo connectors share: the records a marketplace reads and writes, whatever the protocol.

``OdooConnector`` implements ``base.Connector`` on top of one primitive, ``call(model, method,
ids=..., context=..., **params)``, that the JSON-2 (``odoo_json2.py``) and XML-RPC
(``odoo_xmlrpc.py``) subclasses carry over HTTP. Parameters are always given by name: JSON-2 takes
nothing else, and Odoo's ``execute_kw`` accepts them as keyword arguments too.

Reading (reference/odoo.md): items are ``product.product`` records (with their template's fields,
readable through the variant), storable goods only, archived ones included (``active_test``
off) so that archiving reaches the marketplace. A product's ``write_date`` moves with its own
edits and its template's move with the template's: both are queried and merged. Stock comes from
``stock.quant`` in internal locations (sellable = quantity − reserved), which have their own
``write_date``: a sale in the shop changes the quant, not the product.

Writing: a sale is a ``sale.order`` whose ``client_order_ref`` is our reference; it is searched
before it is created, and created and confirmed in two calls (each JSON-2 call is its own
transaction), so a push retried after a failure between the two only confirms the draft.
"""

from __future__ import annotations

import base64
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from .base import (
    AccessDenied,
    ConnectionReport,
    ConnectorError,
    ErpCategory,
    ErpImage,
    ErpItem,
    PushResult,
    SalePush,
    StockChanges,
)

ODOO_DATETIME = "%Y-%m-%d %H:%M:%S"
# Ids are listed in pages of this size before their records are read in the caller's batches.
ID_PAGE = 10_000
# Warn this long before an API key stops working.
KEY_EXPIRY_WARNING = timedelta(days=14)


@dataclass(frozen=True)
class FieldMapping:
    """Which Odoo fields carry what the marketplace needs beyond Odoo's own (per member)."""

    grade: str = ""  # e.g. "x_grade" (a selection or char field); empty: no grade from Odoo
    condition_notes: str = ""  # e.g. "x_condition_notes"
    # How a member says "sell this online": a product tag's name, a boolean field, or every
    # sellable product with stock.
    online_rule: str = "all"  # "all" | "tag" | "field"
    online_value: str = ""  # the tag's name or the boolean field's name

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> FieldMapping:
        data = data or {}
        known = {name: str(data[name]) for name in cls.__dataclass_fields__ if data.get(name)}
        return cls(**known)


def to_odoo_datetime(value: datetime) -> str:
    return value.astimezone(UTC).strftime(ODOO_DATETIME)


def from_odoo_datetime(value: str | bool | None) -> datetime | None:
    if not value:
        return None
    text = str(value)[:19]
    try:
        # Odoo's "YYYY-MM-DD HH:MM:SS" is ISO 8601 with a space; fromisoformat parses it far
        # faster than strptime, which matters at one call per item of a 100 000-item import.
        return datetime.fromisoformat(text).replace(tzinfo=UTC)
    except ValueError:
        return datetime.strptime(text, ODOO_DATETIME).replace(tzinfo=UTC)


def many2one_id(value: Any) -> int | None:
    """Odoo reads a many2one as ``[id, display_name]`` (or False); JSON-2 may give the bare id."""
    if isinstance(value, list | tuple) and value:
        return int(value[0])
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


def _text(value: Any) -> str:
    return "" if value in (None, False) else str(value)


@dataclass
class _Schema:
    """What this Odoo has, read once per connector (fields differ between versions 16 and 19)."""

    template_fields: set[str] = field(default_factory=set)
    product_fields: set[str] = field(default_factory=set)

    @property
    def storable_domain(self) -> list:
        # Odoo 18+: consumables with is_storable; 16–17: detailed_type/type 'product'.
        if "is_storable" in self.template_fields:
            return [("is_storable", "=", True)]
        if "detailed_type" in self.template_fields:
            return [("detailed_type", "=", "product")]
        return [("type", "=", "product")]


class OdooConnector:
    """base.Connector for an Odoo server; subclasses provide ``call`` and ``server_info``."""

    def __init__(self, *, mapping: FieldMapping | None = None, lang: str = "fr_BE"):
        self.mapping = mapping or FieldMapping()
        self.lang = lang
        self._schema: _Schema | None = None
        self._internal_locations: list[int] | None = None
        self._tag_id: int | None = None
        self.expected_items: int | None = None

    # -- transport ------------------------------------------------------------------------------

    def call(self, model: str, method: str, *, ids: Sequence[int] | None = None,
             context: dict | None = None, **params: Any) -> Any:
        raise NotImplementedError

    def server_version(self) -> str:
        raise NotImplementedError

    def current_user(self) -> tuple[int, str]:
        raise NotImplementedError

    def key_expiry(self) -> datetime | None:
        """When the credentials stop working, where the protocol can tell (API keys)."""
        return None

    def _context(self, **extra: Any) -> dict:
        return {"lang": self.lang, **extra}

    def search_read(self, model: str, domain: list, fields: list[str], *, order: str = "id",
                    limit: int | None = None, offset: int = 0, archived: bool = False) -> list[dict]:
        params: dict[str, Any] = {"domain": domain, "fields": fields, "order": order, "offset": offset}
        if limit is not None:
            params["limit"] = limit
        context = self._context(active_test=False) if archived else self._context()
        return self.call(model, "search_read", context=context, **params)

    # -- schema ---------------------------------------------------------------------------------

    def schema(self) -> _Schema:
        if self._schema is None:
            template = self.call("product.template", "fields_get", context=self._context(), attributes=["type"])
            product = self.call("product.product", "fields_get", context=self._context(), attributes=["type"])
            self._schema = _Schema(set(template), set(product))
        return self._schema

    def internal_locations(self) -> list[int]:
        if self._internal_locations is None:
            rows = self.search_read("stock.location", [("usage", "=", "internal")], ["id"])
            self._internal_locations = [row["id"] for row in rows]
        return self._internal_locations

    # -- base.Connector ---------------------------------------------------------------------------

    def test_connection(self) -> ConnectionReport:
        version = self.server_version()
        warnings = []
        try:
            _uid, user_name = self.current_user()
        except AccessDenied:
            user_name = ""
            warnings.append("The user cannot read its own name (res.users): check its access rights.")
        expires = self.key_expiry()
        if expires is not None and expires - datetime.now(UTC) < KEY_EXPIRY_WARNING:
            warnings.append(f"The API key expires on {expires:%Y-%m-%d}: create a new one in Odoo before then.")
        pos_mode = self.pos_stock_mode()
        if pos_mode == "closing":
            warnings.append(
                "The point of sale updates stock only when a session closes: items sold in the shop stay "
                "on sale online until then. Odoo's point of sale setting 'Update quantities in stock: in real "
                "time' avoids it."
            )
        for model in ("product.product", "stock.quant", "sale.order"):
            try:
                self.call(model, "search_count", context=self._context(), domain=[])
            except ConnectorError as error:
                warnings.append(f"No access to {model}: {error}")
        return ConnectionReport(
            ok=True,
            server_version=version,
            user_name=user_name,
            message=f"Connected to Odoo {version} as {user_name}.",
            key_expires_at=expires,
            pos_stock_mode=pos_mode,
            warnings=tuple(warnings),
        )

    def pos_stock_mode(self) -> str:
        """'real' or 'closing' (Odoo's point_of_sale_update_stock_quantities), '' when unreadable."""
        try:
            rows = self.search_read(
                "res.company", [], ["point_of_sale_update_stock_quantities"], limit=1
            )
        except ConnectorError:
            return ""
        return _text(rows[0].get("point_of_sale_update_stock_quantities")) if rows else ""

    def categories(self) -> list[ErpCategory]:
        rows = self.search_read("product.category", [], ["id", "complete_name", "name"], order="complete_name")
        return [
            ErpCategory(ref=str(row["id"]), name=_text(row.get("complete_name") or row.get("name"))) for row in rows
        ]

    def _changed_product_ids(self, changed_since: datetime | None) -> list[tuple[datetime | None, int]]:
        """(change date, product id) of storable products changed since the cursor, own edits
        or their template's, oldest first."""
        domain = list(self.schema().storable_domain)
        since = [("write_date", ">", to_odoo_datetime(changed_since))] if changed_since else []
        changed: dict[int, datetime | None] = {}

        def note(product_id: int, when: datetime | None) -> None:
            current = changed.get(product_id)
            if product_id not in changed or (when and (current is None or when > current)):
                changed[product_id] = when

        offset = 0
        while True:
            rows = self.search_read(
                "product.product", domain + since, ["id", "write_date"],
                order="write_date, id", limit=ID_PAGE, offset=offset, archived=True,
            )
            for row in rows:
                note(row["id"], from_odoo_datetime(row.get("write_date")))
            if len(rows) < ID_PAGE:
                break
            offset += ID_PAGE
        if changed_since is not None:
            # Edits of the template (name, price, description…) move the template's date only.
            offset = 0
            while True:
                rows = self.search_read(
                    "product.template", domain + since, ["id", "write_date", "product_variant_ids"],
                    order="write_date, id", limit=ID_PAGE, offset=offset, archived=True,
                )
                for row in rows:
                    for product_id in row.get("product_variant_ids") or []:
                        note(product_id, from_odoo_datetime(row.get("write_date")))
                if len(rows) < ID_PAGE:
                    break
                offset += ID_PAGE
        epoch = datetime.min.replace(tzinfo=UTC)
        return sorted(((when, pk) for pk, when in changed.items()), key=lambda pair: (pair[0] or epoch, pair[1]))

    def _product_fields(self) -> list[str]:
        wanted = [
            "id", "product_tmpl_id", "name", "default_code", "barcode", "list_price", "lst_price",
            "description_sale", "categ_id", "weight", "active", "sale_ok", "write_date", "product_tag_ids",
            "image_1920",
        ]
        mapping = self.mapping
        wanted += [name for name in (mapping.grade, mapping.condition_notes) if name]
        if mapping.online_rule == "field" and mapping.online_value:
            wanted.append(mapping.online_value)
        available = self.schema().product_fields
        return [name for name in dict.fromkeys(wanted) if name in available]

    def _online_tag(self) -> int | None:
        if self._tag_id is None and self.mapping.online_rule == "tag" and self.mapping.online_value:
            rows = self.search_read("product.tag", [("name", "=", self.mapping.online_value)], ["id"], limit=1)
            self._tag_id = rows[0]["id"] if rows else 0
        return self._tag_id or None

    def _item(self, row: dict, quantity: int, when: datetime | None) -> ErpItem:
        mapping = self.mapping
        price = row.get("list_price")
        if price in (None, False):
            price = row.get("lst_price") or 0
        online = bool(row.get("sale_ok", True))
        if mapping.online_rule == "tag":
            online = online and self._online_tag() in (row.get("product_tag_ids") or [])
        elif mapping.online_rule == "field" and mapping.online_value:
            online = online and bool(row.get(mapping.online_value))
        else:
            online = online and quantity > 0
        image = row.get("image_1920")
        weight = row.get("weight")
        return ErpItem(
            ref=str(row["id"]),
            name=_text(row.get("name")),
            price=Decimal(str(price)).quantize(Decimal("0.01")),
            sku=_text(row.get("default_code")),
            barcode=_text(row.get("barcode")),
            description=_text(row.get("description_sale")),
            category_ref=str(many2one_id(row.get("categ_id")) or ""),
            weight_kg=Decimal(str(weight)) if weight not in (None, False) else None,
            active=bool(row.get("active", True)),
            online=online,
            grade=_text(row.get(mapping.grade)) if mapping.grade else "",
            condition_notes=_text(row.get(mapping.condition_notes)) if mapping.condition_notes else "",
            images=[ErpImage(data=base64.b64decode(image))] if image else [],
            quantity=quantity,
            updated_at=when or from_odoo_datetime(row.get("write_date")),
        )

    def items(self, *, changed_since: datetime | None, batch_size: int) -> Iterator[list[ErpItem]]:
        changed = self._changed_product_ids(changed_since)
        self.expected_items = len(changed)
        fields = self._product_fields()
        for start in range(0, len(changed), batch_size):
            chunk = changed[start : start + batch_size]
            ids = [pk for _when, pk in chunk]
            rows = self.call(
                "product.product", "read", ids=ids, context=self._context(active_test=False), fields=fields
            )
            quantities = self._quantities(ids)
            dates = {pk: when for when, pk in chunk}
            by_id = {row["id"]: row for row in rows}
            yield [
                self._item(by_id[pk], quantities.get(pk, 0), dates.get(pk)) for pk in ids if pk in by_id
            ]

    def _quants(self, domain: list) -> list[dict]:
        return self.search_read(
            "stock.quant",
            [("location_id", "in", self.internal_locations()), *domain],
            ["product_id", "quantity", "reserved_quantity", "write_date"],
        )

    def _quantities(self, product_ids: Sequence[int] | None) -> dict[int, int]:
        """Sellable quantity per product in internal locations (absent: none)."""
        domain = [("product_id", "in", list(product_ids))] if product_ids is not None else []
        if product_ids is not None and not product_ids:
            return {}
        totals: dict[int, float] = defaultdict(float)
        for quant in self._quants(domain):
            product_id = many2one_id(quant.get("product_id"))
            if product_id is not None:
                totals[product_id] += float(quant.get("quantity") or 0) - float(quant.get("reserved_quantity") or 0)
        return {pk: max(int(total), 0) for pk, total in totals.items()}

    def stock_changes(self, *, changed_since: datetime | None) -> StockChanges:
        domain = [("write_date", ">", to_odoo_datetime(changed_since))] if changed_since else []
        moved = self._quants(domain)
        product_ids = sorted({pk for quant in moved if (pk := many2one_id(quant.get("product_id"))) is not None})
        dates = [when for quant in moved if (when := from_odoo_datetime(quant.get("write_date"))) is not None]
        cursor = max(dates, default=None)
        levels = self._quantities(product_ids)
        return StockChanges(
            levels={str(pk): levels.get(pk, 0) for pk in product_ids},
            cursor=cursor or changed_since,
        )

    def stock_levels(self, refs: Sequence[str] | None = None) -> dict[str, int]:
        ids = [int(ref) for ref in refs] if refs is not None else None
        return {str(pk): quantity for pk, quantity in self._quantities(ids).items()}

    # -- writing sales ----------------------------------------------------------------------------

    def _find_order(self, reference: str) -> dict | None:
        rows = self.search_read(
            "sale.order", [("client_order_ref", "=", reference)], ["id", "name", "state"], order="id", limit=1
        )
        return rows[0] if rows else None

    def _partner(self, name: str, email: str) -> int:
        if email:
            rows = self.search_read("res.partner", [("email", "=ilike", email)], ["id"], limit=1)
            if rows:
                return rows[0]["id"]
        created = self.call("res.partner", "create", context=self._context(),
                            vals_list=[{"name": name or email, "email": email}])
        return created[0] if isinstance(created, list) else created

    def push_sale(self, sale: SalePush) -> PushResult:
        found = self._find_order(sale.reference)
        if found is not None:
            if found.get("state") == "draft":
                # A push that failed between its two calls: only the confirmation is missing.
                self.call("sale.order", "action_confirm", ids=[found["id"]], context=self._context())
            return PushResult(external_ref=_text(found.get("name")), created=False)
        partner_id = self._partner(sale.customer_name, sale.customer_email)
        lines = [
            [0, 0, {"product_id": int(line.item_ref), "product_uom_qty": line.quantity,
                    "price_unit": float(line.unit_price)}]
            for line in sale.lines
        ]
        created = self.call(
            "sale.order", "create", context=self._context(),
            vals_list=[{"partner_id": partner_id, "client_order_ref": sale.reference, "order_line": lines}],
        )
        order_id = created[0] if isinstance(created, list) else created
        self.call("sale.order", "action_confirm", ids=[order_id], context=self._context())
        rows = self.call("sale.order", "read", ids=[order_id], context=self._context(), fields=["name"])
        return PushResult(external_ref=_text(rows[0].get("name")) if rows else str(order_id), created=True)

    def update_sale(self, sale: SalePush) -> None:
        found = self._find_order(sale.reference)
        if found is None or found.get("state") == "cancel":
            return
        wanted: dict[int, float] = defaultdict(float)
        for line in sale.lines:
            wanted[int(line.item_ref)] += line.quantity
        rows = self.search_read("sale.order.line", [("order_id", "=", found["id"])],
                                ["id", "product_id", "product_uom_qty"], order="id")
        for row in rows:
            product_id = many2one_id(row.get("product_id"))
            current = float(row.get("product_uom_qty") or 0)
            target = min(current, wanted.get(product_id, 0.0))
            wanted[product_id] = wanted.get(product_id, 0.0) - target
            if target < current:
                # Odoo lowers the delivery of a confirmed order with the line: the units return to stock.
                self.call("sale.order.line", "write", ids=[row["id"]], context=self._context(),
                          vals={"product_uom_qty": target})

    def cancel_sale(self, reference: str) -> None:
        found = self._find_order(reference)
        if found is None or found.get("state") == "cancel":
            return
        self.call("sale.order", "action_cancel", ids=[found["id"]], context=self._context())
