"""The HTTP server: life cycle, test controls, authentication, idempotency keys and the routes of the API."""

from __future__ import annotations

import base64
import copy
import hmac
import itertools
import json
import re
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from .._http import BackgroundServer, QuietHandler
from .connect import ConnectMixin
from .objects import ObjectsMixin
from .payment_intents import PaymentIntentsMixin
from .payment_methods import CardBehaviour, PaymentMethodsMixin
from .protocol import API_VERSION, Call, StripeApiError, bad_request, new_id, parse_params
from .refunds import RefundsMixin
from .webhooks import Delivery, WebhookEndpoint, WebhooksMixin


class _Handler(QuietHandler):
    server_version = "stripe-simulator"

    def do_GET(self) -> None:
        self.server.app._serve(self)

    def do_POST(self) -> None:
        self.server.app._serve(self)

    def do_DELETE(self) -> None:
        self.server.app._serve(self)


class StripeSimulator(
    WebhooksMixin, ObjectsMixin, PaymentMethodsMixin, PaymentIntentsMixin, RefundsMixin, ConnectMixin
):
    """A Stripe API server in memory, on a background thread.

    ``api_key``/``publishable_key``/``webhook_secret`` default to fresh random test keys. Every
    state change stores an Event (``events``) and, while ``auto_deliver`` is on, posts it signed
    to each webhook endpoint from a background thread, retrying after ``retry_delays`` seconds.

    The API's objects come from the mixins of ``objects``, ``payment_methods``, ``payment_intents``,
    ``refunds`` and ``connect``; events and their delivery from ``webhooks``.
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
        self._queue: list[Delivery] = []
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

    def get(self, object_id: str) -> dict:
        """Any stored object by id (a copy), for assertions that bypass the API."""
        with self._lock:
            for objects in self._objects.values():
                if object_id in objects:
                    return copy.deepcopy(objects[object_id])
        raise KeyError(object_id)

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
                raise bad_request("This simulator does not act on behalf of connected accounts (Stripe-Account).")
            if key is not None and len(key) > 255:
                raise bad_request("Idempotency-Key values can be up to 255 characters long.")
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
