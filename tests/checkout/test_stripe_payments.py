"""Paying with Stripe through the local Stripe server: the official library over HTTP, signed
webhooks to our live endpoint, replays and reordering, refunds, payouts and their reversal."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
import requests

from plugins.stripe.payouts import pay_vendor_order, reverse_for_cancelled_lines
from saleor_ext.order.models import Order
from saleor_ext.payment.models import Payout, ProcessedWebhookEvent, TransactionItem
from saleor_ext.payment.services import refund_order_amount
from simulators.stripe import StripeSimulator
from tests.checkout.conftest import run
from tests.checkout.test_delivery_and_complete import COMPLETE, PAY, ready_checkout

STRIPE = "saleor.payments.stripe"


@pytest.fixture
def stripe_sim(settings):
    with StripeSimulator() as sim:
        settings.STRIPE_SECRET_KEY = sim.api_key
        settings.STRIPE_PUBLISHABLE_KEY = sim.publishable_key
        settings.STRIPE_WEBHOOK_SECRET = sim.webhook_secret
        settings.STRIPE_API_BASE = sim.url
        yield sim


@pytest.fixture
def webhooks(stripe_sim, live_server):
    url = f"{live_server.url}/plugins/stripe/webhooks/"
    stripe_sim.add_webhook_endpoint(url)
    return url


def pay_by_card(checkout_id: str, card: str = "pm_card_visa") -> dict:
    return run(PAY, {"id": checkout_id, "gateway": {"id": STRIPE, "data": {"paymentMethod": card}}})


def charges(item: TransactionItem) -> list[str]:
    return list(item.events.filter(type="charge_success").values_list("type", flat=True))


@pytest.mark.django_db(transaction=True)
def test_a_card_payment_is_charged_once_even_when_the_webhook_repeats_it(market, stripe_sim, webhooks):
    checkout = ready_checkout(market, [(market.book, 1), (market.bike, 1)])

    paid = pay_by_card(checkout["id"])
    assert stripe_sim.wait_for_deliveries(timeout=10)
    succeeded = stripe_sim.events_of("payment_intent.succeeded")[0]
    stripe_sim.deliver(succeeded["id"])  # Stripe sending it again
    assert stripe_sim.wait_for_deliveries(timeout=10)

    assert paid["errors"] == []
    assert paid["transactionEvent"]["type"] == "CHARGE_SUCCESS"
    item = TransactionItem.objects.get()
    intent = stripe_sim.get(item.psp_reference)
    assert intent["amount"] == 13050 and intent["currency"] == "eur"
    assert intent["transfer_group"] == f"cart-{item.checkout_id}"
    assert item.charged_value == Decimal("130.50")
    assert len(charges(item)) == 1
    assert run(COMPLETE, {"id": checkout["id"]})["errors"] == []


@pytest.mark.django_db
def test_the_storefront_gets_the_publishable_key(market, stripe_sim):
    checkout = ready_checkout(market, [(market.book, 1)])

    payload = run(
        """mutation($id: ID!) { paymentGatewayInitialize(id: $id, paymentGateways: [{id: "saleor.payments.stripe"}]) {
             gatewayConfigs { id data errors { code } } errors { code } } }""",
        {"id": checkout["id"]},
    )

    assert payload["gatewayConfigs"] == [
        {"id": STRIPE, "data": {"stripePublishableKey": stripe_sim.publishable_key}, "errors": []}
    ]


@pytest.mark.django_db
def test_a_declined_card_leaves_the_cart_unpaid(market, stripe_sim):
    checkout = ready_checkout(market, [(market.book, 1)])

    paid = pay_by_card(checkout["id"], "pm_card_chargeDeclined")
    completed = run(COMPLETE, {"id": checkout["id"]})

    assert paid["transactionEvent"]["type"] == "CHARGE_FAILURE"
    assert paid["transaction"]["chargedAmount"]["amount"] == 0.0
    assert completed["errors"][0]["code"] == "CHECKOUT_NOT_FULLY_PAID"


@pytest.mark.django_db
def test_bancontact_waits_for_the_bank_then_process_confirms_it(market, stripe_sim):
    checkout = ready_checkout(market, [(market.book, 1)])
    started = run(
        PAY.replace("transactionEvent { type }", "transactionEvent { type externalUrl } data"),
        {
            "id": checkout["id"],
            "gateway": {"id": STRIPE, "data": {"paymentMethod": "pm_bancontact", "returnUrl": "https://shop.test/back"}},
        },
    )
    bank_page = started["transactionEvent"]["externalUrl"]
    requests.post(bank_page, allow_redirects=False, timeout=10)
    item = TransactionItem.objects.get()

    processed = run(
        """mutation($id: ID!) { transactionProcess(id: $id) { transaction { chargedAmount { amount } }
             transactionEvent { type } errors { code } } }""",
        {"id": f"{_global('TransactionItem', item.token)}"},
    )

    assert started["transactionEvent"]["type"] == "CHARGE_ACTION_REQUIRED"
    assert bank_page.startswith(stripe_sim.url)
    assert processed["transactionEvent"]["type"] == "CHARGE_SUCCESS"
    assert processed["transaction"]["chargedAmount"]["amount"] == 10.5


def _global(kind: str, pk) -> str:
    from saleor_ext.graphql.core.ids import to_global_id

    return to_global_id(kind, pk)


@pytest.mark.django_db(transaction=True)
def test_a_webhook_with_a_bad_signature_is_refused(market, stripe_sim, webhooks):
    body = json.dumps({"id": "evt_forged", "type": "payment_intent.succeeded", "data": {"object": {}}})

    response = requests.post(
        webhooks, data=body, headers={"Stripe-Signature": "t=1,v1=deadbeef", "Content-Type": "application/json"},
        timeout=10,
    )

    assert response.status_code == 400
    assert not ProcessedWebhookEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_refund_events_in_any_order_count_each_refund_once(market, stripe_sim, webhooks):
    stripe_sim.pause_delivery()
    checkout = ready_checkout(market, [(market.book, 1), (market.bike, 1)])
    pay_by_card(checkout["id"])
    run(COMPLETE, {"id": checkout["id"]})
    order = Order.objects.get()

    refund_order_amount(order, Decimal("6.00"), reason="Book cancelled")
    # Newest first: the refund's events reach us before the payment's success.
    for event in reversed(stripe_sim.events):
        stripe_sim.deliver(event["id"])
    stripe_sim.resume_delivery()
    assert stripe_sim.wait_for_deliveries(timeout=10)

    item = TransactionItem.objects.get()
    assert item.refunded_value == Decimal("6.00")
    assert item.charged_value == Decimal("124.50")
    assert item.events.filter(type="refund_success").count() == 1
    order.refresh_from_db()
    assert order.total_refunded_amount == Decimal("6.00")


@pytest.mark.django_db
def test_a_handed_over_vendor_order_pays_the_shop_its_share_once_and_a_later_refund_takes_it_back(
    market, stripe_sim
):
    account = stripe_sim.add_account()
    market.bikes.vendor.stripe_account_id = account
    market.bikes.vendor.commission_rate = Decimal("10.00")
    market.bikes.vendor.save()
    checkout = ready_checkout(market, [(market.bike, 1)])
    pay_by_card(checkout["id"])
    run(COMPLETE, {"id": checkout["id"]})
    vendor_order = Order.objects.get().vendor_orders.get()

    payout = pay_vendor_order(vendor_order.pk)
    again = pay_vendor_order(vendor_order.pk)
    line = vendor_order.lines.get()
    line.quantity_cancelled = 1
    line.save()
    reverse_for_cancelled_lines(vendor_order.order, [line])

    transfers = [o for o in stripe_sim.events_of("transfer.created")]
    assert payout.status == "paid" and again.pk == payout.pk
    assert len(transfers) == 1
    transfer = stripe_sim.get(payout.psp_reference)
    assert transfer["destination"] == account
    # 120.00 at pickup, less 10 % commission.
    assert transfer["amount"] == 10800
    assert transfer["transfer_group"] == f"cart-{vendor_order.order.checkout_token}"
    payout = Payout.objects.get()
    assert payout.status == "reversed"
    assert payout.reversed_amount == Decimal("108.00")
    assert stripe_sim.events_of("transfer.reversed")


@pytest.mark.django_db
def test_handing_over_a_vendor_order_sends_the_payout(market, stripe_sim, django_capture_on_commit_callbacks):
    from saleor_ext.order.services import accept_vendor_order, mark_collected, mark_ready_for_pickup
    from tests.factories import make_vendor_staff

    market.bikes.vendor.stripe_account_id = stripe_sim.add_account()
    market.bikes.vendor.save()
    staff = make_vendor_staff(market.bikes.vendor)
    checkout = ready_checkout(market, [(market.bike, 1)])
    pay_by_card(checkout["id"])
    run(COMPLETE, {"id": checkout["id"]})
    vendor_order = Order.objects.get().vendor_orders.get()

    with django_capture_on_commit_callbacks(execute=True):
        accept_vendor_order(vendor_order, staff)
        mark_ready_for_pickup(vendor_order, staff)
    assert not Payout.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        mark_collected(vendor_order, staff)

    payout = Payout.objects.get()
    assert payout.status == "paid"
    assert payout.amount == Decimal("120.00") - payout.commission_amount
    assert stripe_sim.get(payout.psp_reference)["destination"] == market.bikes.vendor.stripe_account_id
