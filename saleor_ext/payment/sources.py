"""What payment needs to know of the things it collects money for: a checkout, an order.

Payment sits below checkout and order (checkout completion moves a cart's transactions to its
order, an order's cancellation refunds through payment), so it cannot import them. Each of those
apps registers its rules here when it is ready: how much the source asks for, which transaction
field points at it, and the checks and holds to run before a payment starts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Model


@dataclass(frozen=True)
class PaymentSource:
    # The TransactionItem foreign key that points at such a source ("checkout" or "order").
    field: str
    # The gross amount the source asks for, before what its transactions already cover.
    total: Callable[[Model], Decimal]
    # Checks and holds before a payment starts (a cart reserves its items); raises ValidationError.
    before_payment: Callable[[Model], None] | None = None


_SOURCES: dict[type[Model], PaymentSource] = {}


def register(model: type[Model], source: PaymentSource) -> None:
    _SOURCES[model] = source


def source_rules(source: Model) -> PaymentSource:
    try:
        return _SOURCES[type(source)]
    except KeyError:
        raise TypeError(f"{type(source).__name__} is not a payment source: its app registers none.") from None
