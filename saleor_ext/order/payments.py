"""The order as a payment source (registered with ``payment.sources`` when the order app is ready)."""

from __future__ import annotations

from decimal import Decimal

from .models import Order


def order_total(order: Order) -> Decimal:
    """What an order still asks for: its gross total less what was refunded."""
    return order.total_gross_amount - order.total_refunded_amount
