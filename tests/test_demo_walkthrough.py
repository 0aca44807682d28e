"""The README's "Buying in the demo" walkthrough, run as written: its shell blocks go through bash
and curl against a live server paying with the local Stripe server, so the README cannot drift
from the API."""

from __future__ import annotations

import re
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from import_scripts.management.commands.demo_server import (
    DEMO_PUBLISHABLE_KEY,
    DEMO_SECRET_KEY,
    DEMO_WEBHOOK_SECRET,
    register_connected_accounts,
)
from saleor_ext.order.models import Order
from saleor_ext.order.models import VendorOrderStatus as S
from saleor_ext.payment.models import Payout, TransactionItem
from saleor_ext.vendor.models import Vendor
from simulators.stripe import StripeSimulator

README = Path(__file__).resolve().parent.parent / "README.md"
SECTION = "## Buying in the demo"
DEMO_URL = "http://127.0.0.1:8000"
SHOP = "bouquinerie-le-vieux-grimoire"


def walkthrough() -> str:
    """The section's shell blocks, in order, as one script."""
    text = README.read_text(encoding="utf-8")
    assert SECTION in text, "the README lost its buying walkthrough"
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    return "\n".join(re.findall(r"```sh\n(.*?)```", section, flags=re.S))


def test_the_walkthrough_goes_from_checkout_create_to_checkout_complete_and_the_hand_over():
    script = walkthrough()
    steps = [
        "tokenCreate", "checkoutCreate", "checkoutShippingAddressUpdate", "checkoutBillingAddressUpdate",
        "deliveryOptionsCalculate", "checkoutDeliveryMethodUpdate", "transactionInitialize", "checkoutComplete",
        "vendorOrderAccept", "orderFulfill",
    ]
    positions = [script.find(step) for step in steps]
    assert -1 not in positions and positions == sorted(positions)
    assert DEMO_URL in script and '"paymentMethod": "pm_card_visa"' in script


@pytest.fixture
def demo_market(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("populatedb", "--items", "80", "--vendors", "4", "--seed", "1", "--no-progress")


@pytest.fixture
def demo_stripe(settings, live_server, demo_market):
    # As demo_server sets it up: fixed test keys, our webhook endpoint, an account per shop.
    simulator = StripeSimulator(
        api_key=DEMO_SECRET_KEY, publishable_key=DEMO_PUBLISHABLE_KEY, webhook_secret=DEMO_WEBHOOK_SECRET
    )
    with simulator:
        settings.STRIPE_SECRET_KEY = simulator.api_key
        settings.STRIPE_PUBLISHABLE_KEY = simulator.publishable_key
        settings.STRIPE_WEBHOOK_SECRET = simulator.webhook_secret
        settings.STRIPE_API_BASE = simulator.url
        simulator.add_webhook_endpoint(f"{live_server.url}/plugins/stripe/webhooks/")
        register_connected_accounts(simulator)
        yield simulator


def test_the_readme_walkthrough_buys_pays_by_card_and_the_shop_ships(demo_stripe, live_server):
    before = set(Order.objects.values_list("pk", flat=True))
    script = "set -euo pipefail\n" + walkthrough().replace(DEMO_URL, live_server.url)

    run = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=120)

    assert run.returncode == 0, run.stderr[-3000:]
    assert '"errors":[{' not in run.stderr, run.stderr[-3000:]
    order = Order.objects.exclude(pk__in=before).get()
    assert order.user.email == "customer@example.com"
    vendor_order = order.vendor_orders.get()
    assert vendor_order.vendor.slug == SHOP
    assert vendor_order.status == S.SHIPPED and vendor_order.tracking_number == "323200001234BE"
    payment = TransactionItem.objects.get(order=order)
    assert payment.app_identifier == "saleor.payments.stripe"
    assert payment.charged_value == order.total_gross_amount > Decimal(0)
    assert demo_stripe.get(payment.psp_reference)["status"] == "succeeded"
    # Handed over: the shop is paid its share on its connected account.
    payout = Payout.objects.get(vendor_order=vendor_order)
    assert payout.status == "paid"
    shop = Vendor.objects.get(slug=SHOP)
    assert demo_stripe.get(payout.psp_reference)["destination"] == shop.stripe_account_id
