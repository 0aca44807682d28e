"""Stripe's webhook endpoint (``/plugins/stripe/webhooks/``, through ``StripePlugin.webhook``):
signature checked on the raw body, each event applied once."""

from __future__ import annotations

import logging

import stripe
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_POST

from saleor_ext.payment.services import handle_gateway_notification

from . import client as stripe_client
from .client import GATEWAY_ID, from_minor_units

logger = logging.getLogger(__name__)


def _notifications(event) -> list[dict]:
    """Our transaction facts for one Stripe event (a refund event may carry several refunds)."""
    obj = event["data"]["object"]
    kind = event["type"]
    if kind == "payment_intent.succeeded":
        amount = from_minor_units(obj.get("amount_received") or obj["amount"], obj["currency"])
        return [{"psp_reference": obj["id"], "type": "charge_success", "amount": amount}]
    if kind == "payment_intent.payment_failed":
        error = obj.get("last_payment_error") or {}
        amount = from_minor_units(obj["amount"], obj["currency"])
        message = error.get("message", "")
        return [{"psp_reference": obj["id"], "type": "charge_failure", "amount": amount, "message": message}]
    if kind == "refund.created" or kind == "refund.updated":
        if obj.get("status") != "succeeded" or not obj.get("payment_intent"):
            return []
        return [
            {
                "psp_reference": obj["payment_intent"],
                "fact_reference": obj["id"],
                "type": "refund_success",
                "amount": from_minor_units(obj["amount"], obj["currency"]),
            }
        ]
    if kind == "charge.refunded":
        # Recent API versions send the charge without its refunds: ask for them, so each refund
        # is recorded under its own id (the same key our refund call used).
        refunds = ((obj.get("refunds") or {}).get("data")) or [
            stripe_client.plain(refund)
            for refund in stripe_client.client().v1.refunds.list(params={"charge": obj["id"], "limit": 100})
        ]
        return [
            {
                "psp_reference": obj["payment_intent"],
                "fact_reference": refund["id"],
                "type": "refund_success",
                "amount": from_minor_units(refund["amount"], obj["currency"]),
            }
            for refund in refunds
            if refund.get("status", "succeeded") == "succeeded"
        ]
    return []


@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        return JsonResponse({"error": "Stripe webhooks are not configured."}, status=404)
    payload = request.body.decode("utf-8")
    try:
        event = stripe.Webhook.construct_event(payload, request.headers.get("Stripe-Signature", ""), secret)
    except ValueError:
        return JsonResponse({"error": "Invalid payload."}, status=400)
    except stripe.SignatureVerificationError:
        return JsonResponse({"error": "Invalid signature."}, status=400)
    outcomes = []
    for index, fact in enumerate(_notifications(stripe_client.plain(event))):
        outcomes.append(
            handle_gateway_notification(
                gateway_id=GATEWAY_ID,
                event_id=f"{event['id']}:{index}",
                event_type=event["type"],
                message=fact.pop("message", ""),
                **fact,
            )
        )
    if "unknown" in outcomes:
        # Stripe retries later; by then the payment's own answer will have been stored.
        return JsonResponse({"status": "unknown payment"}, status=404)
    return JsonResponse({"status": "ok", "handled": outcomes})
