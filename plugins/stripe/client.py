"""The official ``stripe`` library, configured from settings (a local Stripe server in tests and
the demo through ``STRIPE_API_BASE``)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import stripe
from django.conf import settings

# The gateway's id, Saleor's: StripePlugin.PLUGIN_ID and the transactions it records.
GATEWAY_ID = "saleor.payments.stripe"

# Stripe counts EUR (and the currencies we sell in) in cents.
ZERO_DECIMAL_CURRENCIES = {"JPY", "KRW", "VND", "CLP", "XOF", "XAF"}


def to_minor_units(amount: Decimal, currency: str) -> int:
    if currency.upper() in ZERO_DECIMAL_CURRENCIES:
        return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def from_minor_units(amount: int, currency: str) -> Decimal:
    if currency.upper() in ZERO_DECIMAL_CURRENCIES:
        return Decimal(amount)
    return (Decimal(amount) / 100).quantize(Decimal("0.01"))


def plain(obj):
    """A Stripe object as plain dicts and lists (the library's objects are not dicts)."""
    return obj.to_dict() if hasattr(obj, "to_dict") else obj


def is_configured() -> bool:
    return bool(settings.STRIPE_SECRET_KEY)


def client() -> stripe.StripeClient:
    base = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None
    # Retries reuse the request's idempotency key, so a lost answer never pays twice.
    return stripe.StripeClient(settings.STRIPE_SECRET_KEY, base_addresses=base, max_network_retries=2)
