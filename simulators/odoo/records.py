"""Reading a database's records: computed and delegated values, display names, indexes and the
``read`` answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .errors import BadValue, MissingError, NotFound
from .models import IMMUTABLE, Field, Model


class RecordsMixin:
    """The record helpers and ``read`` of ``Database``."""

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
