"""Starting a payment holds the items for the channel's minutes; then they are free again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from saleor_ext.warehouse.models import Reservation
from saleor_ext.warehouse.tasks import delete_expired_reservations_task
from tests.checkout.conftest import create_checkout, run, variant_id
from tests.checkout.test_cart import ADD
from tests.checkout.test_delivery_and_complete import PAY, ready_checkout

pytestmark = pytest.mark.django_db


def test_a_reservation_lasts_the_channel_minutes_then_frees_the_item(market):
    mine = ready_checkout(market, [(market.bike, 1)])
    theirs = create_checkout([(market.book, 1)])
    before = timezone.now()
    run(PAY, {"id": mine["id"], "gateway": {"id": "marketplace.payments.pickup"}})
    reservation = Reservation.objects.get()
    add_bike = {"id": theirs["id"], "lines": [{"variantId": variant_id(market.bike), "quantity": 1}]}

    held = run(ADD, add_bike)
    Reservation.objects.update(reserved_until=timezone.now() - timedelta(seconds=1))
    freed = run(ADD, add_bike)
    deleted = delete_expired_reservations_task()

    minutes = market.channel.checkout_reservation_minutes
    assert before + timedelta(minutes=minutes - 1) < reservation.reserved_until <= timezone.now() + timedelta(
        minutes=minutes
    )
    assert held["errors"][0]["code"] == "INSUFFICIENT_STOCK"
    assert freed["errors"] == []
    assert deleted == 1 and not Reservation.objects.exists()


def test_the_cart_shows_until_when_its_items_are_held(market):
    mine = ready_checkout(market, [(market.bike, 1)])
    run(PAY, {"id": mine["id"], "gateway": {"id": "marketplace.payments.pickup"}})

    from tests.graphql.conftest import data_of, gql

    data = data_of(gql("query($id: ID!) { checkout(id: $id) { stockReservationExpires } }", {"id": mine["id"]}))

    assert data["checkout"]["stockReservationExpires"] is not None


def test_the_catalogue_shows_a_reserved_unique_item_as_unavailable(market):
    from tests.graphql.conftest import data_of, gql

    query = """query($slug: String!) { product(slug: $slug, channel: "marketplace") {
      isAvailable productVariants(first: 1) { edges { node { quantityAvailable } } } } }"""
    mine = ready_checkout(market, [(market.bike, 1)])

    before = data_of(gql(query, {"slug": market.bike.slug}))["product"]
    run(PAY, {"id": mine["id"], "gateway": {"id": "marketplace.payments.pickup"}})
    held = data_of(gql(query, {"slug": market.bike.slug}))["product"]

    assert before["isAvailable"] is True
    assert before["productVariants"]["edges"][0]["node"]["quantityAvailable"] == 1
    assert held["isAvailable"] is False
    assert held["productVariants"]["edges"][0]["node"]["quantityAvailable"] == 0
