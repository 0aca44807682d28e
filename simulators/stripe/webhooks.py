"""Events and their webhooks: every state change stores an Event, posted signed (``Stripe-Signature``)
to each endpoint from a background thread, with retries."""

from __future__ import annotations

import copy
import hashlib
import heapq
import hmac
import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .protocol import API_VERSION, Call, new_id


@dataclass(order=True)
class Delivery:
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


class WebhooksMixin:
    """The events, webhook endpoints and delivery queue of ``StripeSimulator``."""

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

    @property
    def events(self) -> list[dict]:
        """Every event so far, oldest first (copies)."""
        with self._lock:
            return copy.deepcopy(self._events)

    def events_of(self, event_type: str) -> list[dict]:
        return [event for event in self.events if event["type"] == event_type]

    @property
    def deliveries(self) -> list[dict]:
        """Every webhook attempt: event_id, endpoint, url, attempt, status (None: no answer), error."""
        with self._queue_cond:
            return [dict(item) for item in self._deliveries]

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

    # -- events --------------------------------------------------------------------------------------
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
                    heapq.heappush(self._queue, Delivery(time.monotonic(), next(self._seq), event["id"], endpoint.id))
                self._queue_cond.notify_all()
        return event

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
                        retry = Delivery(
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
