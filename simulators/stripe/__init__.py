"""A local server speaking the part of Stripe's HTTP API that the marketplace uses.

Stripe cannot be reached from our machines, so tests and ``make demo`` point the official ``stripe``
library at this server (``StripeClient(key, base_addresses={"api": sim.url})`` or
``stripe.api_base``). It answers with Stripe's JSON shapes and error format, honours idempotency
keys, and sends signed webhooks that ``stripe.Webhook.construct_event`` accepts.

Covered: PaymentIntents (create, retrieve, update, confirm, cancel, list) with test payment methods
(``pm_card_visa`` succeeds, ``pm_card_chargeDeclined`` is declined, ``pm_bancontact`` redirects to
a bank page served here), Charges, Refunds, Connect accounts and account links, Transfers and their
reversals, Events. Not covered: manual capture, customers, disputes, balances, acting as a
connected account (``Stripe-Account``).

Run alone: ``python -m simulators.stripe --port 12111 [--webhook-url URL]``; it prints the
``STRIPE_*`` settings that point the marketplace at it.

The package, one job a file: ``server`` (life cycle, test controls, authentication, idempotency,
routes), ``protocol`` (ids, errors, form parameters), ``objects`` (storage, ``expand[]``, lists),
``payment_methods``, ``payment_intents`` (with charges and the bank page), ``refunds``, ``connect``
(accounts, transfers, reversals), ``webhooks`` (events and their signed delivery) and ``__main__``
(the command line).
"""

from .payment_methods import TEST_CARDS, CardBehaviour
from .protocol import API_VERSION, Params, StripeApiError, format_amount, new_id, parse_params
from .server import StripeSimulator
from .webhooks import WebhookEndpoint, signature_header

__all__ = [
    "API_VERSION",
    "TEST_CARDS",
    "CardBehaviour",
    "Params",
    "StripeApiError",
    "StripeSimulator",
    "WebhookEndpoint",
    "format_amount",
    "new_id",
    "parse_params",
    "signature_header",
]
