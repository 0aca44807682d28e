"""The order documents Saleor's storefront sends (#37 the confirmation page, #43 and #44 the account's
order pages), in the shape the reference describes, validate and answer here."""

from __future__ import annotations

from decimal import Decimal

import pytest

from saleor_ext.graphql.core.ids import to_global_id
from saleor_ext.product.models import ProductMedia
from saleor_ext.shipping.models import ShippingMethod, ShippingZone
from saleor_ext.warehouse.models import Warehouse
from tests.graphql.factories import png_file
from tests.order.api import my_orders_document, my_orders_of, serving_order_api
from tests.order.factories import Part, make_order, pay
from tests.order.fixtures import build_market

from .conftest import data_of, gql

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _order_api(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    with serving_order_api(monkeypatch):
        yield


@pytest.fixture
def market(db):
    return build_market()


FRAGMENTS = """
fragment Money on Money { currency amount }
fragment AddressFragment on Address {
  id firstName lastName companyName streetAddress1 streetAddress2 city cityArea postalCode countryArea
  country { code country } phone
}
fragment ShippingFragment on ShippingMethod { id name minimumDeliveryDays maximumDeliveryDays price { ...Money } }
"""

ORDER_FRAGMENT = """
fragment OrderFragment on Order {
  id number userEmail isPaid channel { slug }
  discounts { type name amount { ...Money } }
  chargeStatus authorizeStatus
  shippingAddress { ...AddressFragment }
  billingAddress { ...AddressFragment }
  deliveryMethod { ...ShippingFragment }
  total { gross { ...Money } tax { ...Money } }
  voucher { code }
  shippingPrice { gross { ...Money } }
  subtotal { gross { ...Money } }
  totalBalance { ...Money }
  totalCaptured { ...Money }
  lines {
    id quantity productName variantName
    totalPrice { gross { ...Money } }
    undiscountedUnitPrice { gross { ...Money } }
    unitPrice { gross { ...Money } }
    thumbnail(size: 128, format: WEBP) { alt url }
    variant {
      name translation(languageCode: $languageCode) { name }
      product { name translation(languageCode: $languageCode) { name } }
      attributes(variantSelection: ALL) {
        values { name dateTime boolean translation(languageCode: $languageCode) { name } }
      }
    }
  }
}
"""

ORDER_37 = (
    "query order($id: ID!, $languageCode: LanguageCodeEnum!) { order(id: $id) { ...OrderFragment } }"
    + ORDER_FRAGMENT
    + FRAGMENTS
)

ORDER_DETAILS = """
fragment OrderDetails on Order {
  id number created total { gross { amount currency } } status statusDisplay paymentStatus
  lines {
    quantity
    variant {
      id name translation(languageCode: $languageCode) { name }
      product {
        id name description slug translation(languageCode: $languageCode) { name }
        thumbnail { url alt } category { id name }
      }
      pricing { price { gross { amount currency } } }
    }
  }
}
"""


def shipped_order(market):
    """A guest's paid order from the book shop, sent by a home-delivery method with known days."""
    zone = ShippingZone.objects.create(name="Belgique", vendor=market.books.vendor, countries=["BE"])
    method = ShippingMethod.objects.create(
        shipping_zone=zone, name="bpost à domicile", type="weight", minimum_delivery_days=1, maximum_delivery_days=3
    )
    ProductMedia.objects.create(product=market.atlas, image=png_file(), alt="Atlas ouvert")
    order = make_order(
        market.channel, [Part(market.books.vendor, [(market.atlas, 2)], shipping=Decimal("4.50"))], email="g@x.org"
    )
    order.vendor_orders.update(shipping_method_id=method.pk)
    pay(order)
    return order


def test_confirmation_page_reads_a_guest_order_anonymously(market):
    order = shipped_order(market)
    body = gql(ORDER_37, {"id": to_global_id("Order", order.pk), "languageCode": "FR"})
    found = data_of(body)["order"]
    assert found["number"] == str(order.number)
    assert (found["userEmail"], found["isPaid"], found["chargeStatus"]) == ("g@x.org", True, "FULL")
    assert found["channel"] == {"slug": "marketplace"}
    assert found["discounts"] == [] and found["voucher"] is None
    assert found["deliveryMethod"] == {
        "id": to_global_id("ShippingMethod", order.vendor_orders.get().shipping_method_id),
        "name": "bpost à domicile",
        "minimumDeliveryDays": 1,
        "maximumDeliveryDays": 3,
        "price": {"currency": "EUR", "amount": 4.5},
    }
    assert found["total"]["gross"] == {"currency": "EUR", "amount": 40.5}
    # 2 × 14.88 € and 3.72 € of shipping before VAT.
    assert found["total"]["tax"]["amount"] == 7.02
    assert found["totalBalance"]["amount"] == 0.0 and found["totalCaptured"]["amount"] == 40.5
    assert found["shippingAddress"]["streetAddress1"] == "Rue de la Loi 16"
    assert found["shippingAddress"]["country"]["code"] == "BE"
    [line] = found["lines"]
    assert (line["productName"], line["quantity"], line["unitPrice"]["gross"]["amount"]) == ("Atlas", 2, 18.0)
    assert line["totalPrice"]["gross"]["amount"] == 36.0
    assert line["thumbnail"]["alt"] == "Atlas ouvert"
    assert "/thumbnail/media/" in line["thumbnail"]["url"] and line["thumbnail"]["url"].endswith("/webp/")
    assert line["variant"]["product"]["name"] == "Atlas"


def test_confirmation_page_of_a_pickup_order_has_the_warehouse_as_delivery(market):
    order = make_order(market.channel, market.two_shop_parts()[:1], user=market.customer)
    body = gql(
        "query($id: ID!) { order(id: $id) { deliveryMethod { __typename ... on Warehouse { name } } } }",
        {"id": to_global_id("Order", order.pk)},
        user=market.customer,
    )
    assert data_of(body)["order"]["deliveryMethod"] == {"__typename": "Warehouse", "name": "Vélos & Co – magasin"}


def test_account_pages_list_the_shoppers_orders(market):
    older = make_order(market.channel, market.two_shop_parts()[:1], user=market.customer)
    newer = make_order(market.channel, market.two_shop_parts(atlas=1), user=market.customer)
    make_order(market.channel, market.two_shop_parts()[:1], user=market.other_customer)

    # 43: CurrentUserOrdersPaginated
    selection = "edges { node { ...OrderDetails } cursor } pageInfo { hasNextPage endCursor } totalCount"
    document = (
        "query CurrentUserOrdersPaginated($first: Int, $after: String, $languageCode: LanguageCodeEnum!) "
        + my_orders_document(selection, "(first: $first, after: $after)")
        + ORDER_DETAILS
    )
    page = my_orders_of(data_of(gql(document, {"first": 1, "languageCode": "FR"}, user=market.customer)))
    assert page["totalCount"] == 2 and page["pageInfo"]["hasNextPage"] is True
    [edge] = page["edges"]
    node = edge["node"]
    assert (node["number"], node["status"], node["statusDisplay"], node["paymentStatus"]) == (
        str(newer.number),
        "UNFULFILLED",
        "Unfulfilled",
        "NOT_CHARGED",
    )
    assert node["total"]["gross"] == {"amount": 173.5, "currency": "EUR"}  # 169 € of items, 4.50 € shipping
    prices = sorted(line["variant"]["pricing"]["price"]["gross"]["amount"] for line in node["lines"])
    assert prices == [6.0, 18.0, 25.0, 120.0]
    variables = {"first": 1, "after": page["pageInfo"]["endCursor"], "languageCode": "FR"}
    rest = my_orders_of(data_of(gql(document, variables, user=market.customer)))
    assert [e["node"]["number"] for e in rest["edges"]] == [str(older.number)]

    # 44: OrderByNumber (the storefront picks the order by number on the client)
    selection = """edges { node {
      ...OrderDetails isPaid statusDisplay paymentStatus
      shippingAddress { city } billingAddress { city }
      subtotal { gross { amount } } shippingPrice { gross { amount } } total { gross { amount } tax { amount } }
      fulfillments { id status created trackingNumber lines { id quantity orderLine { id } } }
    } }"""
    document = (
        "query OrderByNumber($first: Int, $languageCode: LanguageCodeEnum!) "
        + my_orders_document(selection, "(first: $first)")
        + ORDER_DETAILS
    )
    body = gql(document, {"first": 10, "languageCode": "EN"}, user=market.customer)
    nodes = [edge["node"] for edge in my_orders_of(data_of(body))["edges"]]
    assert [n["number"] for n in nodes] == [str(newer.number), str(older.number)]
    assert nodes[0]["shippingPrice"]["gross"]["amount"] == 4.5 and nodes[0]["fulfillments"] == []


def test_guest_and_registered_ids_resolve_only_to_orders(market):
    warehouse = Warehouse.objects.first()
    body = gql(ORDER_37, {"id": to_global_id("Warehouse", warehouse.pk), "languageCode": "FR"})
    assert body["data"]["order"] is None and body["errors"]
