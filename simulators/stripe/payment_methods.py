"""PaymentMethods: Stripe's test payment methods (``pm_card_visa``, ``pm_card_chargeDeclined``…) and
Bancontact."""

from __future__ import annotations

import time
from dataclasses import dataclass

from .protocol import bad_request, new_id, no_such


@dataclass(frozen=True)
class CardBehaviour:
    brand: str
    last4: str
    decline_code: str | None = None
    decline_message: str = ""


# Stripe's test PaymentMethod ids. Each use makes a fresh ``pm_…`` object, as Stripe does.
TEST_CARDS = {
    "pm_card_visa": CardBehaviour("visa", "4242"),
    "pm_card_mastercard": CardBehaviour("mastercard", "4444"),
    "pm_card_amex": CardBehaviour("amex", "8431"),
    "pm_card_bancontact": CardBehaviour("bancontact", "0001"),
    "pm_card_chargeDeclined": CardBehaviour("visa", "0002", "generic_decline", "The card was declined."),
    "pm_card_visa_chargeDeclined": CardBehaviour("visa", "0002", "generic_decline", "The card was declined."),
    "pm_card_chargeDeclinedInsufficientFunds": CardBehaviour(
        "visa", "9995", "insufficient_funds", "The card has insufficient funds."
    ),
    "pm_card_chargeDeclinedExpiredCard": CardBehaviour("visa", "0069", "expired_card", "The card has expired."),
}
TEST_BANCONTACT = "pm_bancontact"
PAYMENT_METHOD_TYPES = ("card", "bancontact")


class PaymentMethodsMixin:
    """The PaymentMethods of ``StripeSimulator``."""

    # -- payment methods -------------------------------------------------------------------------------
    def _payment_method(self, reference: str | None, data: dict | None, param: str = "payment_method") -> dict | None:
        if data:
            kind = data.get("type")
            if kind != "bancontact":
                raise bad_request(
                    "payment_method_data only takes type=bancontact here; pay by card with a test "
                    "PaymentMethod such as pm_card_visa.",
                    param="payment_method_data[type]",
                )
            return self._new_payment_method("bancontact", None, data.get("billing_details") or {})
        if not reference:
            return None
        if reference in TEST_CARDS:
            return self._new_payment_method("card", TEST_CARDS[reference], {})
        if reference == TEST_BANCONTACT:
            return self._new_payment_method("bancontact", None, {"name": "Test Shopper"})
        existing = self._lookup("payment_method", reference)
        if existing is None:
            raise no_such("PaymentMethod", reference, param)
        return existing

    def _new_payment_method(self, kind: str, card: CardBehaviour | None, billing: dict) -> dict:
        method = {
            "id": new_id("pm"),
            "object": "payment_method",
            "billing_details": {"address": None, "email": None, "name": None, "phone": None, **billing},
            "created": int(time.time()),
            "customer": None,
            "livemode": False,
            "metadata": {},
            "type": kind,
        }
        if card is not None:
            method["card"] = {
                "brand": card.brand,
                "country": "BE" if card.brand == "bancontact" else "US",
                "exp_month": 12,
                "exp_year": time.gmtime().tm_year + 3,
                "funding": "debit" if card.brand == "bancontact" else "credit",
                "last4": card.last4,
            }
            if card.decline_code:
                # Which test card it was decides the outcome; Stripe keeps that on its side too.
                self._declines[method["id"]] = card
        else:
            method[kind] = {}
        return self._store(method)
