"""What a payment plugin answers: the contract between the payment core and the gateways.

A payment plugin (``BasePlugin`` subclass listed in ``PLUGINS``) implements any of:

- ``get_payment_gateways(currency, checkout, previous_value) -> list[PaymentGatewayData]``
  (append its own gateway to ``previous_value``);
- ``payment_gateway_initialize_session(amount, source, data, previous_value) -> dict``
  (the ``data`` the storefront needs before paying, e.g. Stripe's publishable key);
- ``transaction_initialize_session(session: TransactionSession, previous_value) -> TransactionSessionResult``;
- ``transaction_process_session(session: TransactionSession, previous_value) -> TransactionSessionResult``;
- ``transaction_refund_requested(transaction, amount, reason, previous_value) -> TransactionSessionResult``.

The core calls the plugin whose ``PLUGIN_ID`` is the gateway id, records what it answers as
``TransactionEvent`` rows and recomputes the checkout's or order's payment status.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class PaymentGatewayData:
    id: str
    name: str
    currencies: list[str]
    config: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class TransactionSession:
    transaction: Any  # TransactionItem
    source: Any  # Checkout or Order
    action: str  # "charge" or "authorization"
    amount: Decimal
    currency: str
    data: dict | None
    customer_ip_address: str | None = None
    # Key the gateway should pass on to the PSP so that a retried call does not pay twice.
    idempotency_key: str = ""


@dataclass(frozen=True)
class TransactionSessionResult:
    # A TransactionEventType value: charge_success, charge_failure, charge_request,
    # charge_action_required, authorization_success, refund_success, refund_request…
    result: str
    amount: Decimal
    psp_reference: str | None = None
    data: dict | None = None
    message: str = ""
    external_url: str = ""
    actions: tuple[str, ...] = ()
