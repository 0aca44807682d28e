"""Who sees what: shoppers, a member shop's staff, federation staff."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from tests.factories import make_superuser, make_user, make_vendor_staff

from .conftest import data_of, gql

LIST = """
query($channel: String) {
  products(channel: $channel, first: 50, sortBy: {field: NAME, direction: ASC}) { edges { node { name } } }
}
"""
ONE = 'query($slug: String!) { product(slug: $slug, channel: "marketplace") { name } }'
STOCKS = """
query($sku: String!) {
  productVariant(sku: $sku, channel: "marketplace") {
    sku
    stocks { quantity warehouse { slug } }
    channelListings { channel { slug } price { amount } costPrice { amount } }
  }
}
"""
PUBLIC = ["Laptop ThinkPad", "Vélo de ville Gazelle", "Vélo pliant Brompton"]


def listed(user=None, channel="marketplace") -> list[str]:
    body = gql(LIST, {"channel": channel}, user=user)
    return [edge["node"]["name"] for edge in data_of(body)["products"]["edges"]]


def product_name(slug: str, user=None):
    return data_of(gql(ONE, {"slug": slug}, user=user))["product"]


@pytest.mark.parametrize("who", ["anonymous", "customer"])
def test_shoppers_see_published_items_only(catalogue, who):
    user = make_user() if who == "customer" else None
    assert listed(user) == PUBLIC
    assert product_name("brouillon-alpha", user) is None
    # A single product page does not need visible_in_listings.
    assert product_name("velo-cache-beta", user) == {"name": "Vélo caché Beta"}


def test_vendor_staff_see_their_own_unpublished_items_only(catalogue):
    staff_a = make_vendor_staff(catalogue.vendor_a)
    assert listed(staff_a) == ["Brouillon Alpha", *PUBLIC]
    assert product_name("brouillon-alpha", staff_a) == {"name": "Brouillon Alpha"}
    assert product_name("brouillon-beta", staff_a) is None


def test_vendor_staff_read_stock_of_their_items_but_not_of_other_shops(catalogue):
    staff_a = make_vendor_staff(catalogue.vendor_a)
    own = data_of(gql(STOCKS, {"sku": "velo-de-ville-gazelle-0"}, user=staff_a))["productVariant"]
    assert own["stocks"] == [{"quantity": 1, "warehouse": {"slug": "recyclerie-alpha-shop"}}]
    assert own["channelListings"] == [
        {"channel": {"slug": "marketplace"}, "price": {"amount": 120.0}, "costPrice": None}
    ]
    other = gql(STOCKS, {"sku": "velo-pliant-brompton-0"}, user=staff_a)
    assert other["data"]["productVariant"]["stocks"] is None
    assert other["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"


def test_shoppers_cannot_read_stocks(catalogue):
    body = gql(STOCKS, {"sku": "velo-de-ville-gazelle-0"})
    variant = body["data"]["productVariant"]
    assert variant == {"sku": "velo-de-ville-gazelle-0", "stocks": None, "channelListings": None}
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"


def test_federation_staff_see_everything(catalogue):
    admin = make_superuser()
    everything = ["Brouillon Alpha", "Brouillon Beta", PUBLIC[0], "Vélo caché Beta", *PUBLIC[1:]]
    assert listed(admin) == everything
    # Without a channel, staff read across channels.
    assert listed(admin, channel=None) == everything


def test_product_managers_see_everything(catalogue):
    manager = make_user(is_staff=True)
    manager.user_permissions.add(Permission.objects.get(codename="manage_products"))
    assert "Brouillon Beta" in listed(manager)


def test_customers_need_a_channel_when_no_default_exists(catalogue):
    catalogue.channel.slug = "be-fr"
    catalogue.channel.save()
    body = gql(LIST, {"channel": None})
    assert body["data"]["products"] is None
    assert "channel" in body["errors"][0]["message"]
