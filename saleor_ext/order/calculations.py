"""What the shopper still owes for an order and for each shop's part of it.

One rule for everything that needs it: the API's ``totalBalance``, the payment a shop takes at
pickup and the shop's payout. Cancelled units are owed no more; a part's delivery is owed while
the part still hands something over.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from .models import OrderLine, VendorOrder, VendorOrderStatus


def kept_quantity(line: OrderLine) -> int:
    """Units of the line that were not cancelled (handed over or still to be)."""
    return line.quantity - line.quantity_cancelled


def vendor_order_due(vendor_order: VendorOrder, lines: Iterable[OrderLine]) -> Decimal:
    """Gross owed for one shop's part: its kept units at their gross unit price, plus its delivery
    unless the part is cancelled or keeps nothing."""
    goods = sum((line.unit_price_gross_amount * kept_quantity(line) for line in lines), Decimal(0))
    if goods <= 0 or vendor_order.status == VendorOrderStatus.CANCELLED:
        return goods
    return goods + vendor_order.shipping_price_gross_amount


def order_due(vendor_orders: Iterable[VendorOrder], lines: Iterable[OrderLine]) -> Decimal:
    """Gross owed for a whole order: the sum of its parts (``lines`` are the order's lines)."""
    by_part: dict[object, list[OrderLine]] = defaultdict(list)
    for line in lines:
        by_part[line.vendor_order_id].append(line)
    return sum((vendor_order_due(part, by_part[part.pk]) for part in vendor_orders), Decimal(0))
