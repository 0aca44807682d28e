"""The checkout as a payment source: what it asks for and what holds before a payment starts.

Registered with ``payment.sources`` when the checkout app is ready (payment cannot import checkout).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError

from saleor_ext.warehouse.management import InsufficientStock, StockDemand, reserve_stocks

from .error_codes import CheckoutErrorCode
from .fetch import fetch_checkout_info
from .models import Checkout


def checkout_total(checkout: Checkout) -> Decimal:
    """The cart's gross total as the shopper sees it (lines, deliveries, VAT)."""
    return fetch_checkout_info(checkout).total.gross.amount


def before_checkout_payment(checkout: Checkout) -> None:
    """A payment for an empty cart is refused; otherwise the cart's items are reserved for the
    channel's ``checkout_reservation_minutes`` while the shopper pays."""
    if not checkout.lines.exists():
        raise ValidationError({"id": [ValidationError("The cart is empty.", code="no_lines")]})
    demands = [
        StockDemand(line.variant_id, line.quantity, line.pk)
        for line in checkout.lines.select_related("variant")
        if line.variant.track_inventory
    ]
    try:
        reserve_stocks(
            demands, checkout.channel, checkout_token=checkout.pk, minutes=checkout.channel.checkout_reservation_minutes
        )
    except InsufficientStock as short:
        raise ValidationError(
            {
                "id": [
                    ValidationError(
                        f"Some items were just sold ({short}); remove them from the cart.",
                        code=CheckoutErrorCode.INSUFFICIENT_STOCK.value,
                    )
                ]
            }
        ) from None
