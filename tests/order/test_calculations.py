"""One rule for what the shopper owes: the API's balance, the pickup payment and the payouts use it."""

from __future__ import annotations

import uuid
from decimal import Decimal

from saleor_ext.order.calculations import order_due, vendor_order_due
from saleor_ext.order.models import OrderLine, VendorOrder, VendorOrderStatus


def _part(status: str, shipping: str) -> VendorOrder:
    return VendorOrder(id=uuid.uuid4(), status=status, shipping_price_gross_amount=Decimal(shipping))


def _line(part: VendorOrder, price: str, quantity: int, cancelled: int = 0) -> OrderLine:
    return OrderLine(
        vendor_order_id=part.pk, unit_price_gross_amount=Decimal(price), quantity=quantity, quantity_cancelled=cancelled
    )


def test_cancelled_units_are_owed_no_more_and_a_delivery_only_while_the_part_hands_something_over():
    shipped = _part(VendorOrderStatus.ACCEPTED, "4.95")
    shipped_lines = [_line(shipped, "10.00", 2, cancelled=1), _line(shipped, "5.00", 1)]
    emptied = _part(VendorOrderStatus.ACCEPTED, "6.00")
    emptied_lines = [_line(emptied, "30.00", 1, cancelled=1)]
    cancelled = _part(VendorOrderStatus.CANCELLED, "6.00")
    cancelled_lines = [_line(cancelled, "12.00", 1, cancelled=1)]

    assert vendor_order_due(shipped, shipped_lines) == Decimal("19.95")
    assert vendor_order_due(emptied, emptied_lines) == Decimal("0")
    assert vendor_order_due(cancelled, cancelled_lines) == Decimal("0")
    assert order_due([shipped, emptied, cancelled], [*shipped_lines, *emptied_lines, *cancelled_lines]) == Decimal(
        "19.95"
    )
