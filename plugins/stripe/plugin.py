"""Stripe: card and Bancontact payments captured at once, refunds, and payouts to member shops.

Separate charges and transfers (reference/stripe.md): the shopper pays the platform once with a
PaymentIntent whose ``transfer_group`` names the cart; once a shop has handed its part over, a
Transfer sends it its share less the federation's commission; refunding a part the shop was
already paid for reverses the matching share of its transfer. Every POST carries an idempotency
key derived from our ids, so a retried call never pays, refunds or transfers twice.
"""

from __future__ import annotations

from decimal import Decimal

import stripe
from django.conf import settings
from django.db import transaction

from saleor_ext.payment.interface import PaymentGatewayData, TransactionSession, TransactionSessionResult
from saleor_ext.plugins.base_plugin import BasePlugin

from . import client as stripe_client
from .client import GATEWAY_ID, from_minor_units, to_minor_units
from .payouts import pay_vendor_order, reverse_for_cancelled_lines
from .webhooks import stripe_webhook


def _result_for(intent, amount: Decimal) -> TransactionSessionResult:
    """Our transaction event for the PaymentIntent's status."""
    intent = stripe_client.plain(intent)
    status = intent["status"]
    data = {"paymentIntent": intent["id"], "clientSecret": intent.get("client_secret"), "status": status}
    if status == "succeeded":
        received = from_minor_units(intent.get("amount_received") or intent["amount"], intent["currency"])
        return TransactionSessionResult(
            result="charge_success", amount=received, psp_reference=intent["id"], data=data, actions=("refund",)
        )
    if status in ("requires_action", "requires_confirmation", "requires_payment_method") and not intent.get(
        "last_payment_error"
    ):
        next_action = intent.get("next_action") or {}
        redirect = (next_action.get("redirect_to_url") or {}).get("url", "")
        return TransactionSessionResult(
            result="charge_action_required",
            amount=amount,
            psp_reference=intent["id"],
            data={**data, "nextAction": next_action or None},
            external_url=redirect,
        )
    if status == "processing":
        return TransactionSessionResult(result="charge_request", amount=amount, psp_reference=intent["id"], data=data)
    error = intent.get("last_payment_error") or {}
    return TransactionSessionResult(
        result="charge_failure",
        amount=amount,
        psp_reference=intent["id"],
        data=data,
        message=error.get("message") or f"Payment {status}.",
    )


def _failure(amount: Decimal, error: stripe.StripeError, kind: str = "charge_failure") -> TransactionSessionResult:
    return TransactionSessionResult(result=kind, amount=amount, message=error.user_message or str(error))


class StripePlugin(BasePlugin):
    PLUGIN_ID = GATEWAY_ID
    PLUGIN_URL_NAME = "stripe"
    PLUGIN_NAME = "Stripe"
    PLUGIN_DESCRIPTION = "Cards and Bancontact through Stripe; payouts to member shops with Stripe Connect."
    DEFAULT_ACTIVE = True
    CONFIGURATION_PER_CHANNEL = False

    # -- the storefront's view -----------------------------------------------------------------
    def get_payment_gateways(self, currency, checkout, previous_value=None):
        gateways = list(previous_value or [])
        if stripe_client.is_configured():
            gateways.append(
                PaymentGatewayData(
                    id=self.PLUGIN_ID,
                    name=self.PLUGIN_NAME,
                    currencies=[currency],
                    config=[{"field": "api_key", "value": settings.STRIPE_PUBLISHABLE_KEY}],
                )
            )
        return gateways

    def payment_gateway_initialize_session(self, amount, source, data, previous_value=None):
        return {"stripePublishableKey": settings.STRIPE_PUBLISHABLE_KEY}

    # -- paying ----------------------------------------------------------------------------------
    def transaction_initialize_session(self, session: TransactionSession, previous_value=None):
        data = session.data or {}
        source = session.source
        params = {
            "amount": to_minor_units(session.amount, session.currency),
            "currency": session.currency.lower(),
            "transfer_group": transfer_group_for(source),
            "metadata": {"transaction": str(session.transaction.token), "source": str(source.pk)},
            # Bancontact cannot be captured later: everything is captured at once.
            "capture_method": "automatic",
        }
        if getattr(source, "email", None):
            params["receipt_email"] = source.email
        if data.get("paymentMethod"):
            params.update(payment_method=data["paymentMethod"], confirm=True)
            if data.get("returnUrl"):
                params["return_url"] = data["returnUrl"]
                params["automatic_payment_methods"] = {"enabled": True}
            else:
                # Confirmed here without a page to come back to: only methods without a redirect.
                params["automatic_payment_methods"] = {"enabled": True, "allow_redirects": "never"}
        else:
            params["automatic_payment_methods"] = {"enabled": True}
        try:
            intent = stripe_client.client().v1.payment_intents.create(
                params=params, options={"idempotency_key": session.idempotency_key}
            )
        except stripe.StripeError as error:
            return _failure(session.amount, error)
        return _result_for(intent, session.amount)

    def transaction_process_session(self, session: TransactionSession, previous_value=None):
        reference = session.transaction.psp_reference
        if not reference:
            return TransactionSessionResult(result="charge_failure", amount=session.amount, message="No payment yet.")
        try:
            intent = stripe_client.client().v1.payment_intents.retrieve(reference)
        except stripe.StripeError as error:
            return _failure(session.amount, error)
        return _result_for(intent, session.amount)

    def transaction_refund_requested(self, transaction_item, amount, reason, previous_value=None):
        count = transaction_item.events.filter(type="refund_request").count()
        try:
            refund = stripe_client.client().v1.refunds.create(
                params={
                    "payment_intent": transaction_item.psp_reference,
                    "amount": to_minor_units(amount, transaction_item.currency),
                    "metadata": {"transaction": str(transaction_item.token), "reason": reason[:400]},
                },
                options={"idempotency_key": f"refund:{transaction_item.token}:{count}"},
            )
        except stripe.StripeError as error:
            return _failure(amount, error, "refund_failure")
        refund = stripe_client.plain(refund)
        result = "refund_success" if refund["status"] == "succeeded" else "refund_request"
        return TransactionSessionResult(result=result, amount=amount, psp_reference=refund["id"])

    # -- Stripe's calls: /plugins/stripe/webhooks/ (deployments point Stripe there) ------------------
    def webhook(self, request, path, previous_value=None):
        return stripe_webhook(request) if path == "webhooks/" else previous_value

    # -- payouts ---------------------------------------------------------------------------------
    def vendor_order_fulfilled(self, vendor_order, previous_value=None):
        if stripe_client.is_configured():
            transaction.on_commit(lambda: pay_vendor_order(vendor_order.pk))
        return previous_value

    def order_lines_cancelled(self, order, lines, amount, previous_value=None):
        if stripe_client.is_configured():
            reverse_for_cancelled_lines(order, lines)
        return previous_value


def transfer_group_for(source) -> str:
    """One group per cart, kept by the order it becomes: the PaymentIntent and the shops' transfers."""
    token = getattr(source, "checkout_token", None) or source.pk
    return f"cart-{token}"
