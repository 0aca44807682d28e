"""A shopper who bought as a guest finds those orders in the account once the e-mail is proven."""

from __future__ import annotations

import pytest

from saleor_ext.account import services
from saleor_ext.account.tokens import account_confirmation_token_generator, password_reset_token_generator
from saleor_ext.order.models import Order
from saleor_ext.order.receivers import attach_guest_orders
from tests.factories import make_channel, make_user

pytestmark = pytest.mark.django_db


def test_guest_orders_with_the_same_email_join_the_account_and_others_stay_apart():
    channel = make_channel()
    owner = make_user("camille@example.be")
    other = make_user("someone@example.be")
    mine = Order.objects.create(channel=channel, currency="EUR", user_email="Camille@Example.be")
    theirs = Order.objects.create(channel=channel, currency="EUR", user_email="someone-else@example.be")
    already = Order.objects.create(channel=channel, currency="EUR", user_email="camille@example.be", user=other)

    attached = attach_guest_orders(owner)

    assert attached == 1
    assert Order.objects.get(pk=mine.pk).user == owner
    assert Order.objects.get(pk=theirs.pk).user is None
    assert Order.objects.get(pk=already.pk).user == other


def test_confirming_the_account_or_resetting_its_password_brings_the_guest_orders_in():
    channel = make_channel()
    camille = make_user("camille@example.be")
    sam = make_user("sam@example.be")
    first = Order.objects.create(channel=channel, currency="EUR", user_email="camille@example.be")
    second = Order.objects.create(channel=channel, currency="EUR", user_email="sam@example.be")

    services.confirm_account(email=camille.email, token=account_confirmation_token_generator.make_token(camille))
    services.set_password(
        email=sam.email, token=password_reset_token_generator.make_token(sam), password="a-long-Pass-phrase-9"
    )

    assert Order.objects.get(pk=first.pk).user == camille
    assert Order.objects.get(pk=second.pk).user == sam
