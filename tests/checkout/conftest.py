"""A small two-shop marketplace to buy from: shipping zones, a pickup point, unique items."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from saleor_ext.channel.models import Channel
from saleor_ext.product.models import Product
from saleor_ext.shipping.models import ShippingMethod, ShippingMethodChannelListing, ShippingZone
from saleor_ext.vendor.models import Vendor
from saleor_ext.warehouse.models import ChannelWarehouse, Warehouse, WarehouseClickAndCollectOption
from tests.factories import make_channel, make_product, make_vendor, make_warehouse
from tests.graphql.conftest import data_of, gql

BE_ADDRESS = {
    "firstName": "Anne",
    "lastName": "Dupont",
    "streetAddress1": "Rue de la Loi 16",
    "city": "Bruxelles",
    "postalCode": "1000",
    "country": "BE",
}


@dataclass
class Shop:
    vendor: Vendor
    warehouse: Warehouse
    home_delivery: ShippingMethod


@dataclass
class Market:
    channel: Channel
    bikes: Shop
    books: Shop
    bike: Product
    book: Product
    laptops: Product  # three units


def _shop(name: str, channel: Channel, *, pickup: str, price: str) -> Shop:
    vendor = make_vendor(name)
    warehouse = make_warehouse(vendor, click_and_collect_option=pickup)
    ChannelWarehouse.objects.get_or_create(channel=channel, warehouse=warehouse)
    zone = ShippingZone.objects.create(name=f"{name} Belgique", vendor=vendor, countries=["BE"])
    zone.channels.add(channel)
    method = ShippingMethod.objects.create(shipping_zone=zone, name=f"{name} bpost", type="weight")
    ShippingMethodChannelListing.objects.create(
        shipping_method=method, channel=channel, currency="EUR", price_amount=Decimal(price)
    )
    return Shop(vendor, warehouse, method)


@pytest.fixture
def market(db) -> Market:
    channel = make_channel("marketplace")
    bikes = _shop("Vélos Solidaires", channel, pickup=WarehouseClickAndCollectOption.ALL_WAREHOUSES, price="8.95")
    books = _shop("Bouquinerie du Centre", channel, pickup=WarehouseClickAndCollectOption.DISABLED, price="4.50")
    return Market(
        channel=channel,
        bikes=bikes,
        books=books,
        bike=make_product(bikes.vendor, "Vélo de ville", price="120.00", warehouse=bikes.warehouse, channel=channel),
        book=make_product(books.vendor, "Roman", price="6.00", warehouse=books.warehouse, channel=channel),
        laptops=make_product(
            bikes.vendor, "Laptop", price="250.00", quantity=3, warehouse=bikes.warehouse, channel=channel
        ),
    )


def variant_id(product: Product) -> str:
    from saleor_ext.graphql.core.ids import to_global_id

    return to_global_id("ProductVariant", product.default_variant_id)


CHECKOUT_FIELDS = """
  id email
  lines { id quantity variant { id } unitPrice { gross { amount } net { amount } } totalPrice { gross { amount } } }
  subtotalPrice { gross { amount currency } net { amount } tax { amount } }
  shippingPrice { gross { amount } }
  totalPrice { gross { amount } }
  vendorGroups {
    vendor { slug }
    subtotalPrice { gross { amount } }
    shippingPrice { gross { amount } }
    deliveries { id shippingMethod { id name price { amount } } }
    availableCollectionPoints { id name }
    deliveryMethod { __typename ... on Warehouse { id } ... on ShippingMethod { name } }
  }
"""

CREATE = f"""
mutation($input: CheckoutCreateInput!) {{
  checkoutCreate(input: $input) {{ checkout {{ {CHECKOUT_FIELDS} }} errors {{ field code message variants }} }}
}}"""


def create_checkout(lines: list[tuple[Product, int]], **extra) -> dict:
    body = gql(
        CREATE,
        {
            "input": {
                "channel": "marketplace",
                "lines": [{"variantId": variant_id(p), "quantity": q} for p, q in lines],
                **extra,
            }
        },
    )
    payload = data_of(body)["checkoutCreate"]
    assert payload["errors"] == [], payload["errors"]
    return payload["checkout"]


def run(document: str, variables: dict, *, user=None) -> dict:
    """The single mutation's payload."""
    return next(iter(data_of(gql(document, variables, user=user)).values()))
