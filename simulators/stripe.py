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
"""

from __future__ import annotations

import argparse
import base64
import copy
import hashlib
import heapq
import hmac
import itertools
import json
import re
import secrets
import signal
import string
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ._http import BackgroundServer, QuietHandler

# The version stripe 16.1.0 pins; answers and events say the version the request asked for.
API_VERSION = "2026-10-28.endive"
ZERO_DECIMAL_CURRENCIES = set("bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf".split())
# Smallest charge Stripe accepts, in minor units (other currencies: 1).
MINIMUM_CHARGE = {"eur": 50, "usd": 50, "gbp": 30, "chf": 50, "cad": 50, "aud": 50}
MAXIMUM_AMOUNT = 99_999_999
CURRENCY_SYMBOLS = {"eur": "€", "usd": "$", "gbp": "£"}
REFUND_REASONS = ("duplicate", "fraudulent", "requested_by_customer")
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
REFUND_CREATE = (
    "charge payment_intent amount reason metadata instructions_email refund_application_fee "
    "reverse_transfer origin currency customer"
).split()
ACCOUNT_CREATE = (
    "type country email business_type business_profile capabilities metadata default_currency controller "
    "tos_acceptance company individual settings"
).split()
TRANSFER_CREATE = (
    "amount currency destination transfer_group source_transaction metadata description source_type"
).split()


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

_ALPHABET = string.ascii_letters + string.digits


def new_id(prefix: str, length: int = 24) -> str:
    return f"{prefix}_{''.join(secrets.choice(_ALPHABET) for _ in range(length))}"


def format_amount(amount: int, currency: str) -> str:
    """``€12.34`` for messages, as Stripe words amounts in its errors."""
    if currency in ZERO_DECIMAL_CURRENCIES:
        value = str(amount)
    else:
        value = f"{amount / 100:.2f}"
    symbol = CURRENCY_SYMBOLS.get(currency)
    return f"{symbol}{value}" if symbol else f"{value} {currency.upper()}"


class StripeApiError(Exception):
    """An answer in Stripe's error shape. ``stored`` errors are kept under the idempotency key:
    Stripe keeps the outcome of a request whose work started (a declined card), not of one that
    failed validation."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type: str = "invalid_request_error",
        code: str | None = None,
        param: str | None = None,
        extra: dict | None = None,
        stored: bool = False,
    ):
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type
        self.code = code
        self.param = param
        self.extra = extra or {}
        self.stored = stored

    def body(self, request_id: str) -> dict:
        error: dict[str, Any] = {"type": self.type, "message": self.message}
        if self.code:
            error["code"] = self.code
            error["doc_url"] = f"https://stripe.com/docs/error-codes/{self.code.replace('_', '-')}"
        if self.param:
            error["param"] = self.param
        error["request_log_url"] = f"https://dashboard.stripe.com/test/logs/{request_id}"
        error.update(self.extra)
        return {"error": error}


def _missing(kind: str, object_id: str, param: str = "id") -> StripeApiError:
    # 404 for the object a URL names, 400 for one a parameter names.
    status = 404 if param in ("id", "intent") else 400
    return StripeApiError(status, f"No such {kind}: '{object_id}'", code="resource_missing", param=param)


def _bad(message: str, param: str | None = None, code: str | None = None) -> StripeApiError:
    return StripeApiError(400, message, code=code, param=param)


# -- form parameters -------------------------------------------------------------------------------

_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")


def parse_params(pairs: Iterable[tuple[str, str]]) -> dict:
    """Stripe's form encoding: ``metadata[k]=v``, ``list[0]=a`` and ``list[]=a`` become dicts and lists."""
    root: dict = {}
    for key, value in pairs:
        match = _KEY.match(key)
        if not match:
            raise _bad(f"Invalid parameter name: {key}", param=key)
        parts = [match.group(1)] + re.findall(r"\[([^\[\]]*)\]", match.group(2))
        target = root
        for depth, part in enumerate(parts[:-1]):
            following = parts[depth + 1]
            if following == "":
                if depth + 2 != len(parts):
                    raise _bad(f"Invalid parameter name: {key}", param=key)
                bucket = target.setdefault(part, [])
                if not isinstance(bucket, list):
                    raise _bad(f"Invalid array: {key}", param=key)
                bucket.append(value)
                break
            child = target.setdefault(part, {})
            if not isinstance(child, dict):
                raise _bad(f"Invalid hash: {key}", param=key)
            target = child
        else:
            if parts[-1] == "" or isinstance(target.get(parts[-1]), dict | list):
                raise _bad(f"Invalid parameter name: {key}", param=key)
            target[parts[-1]] = value
    return _indexed_to_lists(root)


def _indexed_to_lists(value: Any) -> Any:
    if isinstance(value, dict):
        value = {key: _indexed_to_lists(item) for key, item in value.items()}
        if value and all(key.isdigit() for key in value):
            return [value[key] for key in sorted(value, key=int)]
        return value
    if isinstance(value, list):
        return [_indexed_to_lists(item) for item in value]
    return value


class Params:
    """The request's parameters with Stripe's checks: unknown names, integers, booleans, enums."""

    def __init__(self, data: dict, allowed: Iterable[str]):
        unknown = sorted(set(data) - set(allowed) - {"expand"})
        if unknown:
            raise _bad(f"Received unknown parameter: {unknown[0]}", param=unknown[0], code="parameter_unknown")
        self.data = data

    def __contains__(self, name: str) -> bool:
        return name in self.data

    def text(self, name: str, *, required: bool = False, choices: Iterable[str] | None = None) -> str | None:
        value = self.data.get(name)
        if value is None or value == "":
            if required:
                raise _bad(f"Missing required param: {name}.", param=name, code="parameter_missing")
            return None
        if not isinstance(value, str):
            raise _bad(f"Invalid string: {name} must be a string.", param=name)
        if choices is not None and value not in choices:
            options = ", ".join(choices)
            raise _bad(f"Invalid {name}: must be one of {options}.", param=name, code="parameter_invalid_string")
        return value

    def integer(self, name: str, *, required: bool = False, minimum: int | None = None) -> int | None:
        raw = self.text(name, required=required)
        if raw is None:
            return None
        try:
            value = int(raw)
        except ValueError:
            raise _bad(f"Invalid integer: {raw}", param=name, code="parameter_invalid_integer") from None
        if minimum is not None and value < minimum:
            raise _bad(f"{name} must be at least {minimum}.", param=name, code="parameter_invalid_integer")
        if value > MAXIMUM_AMOUNT:
            raise _bad(f"{name} must be at most {MAXIMUM_AMOUNT}.", param=name, code="amount_too_large")
        return value

    def boolean(self, name: str, default: bool = False) -> bool:
        raw = self.data.get(name)
        if raw is None or raw == "":
            return default
        if raw not in ("true", "false"):
            raise _bad(f"Invalid boolean: {raw}", param=name)
        return raw == "true"

    def currency(self, *, required: bool = True) -> str | None:
        raw = self.text("currency", required=required)
        if raw is None:
            return None
        if not re.fullmatch(r"[A-Za-z]{3}", raw):
            raise _bad(f"Invalid currency: {raw}.", param="currency", code="parameter_invalid_string")
        return raw.lower()

    def array(self, name: str) -> list | None:
        value = self.data.get(name)
        if value is None:
            return None
        if value == "":
            return []
        if not isinstance(value, list):
            raise _bad(f"Invalid array: {name} must be a list.", param=name)
        return value

    def hash(self, name: str) -> dict | None:
        value = self.data.get(name)
        if value is None:
            return None
        if value == "":
            return {}
        if not isinstance(value, dict):
            raise _bad(f"Invalid object: {name} must be a hash.", param=name)
        return value

    def metadata(self, current: dict | None = None) -> dict:
        """Stripe's merge: new keys are added, a key set to "" is removed, ``metadata=""`` empties it."""
        result = dict(current or {})
        if "metadata" not in self.data:
            return result
        changes = self.hash("metadata")
        if not changes:
            return {}
        for key, value in changes.items():
            if not isinstance(value, str):
                raise _bad(f"Invalid metadata[{key}]: values must be strings.", param=f"metadata[{key}]")
            if len(key) > 40:
                raise _bad("Metadata keys can be up to 40 characters long.", param=f"metadata[{key}]")
            if len(value) > 500:
                raise _bad("Metadata values can be up to 500 characters long.", param=f"metadata[{key}]")
            if value == "":
                result.pop(key, None)
            else:
                result[key] = value
        if len(result) > 50:
            raise _bad("An object can have at most 50 metadata keys.", param="metadata")
        return result

    def amount(self, currency: str, *, required: bool = True) -> int | None:
        amount = self.integer("amount", required=required, minimum=1)
        if amount is not None and amount < MINIMUM_CHARGE.get(currency, 1):
            minimum = format_amount(MINIMUM_CHARGE[currency], currency)
            raise _bad(f"Amount must be at least {minimum} {currency}.", param="amount", code="amount_too_small")
        return amount


# -- requests ----------------------------------------------------------------------------------------


@dataclass
class Call:
    """One API request as the handlers see it."""

    method: str
    path: str
    params: dict
    request_id: str
    stripe_version: str
    idempotency_key: str | None
    publishable: bool = False
    groups: dict = field(default_factory=dict)


@dataclass(order=True)
class _Delivery:
    due: float
    seq: int
    event_id: str = field(compare=False)
    endpoint_id: str = field(compare=False)
    attempt: int = field(compare=False, default=1)


@dataclass
class WebhookEndpoint:
    id: str
    url: str
    secret: str
    enabled_events: tuple[str, ...] = ("*",)

    def wants(self, event_type: str) -> bool:
        return any(
            pattern == "*" or pattern == event_type or (pattern.endswith(".*") and event_type.startswith(pattern[:-1]))
            for pattern in self.enabled_events
        )


def signature_header(payload: str, secret: str, timestamp: int | None = None) -> str:
    """``Stripe-Signature``: ``t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<payload>">``."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


class _Handler(QuietHandler):
    server_version = "stripe-simulator"

    def do_GET(self) -> None:
        self.server.app._serve(self)

    def do_POST(self) -> None:
        self.server.app._serve(self)

    def do_DELETE(self) -> None:
        self.server.app._serve(self)


class StripeSimulator:
    """A Stripe API server in memory, on a background thread.

    ``api_key``/``publishable_key``/``webhook_secret`` default to fresh random test keys. Every
    state change stores an Event (``events``) and, while ``auto_deliver`` is on, posts it signed
    to each webhook endpoint from a background thread, retrying after ``retry_delays`` seconds.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        api_key: str | None = None,
        publishable_key: str | None = None,
        webhook_secret: str | None = None,
        auto_deliver: bool = True,
        retry_delays: Iterable[float] = (0.2, 0.5, 1.0, 2.0),
        webhook_timeout: float = 5.0,
        verbose: bool = False,
    ):
        self.api_key = api_key or new_id("sk_test", 32)
        self.publishable_key = publishable_key or new_id("pk_test", 32)
        self.webhook_secret = webhook_secret or new_id("whsec", 32)
        if not self.api_key.startswith("sk_test_"):
            raise ValueError("The simulator only takes test secret keys (sk_test_…).")
        self.auto_deliver = auto_deliver
        self.retry_delays = tuple(retry_delays)
        self.webhook_timeout = webhook_timeout
        handler = type("_StripeHandler", (_Handler,), {"verbose": verbose})
        self._server = BackgroundServer(handler, host=host, port=port)
        self._lock = threading.RLock()
        self._endpoints: dict[str, WebhookEndpoint] = {}
        self._failures: list[dict] = []
        self._reset_state()
        # Webhook queue: a heap of deliveries by due time, guarded by its own condition.
        self._queue_cond = threading.Condition()
        self._queue: list[_Delivery] = []
        self._in_flight = 0
        self._paused = False
        self._stopping = False
        self._seq = itertools.count()
        self._worker: threading.Thread | None = None
        self._deliveries: list[dict] = []
        self._routes = self._build_routes()

    # -- life cycle --------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return self._server.url

    def start(self) -> StripeSimulator:
        self._server.start_server(self)
        with self._queue_cond:
            self._stopping = False
        if self._worker is None:
            self._worker = threading.Thread(target=self._deliver_loop, name="stripe-sim-webhooks", daemon=True)
            self._worker.start()
        return self

    def stop(self) -> None:
        self._server.stop_server()
        with self._queue_cond:
            self._stopping = True
            self._queue_cond.notify_all()
        if self._worker is not None:
            self._worker.join(timeout=self.webhook_timeout + 1)
            self._worker = None

    def __enter__(self) -> StripeSimulator:
        return self.start()

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()

    def reset(self) -> None:
        """Forget every object, event, idempotency key and queued delivery; keys and endpoints stay."""
        with self._lock:
            self._reset_state()
        with self._queue_cond:
            self._queue.clear()
            self._deliveries.clear()
            self._queue_cond.notify_all()

    def _reset_state(self) -> None:
        self._objects: dict[str, dict[str, dict]] = {}
        self._events: list[dict] = []
        self._idempotent: dict[str, dict] = {}
        self._return_urls: dict[str, str] = {}
        self._refunds_of: dict[str, list[str]] = {}
        self._transferred_from: dict[str, int] = {}
        self._onboarding_links: dict[str, dict] = {}
        self._declines: dict[str, CardBehaviour] = {}
        self._failures = []

    # -- test controls -----------------------------------------------------------------------------
    def add_webhook_endpoint(
        self, url: str, *, secret: str | None = None, enabled_events: Iterable[str] = ("*",)
    ) -> str:
        """Send future events to ``url``, signed with ``secret`` (default: ``webhook_secret``)."""
        endpoint = WebhookEndpoint(new_id("we"), url, secret or self.webhook_secret, tuple(enabled_events))
        with self._lock:
            self._endpoints[endpoint.id] = endpoint
        return endpoint.id

    def remove_webhook_endpoint(self, endpoint_id: str) -> None:
        with self._lock:
            self._endpoints.pop(endpoint_id, None)

    def add_account(self, account_id: str | None = None, **fields: Any) -> str:
        """Register a connected account (onboarded: charges and payouts enabled) and return its id."""
        account_id = account_id or new_id("acct", 16)
        if not account_id.startswith("acct_"):
            raise ValueError("Connected account ids start with acct_.")
        with self._lock:
            account = self._new_account(account_id, fields.pop("type", "express"), fields.pop("country", "BE"))
            self._mark_onboarded(account)
            account.update(fields)
            self._store(account)
        return account_id

    @property
    def events(self) -> list[dict]:
        """Every event so far, oldest first (copies)."""
        with self._lock:
            return copy.deepcopy(self._events)

    def events_of(self, event_type: str) -> list[dict]:
        return [event for event in self.events if event["type"] == event_type]

    def get(self, object_id: str) -> dict:
        """Any stored object by id (a copy), for assertions that bypass the API."""
        with self._lock:
            for objects in self._objects.values():
                if object_id in objects:
                    return copy.deepcopy(objects[object_id])
        raise KeyError(object_id)

    @property
    def deliveries(self) -> list[dict]:
        """Every webhook attempt: event_id, endpoint, url, attempt, status (None: no answer), error."""
        with self._queue_cond:
            return [dict(item) for item in self._deliveries]

    def fail_next(
        self,
        path_prefix: str,
        status: int | str = 500,
        count: int = 1,
        *,
        method: str | None = None,
        delay: float = 0.0,
    ) -> None:
        """Make the next ``count`` API calls whose path starts with ``path_prefix`` fail.

        ``status=500`` (or any 4xx/5xx) answers Stripe's error before the call does anything, so a
        retry with the same idempotency key acts once. ``status='timeout'`` lets the call do its
        work, then waits ``delay`` seconds and drops the connection: the answer is lost, and only
        the idempotency key tells a retry that the work was done.
        """
        if status != "timeout" and not (isinstance(status, int) and 400 <= status <= 599):
            raise ValueError("status is an HTTP error status or 'timeout'.")
        prefix = path_prefix if path_prefix.startswith("/") else f"/v1/{path_prefix}"
        with self._lock:
            self._failures.append(
                {
                    "prefix": prefix,
                    "status": status,
                    "count": count,
                    "method": method and method.upper(),
                    "delay": delay,
                }
            )

    def deliver(self, event_id: str, *, endpoint_id: str | None = None) -> list[dict]:
        """Send one event now, in this thread, once (no retry): a replay when it was already sent.

        A queued automatic delivery of that event to that endpoint is taken off the queue, so a
        paused test can choose the order. Returns the attempts (see ``deliveries``).
        """
        with self._lock:
            event = self._find_event(event_id)
            endpoints = [e for e in self._endpoints.values() if endpoint_id in (None, e.id)]
        with self._queue_cond:
            self._queue = [
                d for d in self._queue if not (d.event_id == event_id and d.endpoint_id in {e.id for e in endpoints})
            ]
            heapq.heapify(self._queue)
            self._queue_cond.notify_all()
        return [self._post_event(event, endpoint, attempt=0) for endpoint in endpoints]

    def pause_delivery(self) -> None:
        """Hold automatic deliveries in the queue until ``resume_delivery()``."""
        with self._queue_cond:
            self._paused = True

    def resume_delivery(self) -> None:
        with self._queue_cond:
            self._paused = False
            self._queue_cond.notify_all()

    def pending_deliveries(self) -> list[str]:
        """Event ids waiting in the queue (one per endpoint), next first."""
        with self._queue_cond:
            return [d.event_id for d in sorted(self._queue)]

    def wait_for_deliveries(self, timeout: float = 5.0) -> bool:
        """Wait until no delivery is queued or in flight; False when ``timeout`` ran out first."""
        deadline = time.monotonic() + timeout
        with self._queue_cond:
            while self._queue or self._in_flight:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._queue_cond.wait(remaining)
        return True

    # -- HTTP ------------------------------------------------------------------------------------------
    def _serve(self, request: QuietHandler) -> None:
        parts = urlsplit(request.path)
        path = parts.path.rstrip("/") or "/"
        request_id = new_id("req", 14)
        body = request.read_body()
        if path.startswith("/v1/") or path == "/v1":
            self._serve_api(request, path, parts.query, body, request_id)
        elif path.startswith("/redirect/authenticate/"):
            self._serve_bank_page(request, path.rsplit("/", 1)[-1], parts.query, body)
        elif path.startswith("/connect/onboarding/"):
            self._serve_onboarding_page(request, path.rsplit("/", 1)[-1])
        elif path == "/healthz" and request.command == "GET":
            self._send_json(request, 200, {"status": "ok"}, request_id)
        else:
            self._send_json(request, 404, self._unknown_url(request.command, path).body(request_id), request_id)

    def _serve_api(self, request: QuietHandler, path: str, query: str, body: bytes, request_id: str) -> None:
        method = request.command
        version = request.headers.get("Stripe-Version") or API_VERSION
        failure = self._take_failure(method, path)
        if failure is not None and failure["status"] != "timeout":
            error = StripeApiError(
                failure["status"],
                "The simulator was told to fail this request (Stripe's side had a problem).",
                type="api_error" if failure["status"] >= 500 else "invalid_request_error",
                code="rate_limit" if failure["status"] == 429 else None,
            )
            self._send_json(request, error.status, error.body(request_id), request_id, version)
            return
        key = request.headers.get("Idempotency-Key") if method == "POST" else None
        status, payload, headers = self._api_answer(request, method, path, query, body, request_id, version, key)
        if key is not None:
            headers["Idempotency-Key"] = key
        if failure is not None:
            # 'timeout': the work is done and kept under the idempotency key, the answer never arrives.
            time.sleep(failure["delay"])
            request.close_connection = True
            return
        self._send_json(request, status, payload, request_id, version, headers)

    def _api_answer(
        self, request, method, path, query, body, request_id, version, key
    ) -> tuple[int, Any, dict[str, str]]:
        try:
            publishable = self._authenticate(request.headers)
            if request.headers.get("Stripe-Account"):
                raise _bad("This simulator does not act on behalf of connected accounts (Stripe-Account).")
            if key is not None and len(key) > 255:
                raise _bad("Idempotency-Key values can be up to 255 characters long.")
            text = body.decode("utf-8") if method == "POST" else query
            params = parse_params(parse_qsl(text, keep_blank_values=True))
            handler, groups = self._route(method, path)
        except StripeApiError as error:
            return error.status, error.body(request_id), {}
        call = Call(method, path, params, request_id, version, key, publishable, groups)
        with self._lock:
            if key is not None:
                previous = self._idempotent.get(key)
                if previous is not None:
                    if (previous["method"], previous["path"], previous["params"]) != (method, path, params):
                        error = StripeApiError(
                            400,
                            f"The idempotency key '{key}' was first used with other parameters; "
                            "use a new key for a different request.",
                            type="idempotency_error",
                        )
                        return error.status, error.body(request_id), {}
                    headers = {"Idempotent-Replayed": "true", "Original-Request": previous["request_id"]}
                    return previous["status"], copy.deepcopy(previous["payload"]), headers
            try:
                status, payload, stored = 200, handler(call), True
            except StripeApiError as error:
                status, payload, stored = error.status, error.body(request_id), error.stored
            except Exception as failure:  # a simulator bug must reach the client as Stripe's 500
                error = StripeApiError(500, f"Simulator failure: {failure!r}", type="api_error")
                status, payload, stored = error.status, error.body(request_id), False
            if key is not None and stored:
                self._idempotent[key] = {
                    "method": method,
                    "path": path,
                    "params": params,
                    "status": status,
                    "payload": copy.deepcopy(payload),
                    "request_id": request_id,
                }
        return status, payload, {}

    def _send_json(self, request, status, payload, request_id, version=API_VERSION, headers=None) -> None:
        body = json.dumps(payload, indent=2).encode()
        extra = {"Request-Id": request_id, "Stripe-Version": version, "Access-Control-Allow-Origin": "*"}
        extra.update(headers or {})
        request.send_bytes(status, body, "application/json", extra)

    def _authenticate(self, headers) -> bool:
        """Returns True for the publishable key (allowed on the client-side calls only)."""
        raw = headers.get("Authorization") or ""
        key = ""
        if raw.startswith("Bearer "):
            key = raw[len("Bearer ") :].strip()
        elif raw.startswith("Basic "):
            try:
                key = base64.b64decode(raw[len("Basic ") :]).decode().split(":", 1)[0]
            except ValueError:
                key = ""
        if not key:
            raise StripeApiError(
                401,
                "No API key provided. Send your secret key as a Bearer token: 'Authorization: Bearer sk_test_…'.",
            )
        if hmac.compare_digest(key, self.api_key):
            return False
        if hmac.compare_digest(key, self.publishable_key):
            return True
        raise StripeApiError(401, f"Invalid API Key provided: {key[:8]}{'*' * 8}{key[-4:]}")

    def _take_failure(self, method: str, path: str) -> dict | None:
        with self._lock:
            for failure in self._failures:
                if path.startswith(failure["prefix"]) and failure["method"] in (None, method):
                    failure["count"] -= 1
                    if failure["count"] <= 0:
                        self._failures.remove(failure)
                    return failure
        return None

    def _unknown_url(self, method: str, path: str) -> StripeApiError:
        return StripeApiError(404, f"Unrecognized request URL ({method}: {path}).")

    def _route(self, method: str, path: str) -> tuple[Callable[[Call], dict], dict]:
        for route_method, pattern, handler in self._routes:
            match = pattern.fullmatch(path)
            if match and route_method == method:
                return handler, match.groupdict()
        raise self._unknown_url(method, path)

    def _build_routes(self) -> list[tuple[str, re.Pattern, Callable[[Call], dict]]]:
        obj = r"(?P<id>[A-Za-z0-9_]+)"
        table = [
            ("POST", "/v1/payment_intents", self._create_payment_intent),
            ("GET", "/v1/payment_intents", self._lister("payment_intent", "/v1/payment_intents", ())),
            ("GET", f"/v1/payment_intents/{obj}", self._retrieve_payment_intent),
            ("POST", f"/v1/payment_intents/{obj}", self._update_payment_intent),
            ("POST", f"/v1/payment_intents/{obj}/confirm", self._confirm_payment_intent),
            ("POST", f"/v1/payment_intents/{obj}/cancel", self._cancel_payment_intent),
            ("GET", f"/v1/payment_methods/{obj}", self._retriever("payment_method", "PaymentMethod")),
            ("GET", "/v1/charges", self._lister("charge", "/v1/charges", ("payment_intent", "transfer_group"))),
            ("GET", f"/v1/charges/{obj}", self._retriever("charge", "charge")),
            ("POST", "/v1/refunds", self._create_refund),
            ("GET", "/v1/refunds", self._lister("refund", "/v1/refunds", ("payment_intent", "charge"))),
            ("GET", f"/v1/refunds/{obj}", self._retriever("refund", "refund")),
            ("POST", "/v1/transfers", self._create_transfer),
            ("GET", "/v1/transfers", self._lister("transfer", "/v1/transfers", ("destination", "transfer_group"))),
            ("GET", f"/v1/transfers/{obj}", self._retriever("transfer", "transfer")),
            ("POST", f"/v1/transfers/{obj}/reversals", self._create_reversal),
            ("GET", f"/v1/transfers/{obj}/reversals", self._list_reversals),
            ("GET", f"/v1/transfers/{obj}/reversals/(?P<reversal>[A-Za-z0-9_]+)", self._retrieve_reversal),
            ("POST", "/v1/accounts", self._create_account),
            ("GET", "/v1/accounts", self._lister("account", "/v1/accounts", ())),
            ("GET", f"/v1/accounts/{obj}", self._retriever("account", "account")),
            ("POST", "/v1/account_links", self._create_account_link),
            ("GET", "/v1/events", self._lister("event", "/v1/events", ("type",))),
            ("GET", f"/v1/events/{obj}", self._retriever("event", "event")),
        ]
        return [(method, re.compile(pattern), handler) for method, pattern, handler in table]

    # -- storage and rendering -------------------------------------------------------------------------
    def _store(self, obj: dict) -> dict:
        self._objects.setdefault(obj["object"], {})[obj["id"]] = obj
        return obj

    def _lookup(self, kind: str, object_id: str | None) -> dict | None:
        return self._objects.get(kind, {}).get(object_id) if object_id else None

    def _require(self, kind: str, object_id: str, label: str, param: str = "id") -> dict:
        obj = self._lookup(kind, object_id)
        if obj is None:
            raise _missing(label, object_id, param)
        return obj

    def _find_event(self, event_id: str) -> dict:
        for event in self._events:
            if event["id"] == event_id:
                return event
        raise KeyError(event_id)

    def _render(self, obj: dict, call: Call, prefix: tuple[str, ...] = ()) -> dict:
        """A copy of ``obj`` with the ``expand[]`` paths replaced by the objects they name."""
        result = copy.deepcopy(obj)
        for path in call.params.get("expand") or []:
            parts = tuple(path.split("."))
            if parts[: len(prefix)] == prefix:
                self._expand(result, list(parts[len(prefix) :]))
        return result

    def _expand(self, node: Any, parts: list[str]) -> None:
        if not parts or not isinstance(node, dict):
            return
        head, rest = parts[0], parts[1:]
        if head == "refunds" and node.get("object") == "charge" and not rest:
            node["refunds"] = self._list_of(
                self._refunds_of.get(node["id"], []), "refund", f"/v1/charges/{node['id']}/refunds"
            )
            return
        value = node.get(head)
        if isinstance(value, str):
            for objects in self._objects.values():
                if value in objects:
                    node[head] = value = copy.deepcopy(objects[value])
                    break
        if rest:
            self._expand(value, rest)

    def _list_of(self, ids: list[str], kind: str, url: str) -> dict:
        data = [copy.deepcopy(self._objects[kind][object_id]) for object_id in reversed(ids)]
        return {"object": "list", "data": data, "has_more": False, "total_count": len(data), "url": url}

    def _paginate(self, items: list[dict], call: Call, url: str, filters: Iterable[str]) -> dict:
        params = Params(call.params, ("limit", "starting_after", "ending_before", "created", "types", *filters))
        limit = params.integer("limit") or 10
        if limit > 100:
            raise _bad("limit must be at most 100.", param="limit")
        for name in filters:
            wanted = params.text(name)
            if wanted is None:
                continue
            if name == "type" and wanted.endswith(".*"):
                items = [item for item in items if item["type"].startswith(wanted[:-1])]
            else:
                items = [item for item in items if item.get(name) == wanted]
        types = params.array("types")
        if types:
            items = [item for item in items if item.get("type") in types]
        created = call.params.get("created")
        if isinstance(created, str) and created:
            items = [item for item in items if str(item["created"]) == created]
        elif isinstance(created, dict):
            checks = {"gt": int.__gt__, "gte": int.__ge__, "lt": int.__lt__, "lte": int.__le__}
            for op, bound in created.items():
                if op not in checks or not str(bound).lstrip("-").isdigit():
                    raise _bad(f"Invalid created[{op}].", param=f"created[{op}]")
                items = [item for item in items if checks[op](item["created"], int(bound))]
        ids = [item["id"] for item in items]
        after, before = params.text("starting_after"), params.text("ending_before")
        if after is not None:
            if after not in ids:
                raise _missing(items[0]["object"] if items else "object", after, "starting_after")
            rest = items[ids.index(after) + 1 :]
            page, has_more = rest[:limit], len(rest) > limit
        elif before is not None:
            if before not in ids:
                raise _missing(items[0]["object"] if items else "object", before, "ending_before")
            rest = items[: ids.index(before)]
            page, has_more = rest[-limit:], len(rest) > limit
        else:
            page, has_more = items[:limit], len(items) > limit
        return {
            "object": "list",
            "data": [self._render(item, call, ("data",)) for item in page],
            "has_more": has_more,
            "url": url,
        }

    def _lister(self, kind: str, url: str, filters: tuple[str, ...]) -> Callable[[Call], dict]:
        def handler(call: Call) -> dict:
            self._secret_only(call)
            items = self._events if kind == "event" else list(self._objects.get(kind, {}).values())
            return self._paginate(list(reversed(items)), call, url, filters)

        return handler

    def _retriever(self, kind: str, label: str) -> Callable[[Call], dict]:
        def handler(call: Call) -> dict:
            self._secret_only(call)
            Params(call.params, ())
            if kind == "event":
                try:
                    return self._render(self._find_event(call.groups["id"]), call)
                except KeyError:
                    raise _missing("event", call.groups["id"]) from None
            return self._render(self._require(kind, call.groups["id"], label), call)

        return handler

    def _secret_only(self, call: Call) -> None:
        if call.publishable:
            raise StripeApiError(
                401, "This call needs your secret key; the publishable key only confirms PaymentIntents."
            )

    def _emit(self, event_type: str, obj: dict, call: Call | None, previous: dict | None = None) -> dict:
        data: dict[str, Any] = {"object": copy.deepcopy(obj)}
        if previous:
            data["previous_attributes"] = previous
        endpoints = [e for e in self._endpoints.values() if e.wants(event_type)]
        event = {
            "id": new_id("evt"),
            "object": "event",
            "api_version": call.stripe_version if call else API_VERSION,
            "created": int(time.time()),
            "data": data,
            "livemode": False,
            "pending_webhooks": len(endpoints),
            "request": {
                "id": call.request_id if call else None,
                "idempotency_key": call.idempotency_key if call else None,
            },
            "type": event_type,
        }
        self._events.append(event)
        if self.auto_deliver and endpoints:
            with self._queue_cond:
                for endpoint in endpoints:
                    heapq.heappush(self._queue, _Delivery(time.monotonic(), next(self._seq), event["id"], endpoint.id))
                self._queue_cond.notify_all()
        return event

    # -- payment methods -------------------------------------------------------------------------------
    def _payment_method(self, reference: str | None, data: dict | None, param: str = "payment_method") -> dict | None:
        if data:
            kind = data.get("type")
            if kind != "bancontact":
                raise _bad(
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
            raise _missing("PaymentMethod", reference, param)
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

    # -- payment intents -------------------------------------------------------------------------------
    def _create_payment_intent(self, call: Call) -> dict:
        self._secret_only(call)
        params = Params(call.params, PAYMENT_INTENT_CREATE)
        currency = params.currency()
        amount = params.amount(currency)
        capture = params.text("capture_method", choices=("automatic", "automatic_async", "manual")) or "automatic_async"
        if capture == "manual":
            raise _bad("This simulator captures at once: capture_method=manual is not supported.", "capture_method")
        types = params.array("payment_method_types")
        automatic = params.hash("automatic_payment_methods")
        if types is not None and automatic and automatic.get("enabled") == "true":
            raise _bad(
                "Give either automatic_payment_methods or payment_method_types, not both.",
                param="payment_method_types",
            )
        if types is not None:
            for kind in types:
                if kind not in PAYMENT_METHOD_TYPES:
                    raise _bad(f"The payment method type {kind!r} is not available here.", "payment_method_types")
            if "bancontact" in types and currency != "eur":
                raise _bad(
                    "Bancontact only takes payments in eur.", "payment_method_types", "payment_intent_invalid_parameter"
                )
            apm = None
        else:
            allow = (automatic or {}).get("allow_redirects") or "always"
            if allow not in ("always", "never"):
                raise _bad("allow_redirects is always or never.", "automatic_payment_methods[allow_redirects]")
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
            raise _bad("The client_secret does not match this PaymentIntent.", param="client_secret")

    def _update_payment_intent(self, call: Call) -> dict:
        self._secret_only(call)
        params = Params(call.params, PAYMENT_INTENT_UPDATE)
        intent = self._require("payment_intent", call.groups["id"], "payment_intent", "intent")
        settled = intent["status"] in ("succeeded", "canceled", "processing")
        payment_fields = ("amount", "currency", "payment_method", "payment_method_types", "transfer_group")
        for name in payment_fields:
            if name in params and settled:
                raise _bad(
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
                    raise _bad(f"The payment method type {kind!r} is not available here.", "payment_method_types")
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
            raise _bad(
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
            raise _bad(
                f"This PaymentIntent takes {', '.join(intent['payment_method_types'])}, not {kind}.",
                param="payment_method",
                code="payment_intent_incompatible_payment_method",
            )
        if kind == "bancontact" and intent["currency"] != "eur":
            raise _bad("Bancontact only takes payments in eur.", "payment_method", "payment_intent_invalid_parameter")

    def _confirmation_method(self, intent: dict, method: dict | None, return_url: str | None) -> dict:
        """The payment method a confirmation would use, after every check that can refuse it."""
        if intent["status"] == "succeeded":
            raise _bad(
                "This PaymentIntent has already succeeded; it cannot be confirmed again.",
                code="payment_intent_unexpected_state",
            )
        if intent["status"] not in CONFIRMABLE:
            raise _bad(
                f"This PaymentIntent cannot be confirmed: its status is {intent['status']}.",
                code="payment_intent_unexpected_state",
            )
        if method is None:
            method = self._lookup("payment_method", intent["payment_method"])
        if method is None:
            raise _bad(
                "This PaymentIntent has no payment method to confirm with: give payment_method.",
                param="payment_method",
                code="payment_intent_unexpected_state",
            )
        self._check_method_allowed(intent, method)
        if method["type"] == "bancontact" and not return_url:
            raise _bad("Bancontact sends the shopper to their bank: give a return_url.", param="return_url")
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

    # -- refunds ---------------------------------------------------------------------------------------
    def _create_refund(self, call: Call) -> dict:
        self._secret_only(call)
        params = Params(call.params, REFUND_CREATE)
        charge_id, intent_id = params.text("charge"), params.text("payment_intent")
        if not charge_id and not intent_id:
            raise _bad(
                "Give the payment_intent or the charge to refund.", param="payment_intent", code="parameter_missing"
            )
        if intent_id:
            intent = self._require("payment_intent", intent_id, "payment_intent", "payment_intent")
            if intent["status"] != "succeeded":
                raise _bad(
                    f"This PaymentIntent has no successful charge to refund (status {intent['status']}).",
                    param="payment_intent",
                    code="charge_not_refundable",
                )
            if charge_id and charge_id != intent["latest_charge"]:
                raise _bad("The charge does not belong to this PaymentIntent.", param="charge")
            charge_id = intent["latest_charge"]
        charge = self._require("charge", charge_id, "charge", "charge")
        if charge["status"] != "succeeded":
            raise _bad(
                "This charge did not succeed: there is nothing to refund.", param="charge", code="charge_not_refundable"
            )
        if params.boolean("reverse_transfer") or params.boolean("refund_application_fee"):
            raise _bad("Separate charges and transfers: reverse each transfer instead.", param="reverse_transfer")
        remaining = charge["amount"] - charge["amount_refunded"]
        if remaining <= 0:
            raise _bad(f"Charge {charge['id']} has already been refunded.", code="charge_already_refunded")
        amount = params.integer("amount", minimum=1)
        amount = remaining if amount is None else amount
        if amount > remaining:
            raise _bad(
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

    # -- Connect: accounts, transfers, reversals -------------------------------------------------------
    def _new_account(self, account_id: str, kind: str, country: str) -> dict:
        return {
            "id": account_id,
            "object": "account",
            "business_profile": {"name": None, "url": None, "mcc": None},
            "business_type": None,
            "capabilities": {"transfers": "inactive"},
            "charges_enabled": False,
            "country": country,
            "created": int(time.time()),
            "default_currency": "eur" if country in ("BE", "FR", "NL", "LU", "DE") else "usd",
            "details_submitted": False,
            "email": None,
            "metadata": {},
            "payouts_enabled": False,
            "requirements": {"currently_due": ["external_account", "tos_acceptance.date"], "disabled_reason": None},
            "type": kind,
        }

    @staticmethod
    def _mark_onboarded(account: dict) -> None:
        account["capabilities"] = {name: "active" for name in account["capabilities"]}
        account.update(charges_enabled=True, payouts_enabled=True, details_submitted=True)
        account["requirements"] = {"currently_due": [], "disabled_reason": None}

    def _create_account(self, call: Call) -> dict:
        self._secret_only(call)
        params = Params(call.params, ACCOUNT_CREATE)
        kind = params.text("type", choices=("express", "standard", "custom")) or "express"
        account = self._new_account(new_id("acct", 16), kind, (params.text("country") or "BE").upper())
        account["email"] = params.text("email")
        account["business_type"] = params.text(
            "business_type", choices=("individual", "company", "non_profit", "government_entity")
        )
        account["business_profile"].update(params.hash("business_profile") or {})
        requested = params.hash("capabilities") or {}
        account["capabilities"] = {name: "inactive" for name in requested} or account["capabilities"]
        account["metadata"] = params.metadata()
        if params.text("default_currency"):
            account["default_currency"] = params.text("default_currency").lower()
        self._store(account)
        return self._render(account, call)

    def _create_account_link(self, call: Call) -> dict:
        self._secret_only(call)
        params = Params(call.params, ("account", "refresh_url", "return_url", "type", "collect", "collection_options"))
        account = self._require("account", params.text("account", required=True), "account", "account")
        params.text("type", required=True, choices=("account_onboarding", "account_update"))
        token = new_id("link", 20)
        now = int(time.time())
        self._onboarding_links[token] = {"account": account["id"], "return_url": params.text("return_url")}
        return {
            "object": "account_link",
            "created": now,
            "expires_at": now + 300,
            "url": f"{self.url}/connect/onboarding/{token}",
        }

    def _serve_onboarding_page(self, request: QuietHandler, token: str) -> None:
        """Stripe-hosted onboarding, reduced to one visit: the account becomes able to get paid."""
        with self._lock:
            link = self._onboarding_links.get(token)
            account = self._lookup("account", link["account"]) if link else None
            if account is None:
                request.send_bytes(404, b"Unknown or expired onboarding link.", "text/plain; charset=utf-8")
                return
            if not account["details_submitted"]:
                previous = {"charges_enabled": False, "payouts_enabled": False, "details_submitted": False}
                self._mark_onboarded(account)
                self._emit("account.updated", account, None, previous)
        if link["return_url"]:
            request.send_bytes(302, b"", "text/plain", {"Location": link["return_url"]})
        else:
            page = f"<!doctype html><title>Onboarding</title><p>Account {account['id']} can now get paid.</p>"
            request.send_bytes(200, page.encode(), "text/html; charset=utf-8")

    def _create_transfer(self, call: Call) -> dict:
        self._secret_only(call)
        params = Params(call.params, TRANSFER_CREATE)
        currency = params.currency()
        amount = params.integer("amount", required=True, minimum=1)
        destination = params.text("destination", required=True)
        if self._lookup("account", destination) is None:
            raise _missing("destination", destination, "destination")
        source_id = params.text("source_transaction")
        if source_id:
            source = self._require("charge", source_id, "charge", "source_transaction")
            if source["status"] != "succeeded":
                raise _bad("The source_transaction did not succeed.", param="source_transaction")
            if source["currency"] != currency:
                raise _bad(
                    f"The transfer currency ({currency}) must be the source_transaction's ({source['currency']}).",
                    param="currency",
                )
            left = source["amount"] - self._transferred_from.get(source_id, 0)
            if amount > left:
                raise _bad(
                    f"Transfer amount ({format_amount(amount, currency)}) is greater than what is left of the "
                    f"source_transaction ({format_amount(left, currency)}).",
                    param="amount",
                    code="amount_too_large",
                )
        transfer = {
            "id": new_id("tr"),
            "object": "transfer",
            "amount": amount,
            "amount_reversed": 0,
            "balance_transaction": new_id("txn"),
            "created": int(time.time()),
            "currency": currency,
            "description": params.text("description"),
            "destination": destination,
            "destination_payment": new_id("py"),
            "livemode": False,
            "metadata": params.metadata(),
            "reversals": None,
            "reversed": False,
            "source_transaction": source_id,
            "source_type": params.text("source_type") or "card",
            "transfer_group": params.text("transfer_group"),
        }
        transfer["reversals"] = self._reversal_list(transfer["id"], [])
        if source_id:
            self._transferred_from[source_id] = self._transferred_from.get(source_id, 0) + amount
        self._store(transfer)
        self._emit("transfer.created", transfer, call)
        return self._render(transfer, call)

    @staticmethod
    def _reversal_list(transfer_id: str, data: list[dict]) -> dict:
        return {
            "object": "list",
            "data": data,
            "has_more": False,
            "total_count": len(data),
            "url": f"/v1/transfers/{transfer_id}/reversals",
        }

    def _create_reversal(self, call: Call) -> dict:
        self._secret_only(call)
        params = Params(call.params, ("amount", "metadata", "description", "refund_application_fee"))
        transfer = self._require("transfer", call.groups["id"], "transfer", "id")
        remaining = transfer["amount"] - transfer["amount_reversed"]
        if remaining <= 0:
            raise _bad(f"Transfer {transfer['id']} is already fully reversed.", code="transfer_already_reversed")
        amount = params.integer("amount", minimum=1)
        amount = remaining if amount is None else amount
        if amount > remaining:
            raise _bad(
                f"Reversal amount ({format_amount(amount, transfer['currency'])}) is greater than what is left on "
                f"the transfer ({format_amount(remaining, transfer['currency'])}).",
                param="amount",
                code="amount_too_large",
            )
        reversal = {
            "id": new_id("trr"),
            "object": "transfer_reversal",
            "amount": amount,
            "balance_transaction": new_id("txn"),
            "created": int(time.time()),
            "currency": transfer["currency"],
            "destination_payment_refund": new_id("pyr"),
            "metadata": params.metadata(),
            "source_refund": None,
            "transfer": transfer["id"],
        }
        self._store(reversal)
        previous = {"amount_reversed": transfer["amount_reversed"], "reversed": transfer["reversed"]}
        transfer["amount_reversed"] += amount
        transfer["reversed"] = transfer["amount_reversed"] >= transfer["amount"]
        data = [copy.deepcopy(reversal)] + transfer["reversals"]["data"]
        transfer["reversals"] = self._reversal_list(transfer["id"], data)
        self._emit("transfer.reversed", transfer, call, previous)
        return self._render(reversal, call)

    def _list_reversals(self, call: Call) -> dict:
        self._secret_only(call)
        transfer = self._require("transfer", call.groups["id"], "transfer", "id")
        ids = [item["id"] for item in transfer["reversals"]["data"]]
        items = [self._objects["transfer_reversal"][reversal_id] for reversal_id in ids]
        return self._paginate(items, call, f"/v1/transfers/{transfer['id']}/reversals", ())

    def _retrieve_reversal(self, call: Call) -> dict:
        self._secret_only(call)
        Params(call.params, ())
        transfer = self._require("transfer", call.groups["id"], "transfer", "id")
        reversal = self._lookup("transfer_reversal", call.groups["reversal"])
        if reversal is None or reversal["transfer"] != transfer["id"]:
            raise _missing("transfer_reversal", call.groups["reversal"])
        return self._render(reversal, call)

    # -- webhook delivery ------------------------------------------------------------------------------
    def _deliver_loop(self) -> None:
        while True:
            with self._queue_cond:
                while True:
                    if self._stopping:
                        return
                    now = time.monotonic()
                    if not self._paused and self._queue and self._queue[0].due <= now:
                        delivery = heapq.heappop(self._queue)
                        self._in_flight += 1
                        break
                    wait = None if (self._paused or not self._queue) else self._queue[0].due - now
                    self._queue_cond.wait(wait)
            try:
                with self._lock:
                    endpoint = self._endpoints.get(delivery.endpoint_id)
                    try:
                        event = self._find_event(delivery.event_id)
                    except KeyError:
                        event = None
                ok = True
                if endpoint is not None and event is not None:
                    attempt = self._post_event(event, endpoint, attempt=delivery.attempt)
                    ok = attempt["status"] is not None and 200 <= attempt["status"] < 300
                with self._queue_cond:
                    if not ok and delivery.attempt <= len(self.retry_delays):
                        due = time.monotonic() + self.retry_delays[delivery.attempt - 1]
                        retry = _Delivery(
                            due, next(self._seq), delivery.event_id, delivery.endpoint_id, delivery.attempt + 1
                        )
                        heapq.heappush(self._queue, retry)
            finally:
                with self._queue_cond:
                    self._in_flight -= 1
                    self._queue_cond.notify_all()

    def _post_event(self, event: dict, endpoint: WebhookEndpoint, *, attempt: int) -> dict:
        """One signed POST; ``attempt`` 0 is a manual send. Each attempt is signed afresh."""
        payload = json.dumps(event, indent=2)
        request = urllib.request.Request(
            endpoint.url,
            data=payload.encode("utf-8"),
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
                "Stripe-Signature": signature_header(payload, endpoint.secret),
            },
        )
        status, error = None, ""
        try:
            with urllib.request.urlopen(request, timeout=self.webhook_timeout) as response:
                status = response.status
        except urllib.error.HTTPError as failure:
            status, error = failure.code, failure.reason
        except (OSError, ValueError) as failure:
            error = str(failure)
        record = {
            "event_id": event["id"],
            "type": event["type"],
            "endpoint": endpoint.id,
            "url": endpoint.url,
            "attempt": attempt,
            "status": status,
            "error": str(error),
        }
        with self._queue_cond:
            self._deliveries.append(record)
        return dict(record)


def _with_query(url: str, values: dict[str, str]) -> str:
    parts = urlsplit(url)
    query = f"{parts.query}&{urlencode(values)}" if parts.query else urlencode(values)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m simulators.stripe", description="Local Stripe API server.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=12111)
    parser.add_argument("--webhook-url", action="append", default=[], help="repeat for several endpoints")
    parser.add_argument("--api-key", help="secret key to accept (sk_test_…); random by default")
    parser.add_argument("--publishable-key", help="publishable key (pk_test_…); random by default")
    parser.add_argument("--webhook-secret", help="webhook signing secret (whsec_…); random by default")
    parser.add_argument("--account", action="append", default=[], help="connected account id to know (acct_…)")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    simulator = StripeSimulator(
        host=args.host,
        port=args.port,
        api_key=args.api_key,
        publishable_key=args.publishable_key,
        webhook_secret=args.webhook_secret,
        verbose=args.verbose,
    )
    for url in args.webhook_url:
        simulator.add_webhook_endpoint(url)
    for account in args.account:
        simulator.add_account(account)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with simulator:
        print(f"STRIPE_API_BASE={simulator.url}")
        print(f"STRIPE_SECRET_KEY={simulator.api_key}")
        print(f"STRIPE_PUBLISHABLE_KEY={simulator.publishable_key}")
        print(f"STRIPE_WEBHOOK_SECRET={simulator.webhook_secret}")
        sys.stdout.flush()
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
