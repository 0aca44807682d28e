"""Writing a database's records as Odoo does: value checks, x2many commands, create, write, unlink."""

from __future__ import annotations

from typing import Any

from .calls import as_ids
from .errors import BadValue, MissingError, UserError, ValidationError
from .models import Field, Model, now_string


class WritesMixin:
    """``create``, ``write`` and ``unlink`` of ``Database``."""

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
