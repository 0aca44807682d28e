"""Sale orders and stock: confirming an order takes its units from the quants, cancelling it puts them
back, a changed line adjusts the delivery."""

from __future__ import annotations

from collections.abc import Callable

from .errors import UserError
from .models import now_string


class StockMixin:
    """``action_confirm``, ``action_cancel`` and the quant moves of ``Database``."""

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
