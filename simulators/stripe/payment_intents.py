"""PaymentIntents and their Charges: create, update, confirm (card or Bancontact's bank page), cancel."""

from __future__ import annotations

import copy
import hmac
import time
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .._http import QuietHandler
from .payment_methods import PAYMENT_METHOD_TYPES, CardBehaviour
from .protocol import Call, Params, StripeApiError, bad_request, new_id

CANCELLATION_REASONS = ("duplicate", "fraudulent", "requested_by_customer", "abandoned")
CANCELABLE = ("requires_payment_method", "requires_capture", "requires_confirmation", "requires_action", "processing")
CONFIRMABLE = ("requires_payment_method", "requires_confirmation", "requires_action")
# The parameters each call takes; others are refused, as Stripe does, so a typo shows at once.
PAYMENT_INTENT_CREATE = (
    "amount currency metadata transfer_group description receipt_email payment_method_types "
    "automatic_payment_methods capture_method confirm payment_method payment_method_data return_url "
    "statement_descriptor statement_descriptor_suffix shipping setup_future_usage payment_method_options "
    "confirmation_method off_session error_on_requires_action mandate_data"
).split()
PAYMENT_INTENT_UPDATE = (
    "amount currency metadata description receipt_email transfer_group payment_method "
    "payment_method_types statement_descriptor statement_descriptor_suffix shipping setup_future_usage"
).split()
PAYMENT_INTENT_CONFIRM = (
    "payment_method payment_method_data return_url receipt_email client_secret off_session "
    "error_on_requires_action mandate_data setup_future_usage shipping payment_method_options "
    "use_stripe_sdk"
).split()


class PaymentIntentsMixin:
    """The PaymentIntents, Charges and bank page of ``StripeSimulator``."""

    # -- payment intents -------------------------------------------------------------------------------
    def _create_payment_intent(self, call: Call) -> dict:
        self._secret_only(call)
        params = Params(call.params, PAYMENT_INTENT_CREATE)
        currency = params.currency()
        amount = params.amount(currency)
        capture = params.text("capture_method", choices=("automatic", "automatic_async", "manual")) or "automatic_async"
        if capture == "manual":
            raise bad_request(
                "This simulator captures at once: capture_method=manual is not supported.", "capture_method"
            )
        types = params.array("payment_method_types")
        automatic = params.hash("automatic_payment_methods")
        if types is not None and automatic and automatic.get("enabled") == "true":
            raise bad_request(
                "Give either automatic_payment_methods or payment_method_types, not both.",
                param="payment_method_types",
            )
        if types is not None:
            for kind in types:
                if kind not in PAYMENT_METHOD_TYPES:
                    raise bad_request(
                        f"The payment method type {kind!r} is not available here.", "payment_method_types"
                    )
            if "bancontact" in types and currency != "eur":
                raise bad_request(
                    "Bancontact only takes payments in eur.", "payment_method_types", "payment_intent_invalid_parameter"
                )
            apm = None
        else:
            allow = (automatic or {}).get("allow_redirects") or "always"
            if allow not in ("always", "never"):
                raise bad_request("allow_redirects is always or never.", "automatic_payment_methods[allow_redirects]")
            apm = {"allow_redirects": allow, "enabled": True}
            types = ["card", "bancontact"] if currency == "eur" and allow == "always" else ["card"]
        method = self._payment_method(params.text("payment_method"), params.hash("payment_method_data"))
        now = int(time.time())
        intent = {
            "id": new_id("pi"),
            "object": "payment_intent",
            "amount": amount,
            "amount_capturable": 0,
            "amount_details": {"tip": {}},
            "amount_received": 0,
            "application": None,
            "application_fee_amount": None,
            "automatic_payment_methods": apm,
            "canceled_at": None,
            "cancellation_reason": None,
            "capture_method": capture,
            "client_secret": None,
            "confirmation_method": params.text("confirmation_method", choices=("automatic", "manual")) or "automatic",
            "created": now,
            "currency": currency,
            "customer": None,
            "description": params.text("description"),
            "last_payment_error": None,
            "latest_charge": None,
            "livemode": False,
            "metadata": params.metadata(),
            "next_action": None,
            "on_behalf_of": None,
            "payment_method": method["id"] if method else None,
            "payment_method_configuration_details": None,
            "payment_method_options": {},
            "payment_method_types": types,
            "processing": None,
            "receipt_email": params.text("receipt_email"),
            "review": None,
            "setup_future_usage": params.text("setup_future_usage"),
            "shipping": params.hash("shipping"),
            "source": None,
            "statement_descriptor": params.text("statement_descriptor"),
            "statement_descriptor_suffix": params.text("statement_descriptor_suffix"),
            "status": "requires_confirmation" if method else "requires_payment_method",
            "transfer_data": None,
            "transfer_group": params.text("transfer_group"),
        }
        intent["client_secret"] = f"{intent['id']}_secret_{new_id('x', 25)[2:]}"
        confirm = params.boolean("confirm")
        if confirm:
            self._confirmation_method(intent, method, params.text("return_url"))
        elif method is not None:
            self._check_method_allowed(intent, method)
        self._store(intent)
        self._emit("payment_intent.created", intent, call)
        if confirm:
            self._confirm(intent, method, params.text("return_url"), call)
        return self._render(intent, call)

    def _retrieve_payment_intent(self, call: Call) -> dict:
        params = Params(call.params, ("client_secret",))
        intent = self._require("payment_intent", call.groups["id"], "payment_intent", "intent")
        self._check_client_secret(intent, params.text("client_secret"), call)
        return self._render(intent, call)

    def _check_client_secret(self, intent: dict, secret: str | None, call: Call) -> None:
        if secret is None and not call.publishable:
            return
        if secret is None or not hmac.compare_digest(secret, intent["client_secret"]):
            raise bad_request("The client_secret does not match this PaymentIntent.", param="client_secret")

    def _update_payment_intent(self, call: Call) -> dict:
        self._secret_only(call)
        params = Params(call.params, PAYMENT_INTENT_UPDATE)
        intent = self._require("payment_intent", call.groups["id"], "payment_intent", "intent")
        settled = intent["status"] in ("succeeded", "canceled", "processing")
        payment_fields = ("amount", "currency", "payment_method", "payment_method_types", "transfer_group")
        for name in payment_fields:
            if name in params and settled:
                raise bad_request(
                    f"This PaymentIntent's {name} cannot change: its status is {intent['status']}.",
                    param=name,
                    code="payment_intent_unexpected_state",
                )
        # Everything is checked before anything changes: a refused update leaves the intent as it was.
        changes: dict[str, Any] = {}
        currency = params.currency(required=False) or intent["currency"]
        amount = params.amount(currency, required=False)
        if amount is not None and amount != intent["amount"]:
            changes["amount"] = amount
        if currency != intent["currency"]:
            changes["currency"] = currency
        if "payment_method_types" in params:
            types = params.array("payment_method_types") or []
            for kind in types:
                if kind not in PAYMENT_METHOD_TYPES:
                    raise bad_request(
                        f"The payment method type {kind!r} is not available here.", "payment_method_types"
                    )
            changes.update(payment_method_types=types, automatic_payment_methods=None)
        if "payment_method" in params:
            method = self._payment_method(params.text("payment_method"), None)
            if method is not None:
                self._check_method_allowed({**intent, **changes}, method)
            changes["payment_method"] = method["id"] if method else None
        reset = bool({"amount", "currency", "payment_method"} & set(changes))
        for name in (
            "description",
            "receipt_email",
            "transfer_group",
            "statement_descriptor",
            "statement_descriptor_suffix",
            "setup_future_usage",
        ):
            if name in params:
                changes[name] = params.text(name)
        if "shipping" in params:
            changes["shipping"] = params.hash("shipping") or None
        changes["metadata"] = params.metadata(intent["metadata"])
        intent.update(changes)
        if reset and intent["status"] in CONFIRMABLE:
            # A changed amount or method needs a new confirmation (and a new bank step).
            intent["next_action"] = None
            intent["status"] = "requires_confirmation" if intent["payment_method"] else "requires_payment_method"
        return self._render(intent, call)

    def _confirm_payment_intent(self, call: Call) -> dict:
        params = Params(call.params, PAYMENT_INTENT_CONFIRM)
        intent = self._require("payment_intent", call.groups["id"], "payment_intent", "intent")
        self._check_client_secret(intent, params.text("client_secret"), call)
        if params.text("receipt_email"):
            intent["receipt_email"] = params.text("receipt_email")
        method = self._payment_method(params.text("payment_method"), params.hash("payment_method_data"))
        self._confirm(intent, method, params.text("return_url"), call)
        return self._render(intent, call)

    def _cancel_payment_intent(self, call: Call) -> dict:
        self._secret_only(call)
        params = Params(call.params, ("cancellation_reason",))
        intent = self._require("payment_intent", call.groups["id"], "payment_intent", "intent")
        reason = params.text("cancellation_reason", choices=CANCELLATION_REASONS)
        if intent["status"] not in CANCELABLE:
            raise bad_request(
                f"This PaymentIntent cannot be canceled: its status is {intent['status']}. Only one that "
                f"{', '.join(CANCELABLE)} can be.",
                code="payment_intent_unexpected_state",
            )
        intent.update(status="canceled", canceled_at=int(time.time()), cancellation_reason=reason, next_action=None)
        self._emit("payment_intent.canceled", intent, call)
        return self._render(intent, call)

    def _check_method_allowed(self, intent: dict, method: dict) -> None:
        kind = method["type"]
        if kind not in intent["payment_method_types"]:
            raise bad_request(
                f"This PaymentIntent takes {', '.join(intent['payment_method_types'])}, not {kind}.",
                param="payment_method",
                code="payment_intent_incompatible_payment_method",
            )
        if kind == "bancontact" and intent["currency"] != "eur":
            raise bad_request(
                "Bancontact only takes payments in eur.", "payment_method", "payment_intent_invalid_parameter"
            )

    def _confirmation_method(self, intent: dict, method: dict | None, return_url: str | None) -> dict:
        """The payment method a confirmation would use, after every check that can refuse it."""
        if intent["status"] == "succeeded":
            raise bad_request(
                "This PaymentIntent has already succeeded; it cannot be confirmed again.",
                code="payment_intent_unexpected_state",
            )
        if intent["status"] not in CONFIRMABLE:
            raise bad_request(
                f"This PaymentIntent cannot be confirmed: its status is {intent['status']}.",
                code="payment_intent_unexpected_state",
            )
        if method is None:
            method = self._lookup("payment_method", intent["payment_method"])
        if method is None:
            raise bad_request(
                "This PaymentIntent has no payment method to confirm with: give payment_method.",
                param="payment_method",
                code="payment_intent_unexpected_state",
            )
        self._check_method_allowed(intent, method)
        if method["type"] == "bancontact" and not return_url:
            raise bad_request("Bancontact sends the shopper to their bank: give a return_url.", param="return_url")
        return method

    def _confirm(self, intent: dict, method: dict | None, return_url: str | None, call: Call) -> None:
        method = self._confirmation_method(intent, method, return_url)
        intent["payment_method"] = method["id"]
        intent["last_payment_error"] = None
        if method["type"] == "bancontact":
            self._return_urls[intent["id"]] = return_url
            query = urlencode({"client_secret": intent["client_secret"]})
            intent["status"] = "requires_action"
            intent["next_action"] = {
                "type": "redirect_to_url",
                "redirect_to_url": {
                    "return_url": return_url,
                    "url": f"{self.url}/redirect/authenticate/{intent['id']}?{query}",
                },
            }
            self._emit("payment_intent.requires_action", intent, call)
            return
        if return_url:
            self._return_urls[intent["id"]] = return_url
        declined = self._declines.get(method["id"])
        charge = self._new_charge(intent, method, declined=declined)
        if declined:
            error = {
                "type": "card_error",
                "code": "card_declined",
                "decline_code": declined.decline_code,
                "message": declined.decline_message,
                "charge": charge["id"],
                "doc_url": "https://stripe.com/docs/error-codes/card-declined",
                "payment_method": copy.deepcopy(method),
            }
            intent.update(
                status="requires_payment_method",
                payment_method=None,
                next_action=None,
                last_payment_error=error,
                latest_charge=charge["id"],
            )
            self._emit("charge.failed", charge, call)
            self._emit("payment_intent.payment_failed", intent, call)
            raise StripeApiError(
                402,
                declined.decline_message,
                type="card_error",
                code="card_declined",
                extra={
                    "decline_code": declined.decline_code,
                    "charge": charge["id"],
                    "payment_intent": copy.deepcopy(intent),
                    "payment_method": copy.deepcopy(method),
                },
                stored=True,
            )
        self._succeed(intent, charge, call)

    def _succeed(self, intent: dict, charge: dict, call: Call | None) -> None:
        intent.update(
            status="succeeded",
            amount_received=intent["amount"],
            latest_charge=charge["id"],
            next_action=None,
            last_payment_error=None,
        )
        self._emit("charge.succeeded", charge, call)
        self._emit("payment_intent.succeeded", intent, call)

    def _new_charge(self, intent: dict, method: dict, *, declined: CardBehaviour | None = None) -> dict:
        kind = method["type"]
        if kind == "card":
            details = {
                "type": "card",
                "card": {
                    **{k: method["card"][k] for k in ("brand", "last4", "country")},
                    "network": method["card"]["brand"],
                },
            }
        else:
            details = {"type": kind, kind: {"bank_name": "Test Bank", "iban_last4": "7061", "preferred_language": "fr"}}
        if declined:
            outcome = {
                "network_status": "declined_by_network",
                "reason": declined.decline_code,
                "risk_level": "normal",
                "seller_message": "The bank declined the payment.",
                "type": "issuer_declined",
            }
        else:
            outcome = {
                "network_status": "approved_by_network",
                "reason": None,
                "risk_level": "normal",
                "seller_message": "Payment complete.",
                "type": "authorized",
            }
        charge = {
            "id": new_id("ch"),
            "object": "charge",
            "amount": intent["amount"],
            "amount_captured": 0 if declined else intent["amount"],
            "amount_refunded": 0,
            "application_fee_amount": None,
            "balance_transaction": None if declined else new_id("txn"),
            "billing_details": method["billing_details"],
            "captured": not declined,
            "created": int(time.time()),
            "currency": intent["currency"],
            "customer": None,
            "description": intent["description"],
            "disputed": False,
            "failure_code": "card_declined" if declined else None,
            "failure_message": declined.decline_message if declined else None,
            "livemode": False,
            "metadata": dict(intent["metadata"]),
            "on_behalf_of": None,
            "outcome": outcome,
            "paid": not declined,
            "payment_intent": intent["id"],
            "payment_method": method["id"],
            "payment_method_details": details,
            "receipt_email": intent["receipt_email"],
            "refunded": False,
            "source_transfer": None,
            "status": "failed" if declined else "succeeded",
            "transfer_data": None,
            "transfer_group": intent["transfer_group"],
        }
        return self._store(charge)

    # -- the shopper's bank page (Bancontact) ----------------------------------------------------------
    def _serve_bank_page(self, request: QuietHandler, intent_id: str, query: str, body: bytes) -> None:
        """The bank step: GET or POST completes the payment (``outcome=fail`` refuses it), then the
        shopper goes back to the return_url with Stripe's ``redirect_status``."""
        values = dict(parse_qsl(query))
        if request.command == "POST":
            values.update(parse_qsl(body.decode("utf-8", "replace")))
        with self._lock:
            intent = self._lookup("payment_intent", intent_id)
            if intent is None or not hmac.compare_digest(values.get("client_secret", ""), intent["client_secret"]):
                request.send_bytes(404, b"Unknown payment.", "text/plain; charset=utf-8")
                return
            if intent["status"] == "requires_action":
                method = self._lookup("payment_method", intent["payment_method"])
                if values.get("outcome") == "fail":
                    intent.update(
                        status="requires_payment_method",
                        payment_method=None,
                        next_action=None,
                        last_payment_error={
                            "type": "invalid_request_error",
                            "code": "payment_intent_authentication_failure",
                            "message": "The shopper's bank did not authorise the payment; try another method.",
                            "payment_method": copy.deepcopy(method),
                        },
                    )
                    self._emit("payment_intent.payment_failed", intent, None)
                else:
                    self._succeed(intent, self._new_charge(intent, method), None)
            succeeded = intent["status"] == "succeeded"
            return_url = self._return_urls.get(intent_id)
            client_secret = intent["client_secret"]
        if return_url:
            location = _with_query(
                return_url,
                {
                    "payment_intent": intent_id,
                    "payment_intent_client_secret": client_secret,
                    "redirect_status": "succeeded" if succeeded else "failed",
                },
            )
            request.send_bytes(303 if request.command == "POST" else 302, b"", "text/plain", {"Location": location})
            return
        verdict = "authorised" if succeeded else "refused"
        page = f"<!doctype html><title>Test bank</title><p>Test payment {intent_id} {verdict}.</p>"
        request.send_bytes(200, page.encode(), "text/html; charset=utf-8")


def _with_query(url: str, values: dict[str, str]) -> str:
    parts = urlsplit(url)
    query = f"{parts.query}&{urlencode(values)}" if parts.query else urlencode(values)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))
