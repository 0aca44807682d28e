"""The local Stripe server, driven only through the official ``stripe`` library (as the payment
plugin uses it) and a small HTTP receiver standing in for our webhook endpoint."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import stripe

from simulators.stripe import StripeSimulator


class WebhookReceiver:
    """Records every POST (raw body and Stripe-Signature); answers the queued statuses, then 200."""

    def __init__(self):
        self.received: list[dict] = []
        self.statuses: list[int] = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the stdlib's name
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                with receiver._lock:
                    receiver.received.append({"body": body, "signature": self.headers.get("Stripe-Signature")})
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/webhooks/stripe/"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def bodies_of(self, event_type: str) -> list[dict]:
        with self._lock:
            return [item for item in self.received if json.loads(item["body"])["type"] == event_type]

    def types(self) -> list[str]:
        with self._lock:
            return [json.loads(item["body"])["type"] for item in self.received]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    receiver = WebhookReceiver()
    yield receiver
    receiver.close()


@pytest.fixture
def sim(receiver):
    with StripeSimulator(retry_delays=(0.05, 0.05, 0.05)) as simulator:
        simulator.add_webhook_endpoint(receiver.url)
        yield simulator


def client_for(sim: StripeSimulator, *, key: str | None = None, retries: int = 0) -> stripe.StripeClient:
    return stripe.StripeClient(key or sim.api_key, base_addresses={"api": sim.url}, max_network_retries=retries)


@pytest.fixture
def client(sim):
    return client_for(sim)


def paid_intent(client, amount=5000, **extra):
    params = {"amount": amount, "currency": "eur", "payment_method": "pm_card_visa", "confirm": True, **extra}
    return client.v1.payment_intents.create(params=params)


def test_card_payment_succeeds_and_its_signed_webhook_is_accepted(sim, client, receiver):
    intent = client.v1.payment_intents.create(
        params={
            "amount": 2350,
            "currency": "eur",
            "transfer_group": "order-17",
            "metadata": {"checkout": "c-17"},
            "receipt_email": "shopper@example.com",
            "payment_method_types": ["card", "bancontact"],
        }
    )
    assert intent.status == "requires_payment_method"
    assert intent.client_secret.startswith(f"{intent.id}_secret_")
    assert intent.id.startswith("pi_") and intent.livemode is False

    confirmed = client.v1.payment_intents.confirm(intent.id, params={"payment_method": "pm_card_visa"})
    assert confirmed.status == "succeeded"
    assert confirmed.amount_received == 2350
    assert confirmed.latest_charge.startswith("ch_")
    charge = client.v1.charges.retrieve(confirmed.latest_charge)
    assert (charge.amount, charge.amount_refunded, charge.refunded) == (2350, 0, False)
    assert (charge.payment_intent, charge.transfer_group) == (intent.id, "order-17")

    assert sim.wait_for_deliveries(5)
    [delivery] = receiver.bodies_of("payment_intent.succeeded")
    event = stripe.Webhook.construct_event(delivery["body"], delivery["signature"], sim.webhook_secret)
    assert event.type == "payment_intent.succeeded"
    assert event.data.object.id == intent.id
    assert event.data.object.amount_received == 2350
    assert event.data.object.metadata["checkout"] == "c-17"
    assert event.id == sim.events_of("payment_intent.succeeded")[0]["id"]


def test_a_wrong_secret_or_altered_body_fails_signature_verification(sim, client, receiver):
    paid_intent(client)
    assert sim.wait_for_deliveries(5)
    [delivery] = receiver.bodies_of("payment_intent.succeeded")

    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(delivery["body"], delivery["signature"], "whsec_not_the_right_one")
    altered = delivery["body"].replace('"amount": 5000', '"amount": 1')
    assert altered != delivery["body"]
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(altered, delivery["signature"], sim.webhook_secret)


def test_an_idempotency_key_replays_the_first_answer_and_refuses_other_parameters(sim, client):
    params = {"amount": 1800, "currency": "eur", "metadata": {"checkout": "c-1"}}
    first = client.v1.payment_intents.create(params=params, options={"idempotency_key": "pi:c-1"})
    again = client.v1.payment_intents.create(params=params, options={"idempotency_key": "pi:c-1"})

    assert again.id == first.id
    assert again.last_response.headers["Idempotent-Replayed"] == "true"
    assert len(sim.events_of("payment_intent.created")) == 1
    assert client.v1.payment_intents.list().data[0].id == first.id
    assert len(client.v1.payment_intents.list().data) == 1

    with pytest.raises(stripe.IdempotencyError):
        client.v1.payment_intents.create(params={**params, "amount": 1900}, options={"idempotency_key": "pi:c-1"})
    # Without a key, each call acts.
    other = client.v1.payment_intents.create(params=params)
    assert other.id != first.id


def test_a_declined_card_leaves_the_intent_payable_and_sends_payment_failed(sim, client, receiver):
    intent = client.v1.payment_intents.create(params={"amount": 4200, "currency": "eur"})

    with pytest.raises(stripe.CardError) as declined:
        client.v1.payment_intents.confirm(intent.id, params={"payment_method": "pm_card_chargeDeclined"})
    assert declined.value.code == "card_declined"
    assert declined.value.http_status == 402
    assert declined.value.json_body["error"]["payment_intent"]["id"] == intent.id

    refused = client.v1.payment_intents.retrieve(intent.id)
    assert refused.status == "requires_payment_method"
    assert refused.last_payment_error.code == "card_declined"
    assert refused.last_payment_error.decline_code == "generic_decline"
    assert client.v1.charges.retrieve(refused.latest_charge).status == "failed"

    assert sim.wait_for_deliveries(5)
    [delivery] = receiver.bodies_of("payment_intent.payment_failed")
    event = stripe.Webhook.construct_event(delivery["body"], delivery["signature"], sim.webhook_secret)
    assert event.data.object.id == intent.id
    assert event.data.object.last_payment_error.code == "card_declined"

    # The shopper tries another card on the same intent.
    paid = client.v1.payment_intents.confirm(intent.id, params={"payment_method": "pm_card_visa"})
    assert paid.status == "succeeded" and paid.last_payment_error is None


class _KeepRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _open_without_following(url: str, data: bytes | None = None) -> urllib.error.HTTPError:
    opener = urllib.request.build_opener(_KeepRedirect)
    with pytest.raises(urllib.error.HTTPError) as redirect:
        opener.open(url, data=data)
    return redirect.value


def test_bancontact_requires_the_bank_step_and_the_redirect_completes_it(sim, client, receiver):
    intent = client.v1.payment_intents.create(
        params={
            "amount": 3100,
            "currency": "eur",
            "payment_method": "pm_bancontact",
            "confirm": True,
            "return_url": "http://shop.example/checkout/return?checkout=c-9",
        }
    )
    assert intent.status == "requires_action"
    assert intent.next_action.type == "redirect_to_url"
    bank_url = intent.next_action.redirect_to_url.url
    assert bank_url.startswith(sim.url)
    assert client.v1.payment_intents.retrieve(intent.id).status == "requires_action"

    answer = _open_without_following(bank_url)
    assert answer.code == 302
    back = urlsplit(answer.headers["Location"])
    query = parse_qs(back.query)
    assert back.netloc == "shop.example" and back.path == "/checkout/return"
    assert query["checkout"] == ["c-9"]
    assert query["payment_intent"] == [intent.id]
    assert query["redirect_status"] == ["succeeded"]

    paid = client.v1.payment_intents.retrieve(intent.id)
    assert paid.status == "succeeded" and paid.amount_received == 3100
    assert client.v1.charges.retrieve(paid.latest_charge).payment_method_details.type == "bancontact"
    assert sim.wait_for_deliveries(5)
    assert len(receiver.bodies_of("payment_intent.succeeded")) == 1


def test_bancontact_refused_at_the_bank_fails_the_payment(sim, client):
    intent = client.v1.payment_intents.create(
        params={"amount": 3100, "currency": "eur", "payment_method_types": ["bancontact"]}
    )
    pending = client.v1.payment_intents.confirm(
        intent.id, params={"payment_method": "pm_bancontact", "return_url": "http://shop.example/return"}
    )

    answer = _open_without_following(pending.next_action.redirect_to_url.url, data=b"outcome=fail")
    assert answer.code == 303
    assert parse_qs(urlsplit(answer.headers["Location"]).query)["redirect_status"] == ["failed"]
    failed = client.v1.payment_intents.retrieve(intent.id)
    assert failed.status == "requires_payment_method"
    assert failed.last_payment_error.code == "payment_intent_authentication_failure"
    assert [e["data"]["object"]["id"] for e in sim.events_of("payment_intent.payment_failed")] == [intent.id]


def test_bancontact_needs_a_return_url_and_euros(client):
    with pytest.raises(stripe.InvalidRequestError) as no_return:
        client.v1.payment_intents.create(
            params={"amount": 3100, "currency": "eur", "payment_method": "pm_bancontact", "confirm": True}
        )
    assert no_return.value.param == "return_url"
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.payment_intents.create(
            params={"amount": 3100, "currency": "usd", "payment_method_types": ["bancontact"]}
        )


def test_partial_then_full_refund_and_refunding_more_than_what_remains(sim, client, receiver):
    intent = paid_intent(client, amount=5000)

    partial = client.v1.refunds.create(
        params={"payment_intent": intent.id, "amount": 1500, "reason": "requested_by_customer"},
        options={"idempotency_key": "refund:line-1"},
    )
    assert (partial.amount, partial.status, partial.charge) == (1500, "succeeded", intent.latest_charge)
    assert partial.id.startswith("re_")
    assert client.v1.refunds.retrieve(partial.id).payment_intent == intent.id
    charge = client.v1.charges.retrieve(intent.latest_charge)
    assert (charge.amount_refunded, charge.refunded) == (1500, False)

    with pytest.raises(stripe.InvalidRequestError) as too_much:
        client.v1.refunds.create(params={"payment_intent": intent.id, "amount": 3501})
    assert too_much.value.param == "amount"
    assert "35.00" in too_much.value.user_message

    rest = client.v1.refunds.create(params={"charge": intent.latest_charge})
    assert rest.amount == 3500
    charge = client.v1.charges.retrieve(intent.latest_charge, params={"expand": ["refunds"]})
    assert (charge.amount_refunded, charge.refunded) == (5000, True)
    assert [refund.id for refund in charge.refunds.data] == [rest.id, partial.id]

    with pytest.raises(stripe.InvalidRequestError) as nothing_left:
        client.v1.refunds.create(params={"payment_intent": intent.id, "amount": 1})
    assert nothing_left.value.code == "charge_already_refunded"

    assert sim.wait_for_deliveries(5)
    refunded = [
        stripe.Webhook.construct_event(item["body"], item["signature"], sim.webhook_secret)
        for item in receiver.bodies_of("charge.refunded")
    ]
    assert sorted(event.data.object.amount_refunded for event in refunded) == [1500, 5000]
    assert {event.data.object.payment_intent for event in refunded} == {intent.id}
    created = [json.loads(item["body"])["data"]["object"] for item in receiver.bodies_of("refund.created")]
    assert sorted(refund["id"] for refund in created) == sorted([partial.id, rest.id])


def test_refunding_an_unpaid_intent_is_refused(client):
    intent = client.v1.payment_intents.create(params={"amount": 5000, "currency": "eur"})
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.refunds.create(params={"payment_intent": intent.id})
    assert refused.value.param == "payment_intent"


def test_transfer_to_a_connected_account_and_its_reversals(sim, client, receiver):
    intent = paid_intent(client, amount=10000, transfer_group="order-42")
    account = client.v1.accounts.create(params={"type": "express", "country": "BE", "email": "shop@example.com"})
    assert account.id.startswith("acct_")

    transfer = client.v1.transfers.create(
        params={
            "amount": 8500,
            "currency": "eur",
            "destination": account.id,
            "transfer_group": "order-42",
            "source_transaction": intent.latest_charge,
            "metadata": {"vendor_order": "42-1"},
        },
        options={"idempotency_key": "transfer:42:1"},
    )
    assert transfer.id.startswith("tr_")
    assert (transfer.destination, transfer.transfer_group, transfer.amount_reversed) == (account.id, "order-42", 0)
    listed = client.v1.transfers.list(params={"transfer_group": "order-42"})
    assert [item.id for item in listed.data] == [transfer.id]

    reversal = client.v1.transfers.reversals.create(transfer.id, params={"amount": 2000})
    assert reversal.id.startswith("trr_") and reversal.transfer == transfer.id
    after = client.v1.transfers.retrieve(transfer.id)
    assert (after.amount_reversed, after.reversed) == (2000, False)

    with pytest.raises(stripe.InvalidRequestError) as too_much:
        client.v1.transfers.reversals.create(transfer.id, params={"amount": 6501})
    assert too_much.value.param == "amount"
    client.v1.transfers.reversals.create(transfer.id)
    after = client.v1.transfers.retrieve(transfer.id)
    assert (after.amount_reversed, after.reversed, after.reversals.total_count) == (8500, True, 2)

    assert sim.wait_for_deliveries(5)
    assert len(receiver.bodies_of("transfer.created")) == 1
    reversed_events = [json.loads(item["body"])["data"] for item in receiver.bodies_of("transfer.reversed")]
    assert sorted(data["object"]["amount_reversed"] for data in reversed_events) == [2000, 8500]
    assert sorted(data["previous_attributes"]["amount_reversed"] for data in reversed_events) == [0, 2000]


def test_a_transfer_to_an_unknown_account_is_refused(sim, client):
    known = sim.add_account("acct_1KnownShop")
    assert client.v1.transfers.create(params={"amount": 100, "currency": "eur", "destination": known}).amount == 100

    with pytest.raises(stripe.InvalidRequestError) as unknown:
        client.v1.transfers.create(params={"amount": 100, "currency": "eur", "destination": "acct_1Nobody"})
    assert unknown.value.code == "resource_missing"
    assert unknown.value.param == "destination"
    assert unknown.value.http_status == 400


def test_a_wrong_api_key_is_an_authentication_error(sim):
    with pytest.raises(stripe.AuthenticationError) as refused:
        client_for(sim, key="sk_test_not_the_simulators").v1.payment_intents.create(
            params={"amount": 1000, "currency": "eur"}
        )
    assert refused.value.http_status == 401
    assert refused.value.json_body["error"]["type"] == "invalid_request_error"


def test_unknown_objects_and_urls_are_404(sim, client):
    with pytest.raises(stripe.InvalidRequestError) as missing:
        client.v1.payment_intents.retrieve("pi_doesnotexist")
    assert (missing.value.http_status, missing.value.code) == (404, "resource_missing")

    request = urllib.request.Request(f"{sim.url}/v1/unicorns", headers={"Authorization": f"Bearer {sim.api_key}"})
    with pytest.raises(urllib.error.HTTPError) as unknown_url:
        urllib.request.urlopen(request)
    assert unknown_url.value.code == 404
    assert json.loads(unknown_url.value.read())["error"]["type"] == "invalid_request_error"


def test_unknown_parameters_are_refused(client):
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.payment_intents.create(params={"amount": 1000, "currency": "eur", "amout": 5})
    assert (refused.value.code, refused.value.param) == ("parameter_unknown", "amout")


def test_fail_next_answers_stripes_500_before_doing_anything(sim, client):
    sim.fail_next("/v1/payment_intents")
    with pytest.raises(stripe.APIError) as failure:
        client.v1.payment_intents.create(params={"amount": 1000, "currency": "eur"})
    assert failure.value.http_status == 500
    assert sim.events_of("payment_intent.created") == []

    # The library's own retry (same idempotency key) gets through once the failure is spent.
    sim.fail_next("/v1/payment_intents")
    created = client_for(sim, retries=1).v1.payment_intents.create(params={"amount": 1000, "currency": "eur"})
    assert created.status == "requires_payment_method"
    assert len(sim.events_of("payment_intent.created")) == 1


def test_a_lost_answer_is_recovered_by_the_idempotent_retry(sim, client):
    intent = paid_intent(client, amount=2000)
    sim.fail_next("/v1/refunds", "timeout")

    refund = client_for(sim, retries=1).v1.refunds.create(
        params={"payment_intent": intent.id, "amount": 500}, options={"idempotency_key": "refund:t-1:0"}
    )
    assert refund.last_response.headers["Idempotent-Replayed"] == "true"
    assert client.v1.charges.retrieve(intent.latest_charge).amount_refunded == 500
    assert len(sim.events_of("refund.created")) == 1


def test_update_and_cancel_follow_the_intent_status(sim, client):
    intent = client.v1.payment_intents.create(params={"amount": 1000, "currency": "eur", "metadata": {"a": "1"}})
    updated = client.v1.payment_intents.update(intent.id, params={"amount": 1500, "metadata": {"b": "2"}})
    assert updated.amount == 1500 and updated.metadata.to_dict() == {"a": "1", "b": "2"}

    canceled = client.v1.payment_intents.cancel(intent.id, params={"cancellation_reason": "abandoned"})
    assert (canceled.status, canceled.cancellation_reason) == ("canceled", "abandoned")
    assert [e["data"]["object"]["id"] for e in sim.events_of("payment_intent.canceled")] == [intent.id]

    paid = paid_intent(client)
    with pytest.raises(stripe.InvalidRequestError) as too_late:
        client.v1.payment_intents.update(paid.id, params={"amount": 999})
    assert too_late.value.code == "payment_intent_unexpected_state"
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.payment_intents.cancel(paid.id)
    assert client.v1.payment_intents.update(paid.id, params={"metadata": {"order": "9"}}).metadata["order"] == "9"


def test_events_are_listed_newest_first_and_retrievable(sim, client):
    paid_intent(client)
    everything = [event["id"] for event in reversed(sim.events)]
    page = client.v1.events.list(params={"limit": 2})
    assert [event.id for event in page.data] == everything[:2]
    assert page.has_more is True
    rest = client.v1.events.list(params={"limit": 100, "starting_after": page.data[-1].id})
    assert [event.id for event in rest.data] == everything[2:]
    assert rest.has_more is False
    only = client.v1.events.list(params={"type": "payment_intent.succeeded"})
    assert [event.type for event in only.data] == ["payment_intent.succeeded"]
    assert client.v1.events.retrieve(only.data[0].id).data.object.status == "succeeded"


def test_failed_deliveries_are_retried_until_the_endpoint_accepts(sim, client, receiver):
    receiver.statuses = [500, 500]
    intent = client.v1.payment_intents.create(params={"amount": 1000, "currency": "eur"})
    assert sim.wait_for_deliveries(5)

    [created] = sim.events_of("payment_intent.created")
    attempts = [d for d in sim.deliveries if d["event_id"] == created["id"]]
    assert [d["status"] for d in attempts] == [500, 500, 200]
    assert all(
        json.loads(item["body"])["data"]["object"]["id"] == intent.id
        for item in receiver.bodies_of("payment_intent.created")
    )


def test_paused_delivery_lets_a_test_choose_the_order_and_replay(sim, client, receiver):
    sim.pause_delivery()
    intent = paid_intent(client)
    client.v1.refunds.create(params={"payment_intent": intent.id})
    assert sim.wait_for_deliveries(0.2) is False
    assert receiver.received == []

    [refunded] = sim.events_of("charge.refunded")
    [succeeded] = sim.events_of("payment_intent.succeeded")
    assert [attempt["status"] for attempt in sim.deliver(refunded["id"])] == [200]
    sim.resume_delivery()
    assert sim.wait_for_deliveries(5)
    types = receiver.types()
    assert types.index("charge.refunded") < types.index("payment_intent.succeeded")
    assert types.count("charge.refunded") == 1

    sim.deliver(succeeded["id"])
    replays = receiver.bodies_of("payment_intent.succeeded")
    assert len(replays) == 2
    assert {json.loads(item["body"])["id"] for item in replays} == {succeeded["id"]}
    for item in replays:
        stripe.Webhook.construct_event(item["body"], item["signature"], sim.webhook_secret)


def test_connected_account_onboarding_link_enables_the_account(sim, client):
    account = client.v1.accounts.create(params={"type": "express"})
    assert account.charges_enabled is False
    link = client.v1.account_links.create(
        params={
            "account": account.id,
            "type": "account_onboarding",
            "refresh_url": "http://shop.example/refresh",
            "return_url": "http://shop.example/onboarded",
        }
    )
    answer = _open_without_following(link.url)
    assert answer.headers["Location"] == "http://shop.example/onboarded"
    onboarded = client.v1.accounts.retrieve(account.id)
    assert (onboarded.charges_enabled, onboarded.payouts_enabled, onboarded.details_submitted) == (True, True, True)
    assert [e["data"]["object"]["id"] for e in sim.events_of("account.updated")] == [account.id]


def test_runs_alone_and_prints_its_settings():
    process = subprocess.Popen(
        [sys.executable, "-m", "simulators.stripe", "--port", "0", "--api-key", "sk_test_cli"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        settings = dict(process.stdout.readline().strip().split("=", 1) for _ in range(4))
        assert settings["STRIPE_SECRET_KEY"] == "sk_test_cli"
        assert settings["STRIPE_WEBHOOK_SECRET"].startswith("whsec_")
        assert settings["STRIPE_PUBLISHABLE_KEY"].startswith("pk_test_")
        cli = stripe.StripeClient("sk_test_cli", base_addresses={"api": settings["STRIPE_API_BASE"]})
        assert cli.v1.payment_intents.create(params={"amount": 700, "currency": "eur"}).amount == 700
    finally:
        process.terminate()
        process.wait(timeout=10)
