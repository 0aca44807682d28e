"""`make demo` registers the shops with the local Stripe server on every start, keeping their ids."""

from __future__ import annotations

import pytest

from import_scripts.management.commands.demo_server import register_connected_accounts, stripe_environment
from simulators.stripe import StripeSimulator
from tests.factories import make_vendor


@pytest.mark.django_db
def test_every_shop_gets_an_account_and_keeps_it_after_a_restart():
    shops = [make_vendor("Cyclo-Récup Liège"), make_vendor("Réso Numérique")]

    with StripeSimulator() as first:
        new_first = register_connected_accounts(first)
    for shop in shops:
        shop.refresh_from_db()
    ids = sorted(shop.stripe_account_id for shop in shops)
    with StripeSimulator() as second:  # the simulator forgot everything
        new_second = register_connected_accounts(second)
        known = sorted(second.get(account_id)["id"] for account_id in ids)

    assert new_first == 2 and new_second == 0
    assert all(account_id.startswith("acct_") for account_id in ids)
    assert known == ids


def test_the_app_is_pointed_at_the_simulator():
    with StripeSimulator() as simulator:
        env = stripe_environment(simulator)
        expected = {
            "STRIPE_API_BASE": simulator.url,
            "STRIPE_SECRET_KEY": simulator.api_key,
            "STRIPE_PUBLISHABLE_KEY": simulator.publishable_key,
            "STRIPE_WEBHOOK_SECRET": simulator.webhook_secret,
        }

    assert env == expected
