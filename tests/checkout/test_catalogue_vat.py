"""The catalogue shows a price's VAT as the cart will: the same rate (the item's tax class in the
channel's country, nothing for an exempt shop) and the same split of the gross price."""

from __future__ import annotations

import pytest

from saleor_ext.tax.models import TaxClass
from saleor_ext.warehouse.models import ChannelWarehouse
from tests.checkout.conftest import BE_ADDRESS, create_checkout, run
from tests.checkout.test_delivery_and_complete import SHIPPING
from tests.factories import make_product, make_vendor, make_warehouse
from tests.graphql.conftest import data_of, gql

pytestmark = pytest.mark.django_db

TAXED = "net { amount } tax { amount } gross { amount }"
CATALOGUE = f"""query($slug: String!) {{ product(slug: $slug, channel: "marketplace") {{
  pricing {{ priceRange {{ start {{ {TAXED} }} stop {{ {TAXED} }} }} }}
  productVariants(first: 1) {{ edges {{ node {{ pricing {{ price {{ {TAXED} }} }} }} }} }}
}} }}"""
CART = f"""query($id: ID!) {{ checkout(id: $id) {{
  lines {{ variant {{ product {{ slug }} }} unitPrice {{ {TAXED} }} }}
}} }}"""


def test_a_catalogue_price_splits_into_the_net_and_vat_of_the_same_item_in_a_belgian_cart(market):
    books = market.book.product_type
    books.tax_class = TaxClass.objects.get(name__startswith="Reduced")
    books.save()
    exempt_shop = make_vendor("Atelier Associatif", vat_exempt=True)
    warehouse = make_warehouse(exempt_shop)
    ChannelWarehouse.objects.create(channel=market.channel, warehouse=warehouse)
    chair = make_product(exempt_shop, "Chaise", price="45.00", warehouse=warehouse, channel=market.channel)
    items = [market.bike, market.book, chair]
    checkout = create_checkout([(item, 1) for item in items])
    assert run(SHIPPING, {"id": checkout["id"], "address": BE_ADDRESS})["errors"] == []

    cart = {
        line["variant"]["product"]["slug"]: line["unitPrice"]
        for line in data_of(gql(CART, {"id": checkout["id"]}))["checkout"]["lines"]
    }
    catalogue = {item.slug: data_of(gql(CATALOGUE, {"slug": item.slug}))["product"] for item in items}

    for item in items:
        shown = catalogue[item.slug]
        assert shown["pricing"]["priceRange"]["start"] == cart[item.slug], item.name
        assert shown["pricing"]["priceRange"]["stop"] == cart[item.slug], item.name
        assert shown["productVariants"]["edges"][0]["node"]["pricing"]["price"] == cart[item.slug], item.name
    assert [cart[item.slug] for item in items] == [
        {"net": {"amount": 99.17}, "tax": {"amount": 20.83}, "gross": {"amount": 120.0}},  # 21 %
        {"net": {"amount": 5.66}, "tax": {"amount": 0.34}, "gross": {"amount": 6.0}},  # books, 6 %
        {"net": {"amount": 45.0}, "tax": {"amount": 0.0}, "gross": {"amount": 45.0}},  # exempt shop
    ]
