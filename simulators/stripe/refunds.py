"""Refunds of a PaymentIntent's charge, whole or in parts."""

from __future__ import annotations

import time

from .protocol import Call, Params, bad_request, format_amount, new_id

REFUND_REASONS = ("duplicate", "fraudulent", "requested_by_customer")
# The parameters a refund takes; others are refused, as Stripe does.
REFUND_CREATE = (
    "charge payment_intent amount reason metadata instructions_email refund_application_fee "
    "reverse_transfer origin currency customer"
).split()


class RefundsMixin:
    """The Refunds of ``StripeSimulator``."""

    # -- refunds ---------------------------------------------------------------------------------------
    def _create_refund(self, call: Call) -> dict:
        self._secret_only(call)
        params = Params(call.params, REFUND_CREATE)
        charge_id, intent_id = params.text("charge"), params.text("payment_intent")
        if not charge_id and not intent_id:
            raise bad_request(
                "Give the payment_intent or the charge to refund.", param="payment_intent", code="parameter_missing"
            )
        if intent_id:
            intent = self._require("payment_intent", intent_id, "payment_intent", "payment_intent")
            if intent["status"] != "succeeded":
                raise bad_request(
                    f"This PaymentIntent has no successful charge to refund (status {intent['status']}).",
                    param="payment_intent",
                    code="charge_not_refundable",
                )
            if charge_id and charge_id != intent["latest_charge"]:
                raise bad_request("The charge does not belong to this PaymentIntent.", param="charge")
            charge_id = intent["latest_charge"]
        charge = self._require("charge", charge_id, "charge", "charge")
        if charge["status"] != "succeeded":
            raise bad_request(
                "This charge did not succeed: there is nothing to refund.", param="charge", code="charge_not_refundable"
            )
        if params.boolean("reverse_transfer") or params.boolean("refund_application_fee"):
            raise bad_request(
                "Separate charges and transfers: reverse each transfer instead.", param="reverse_transfer"
            )
        remaining = charge["amount"] - charge["amount_refunded"]
        if remaining <= 0:
            raise bad_request(f"Charge {charge['id']} has already been refunded.", code="charge_already_refunded")
        amount = params.integer("amount", minimum=1)
        amount = remaining if amount is None else amount
        if amount > remaining:
            raise bad_request(
                f"Refund amount ({format_amount(amount, charge['currency'])}) is greater than unrefunded amount "
                f"on charge ({format_amount(remaining, charge['currency'])})",
                param="amount",
                code="amount_too_large",
            )
        refund = {
            "id": new_id("re"),
            "object": "refund",
            "amount": amount,
            "balance_transaction": new_id("txn"),
            "charge": charge["id"],
            "created": int(time.time()),
            "currency": charge["currency"],
            "destination_details": {"type": charge["payment_method_details"]["type"]},
            "metadata": params.metadata(),
            "payment_intent": charge["payment_intent"],
            "reason": params.text("reason", choices=REFUND_REASONS),
            "receipt_number": None,
            "source_transfer_reversal": None,
            "status": "succeeded",
            "transfer_reversal": None,
        }
        self._store(refund)
        self._refunds_of.setdefault(charge["id"], []).append(refund["id"])
        previous = {"amount_refunded": charge["amount_refunded"], "refunded": charge["refunded"]}
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] >= charge["amount"]
        self._emit("refund.created", refund, call)
        self._emit("charge.refunded", charge, call, previous)
        return self._render(refund, call)
