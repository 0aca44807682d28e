"""Reading orders: who sees which order, and which part of it."""

from __future__ import annotations

import pytest

from saleor_ext.graphql.core.ids import to_global_id
from saleor_ext.order import services
from tests.order.api import my_orders_document, my_orders_of, serving_order_api
from tests.order.factories import make_order, vendor_order_of
from tests.order.fixtures import build_market

from .conftest import data_of, gql


@pytest.fixture(autouse=True)
def _order_api(monkeypatch):
    with serving_order_api(monkeypatch):
        yield


@pytest.fixture
def market(db):
    return build_market()

ORDER = """
query($id: ID!) {
  order(id: $id) {
    id number status statusDisplay userEmail isPaid paymentStatus chargeStatus
    user { email }
    total { gross { amount currency } net { amount } tax { amount } }
    subtotal { gross { amount } }
    shippingPrice { gross { amount } }
    lines { productName quantity quantityToFulfill vendor { slug } unitPrice { gross { amount } } }
    vendorOrders {
      status isClickAndCollect deliveryMethodName vendor { slug }
      total { gross { amount } }
      lines { productName }
    }
  }
}"""
EVENTS = "query($id: ID!) { order(id: $id) { events { type user { email } vendor { slug } } } }"


@pytest.fixture
def order(market):
    return make_order(market.channel, market.two_shop_parts(atlas=2), user=market.customer)


def read(order, user=None, document=ORDER):
    return gql(document, {"id": to_global_id("Order", order.pk)}, user=user)


def products(found) -> list[str]:
    return sorted(line["productName"] for line in found["lines"])


def test_the_shopper_reads_the_whole_order(market, order):
    found = data_of(read(order, market.customer))["order"]
    assert found["number"] == str(order.number)
    assert (found["status"], found["statusDisplay"]) == ("UNFULFILLED", "Unfulfilled")
    assert products(found) == ["Atlas", "Casque", "L'Écume des jours", "Vélo de ville"]
    assert found["total"]["gross"] == {"amount": 191.5, "currency": "EUR"}
    assert found["shippingPrice"]["gross"]["amount"] == 4.5
    assert found["user"] == {"email": "anne@example.org"}
    assert (found["isPaid"], found["paymentStatus"], found["chargeStatus"]) == (False, "NOT_CHARGED", "NONE")
    parts = {part["vendor"]["slug"]: part for part in found["vendorOrders"]}
    assert parts["velos-co"]["isClickAndCollect"] is True
    assert parts["velos-co"]["deliveryMethodName"] == "Vélos & Co – magasin"
    assert parts["bouquinerie-du-centre"]["deliveryMethodName"] == "bpost à domicile"
    assert parts["bouquinerie-du-centre"]["total"]["gross"]["amount"] == 46.5


@pytest.mark.parametrize("who", ["anonymous", "other customer"])
def test_someone_elses_order_reads_as_null(market, order, who):
    user = None if who == "anonymous" else market.other_customer
    body = read(order, user)
    assert data_of(body)["order"] is None


def test_a_guest_order_is_read_with_its_id_alone(market):
    guest = make_order(market.channel, market.two_shop_parts(), email="guest@example.org")
    found = data_of(read(guest))["order"]
    assert found["userEmail"] == "guest@example.org"
    assert len(found["lines"]) == 3


def test_a_shops_staff_see_only_their_part(market, order):
    found = data_of(read(order, market.bikes.staff))["order"]
    assert products(found) == ["Casque", "Vélo de ville"]
    assert [part["vendor"]["slug"] for part in found["vendorOrders"]] == ["velos-co"]
    # Amounts are those of their part; the shopper's account stays private.
    assert found["total"]["gross"]["amount"] == 145.0
    assert found["subtotal"]["gross"]["amount"] == 145.0
    assert found["shippingPrice"]["gross"]["amount"] == 0.0
    assert found["user"] is None
    assert found["userEmail"] == "anne@example.org"

    books = data_of(read(order, market.books.staff))["order"]
    assert products(books) == ["Atlas", "L'Écume des jours"]
    assert books["total"]["gross"]["amount"] == 46.5


def test_a_shops_staff_do_not_see_orders_without_their_items(market):
    bikes_only = make_order(
        market.channel, market.two_shop_parts()[:1], user=market.customer
    )
    assert data_of(read(bikes_only, market.books.staff))["order"] is None


def test_federation_staff_read_every_order_whole(market, order):
    found = data_of(read(order, market.federation))["order"]
    assert len(found["lines"]) == 4 and len(found["vendorOrders"]) == 2
    assert found["user"] == {"email": "anne@example.org"}


def test_a_malformed_id_is_an_error_not_a_crash(market):
    body = gql(ORDER, {"id": to_global_id("Order", "not-a-uuid")})
    assert body["data"]["order"] is None
    assert "Invalid ID" in body["errors"][0]["message"]
    body = gql(ORDER, {"id": to_global_id("Product", 1)})
    assert "Expected: Order, received: Product" in body["errors"][0]["message"]


def test_the_history_is_for_staff_and_scoped_to_their_shop(market, order):
    services.accept_vendor_order(vendor_order_of(order, market.bikes.vendor), market.bikes.staff)
    services.accept_vendor_order(vendor_order_of(order, market.books.vendor), market.books.staff)

    body = read(order, market.customer, EVENTS)
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    assert body["data"]["order"] is None

    bikes = data_of(read(order, market.bikes.staff, EVENTS))["order"]["events"]
    assert [(e["type"], (e["vendor"] or {}).get("slug")) for e in bikes] == [
        ("PLACED", None),
        ("VENDOR_ORDER_ACCEPTED", "velos-co"),
    ]
    everything = data_of(read(order, market.federation, EVENTS))["order"]["events"]
    assert [e["type"] for e in everything] == ["PLACED", "VENDOR_ORDER_ACCEPTED", "VENDOR_ORDER_ACCEPTED"]
    assert everything[2]["user"] == {"email": market.books.staff.email}


ORDERS = """
query($first: Int, $after: String, $filter: OrderFilterInput, $sortBy: OrderSortingInput, $search: String) {
  orders(first: $first, after: $after, filter: $filter, sortBy: $sortBy, search: $search) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { number lines { productName } vendorOrders { status vendor { slug } } } }
  }
}"""


@pytest.fixture
def orders(market):
    """Three orders: both shops, the bike shop alone, the book shop alone."""
    parts = market.two_shop_parts(atlas=1)
    return [
        make_order(market.channel, market.two_shop_parts(bike=0, novel=0, atlas=1), user=market.customer),
        make_order(market.channel, parts[:1], user=market.other_customer),
        make_order(market.channel, market.two_shop_parts(bike=0, helmet=0, novel=0, atlas=1)[1:], email="g@x.org"),
    ]


def numbers(body) -> list[str]:
    return [edge["node"]["number"] for edge in data_of(body)["orders"]["edges"]]


def test_order_lists_are_for_staff_only(market, orders):
    for user in (None, market.customer):
        body = gql(ORDERS, {"first": 10}, user=user)
        assert body["data"]["orders"] is None
        assert body["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"


def test_a_shop_lists_the_orders_holding_its_items_newest_first(market, orders):
    first, bikes_only, books_only = orders
    assert numbers(gql(ORDERS, {"first": 10}, user=market.bikes.staff)) == [
        str(bikes_only.number),
        str(first.number),
    ]
    body = gql(ORDERS, {"first": 10}, user=market.books.staff)
    assert numbers(body) == [str(books_only.number), str(first.number)]
    # Each order shows only the book shop's part.
    for edge in data_of(body)["orders"]["edges"]:
        assert {part["vendor"]["slug"] for part in edge["node"]["vendorOrders"]} == {"bouquinerie-du-centre"}
        assert {line["productName"] for line in edge["node"]["lines"]} == {"Atlas"}


def test_federation_staff_list_every_order_and_page_through_them(market, orders):
    body = gql(ORDERS, {"first": 2}, user=market.federation)
    page = data_of(body)["orders"]
    assert page["totalCount"] == 3 and page["pageInfo"]["hasNextPage"] is True
    rest = gql(ORDERS, {"first": 2, "after": page["pageInfo"]["endCursor"]}, user=market.federation)
    assert numbers(body) + numbers(rest) == [str(o.number) for o in reversed(orders)]
    ascending = gql(ORDERS, {"first": 5, "sortBy": {"field": "NUMBER", "direction": "ASC"}}, user=market.federation)
    assert numbers(ascending) == [str(o.number) for o in orders]


def test_filters_by_vendor_order_status_status_and_search(market, orders):
    first = orders[0]
    services.accept_vendor_order(vendor_order_of(first, market.books.vendor), market.books.staff)
    accepted = {"vendorOrderStatus": ["ACCEPTED"]}
    assert numbers(gql(ORDERS, {"first": 5, "filter": accepted}, user=market.books.staff)) == [str(first.number)]
    # The bike shop's part of that order is still new.
    assert numbers(gql(ORDERS, {"first": 5, "filter": accepted}, user=market.bikes.staff)) == []
    new = {"vendorOrderStatus": ["NEW"]}
    assert len(numbers(gql(ORDERS, {"first": 5, "filter": new}, user=market.bikes.staff))) == 2
    assert numbers(gql(ORDERS, {"first": 5, "search": str(first.number)}, user=market.federation)) == [
        str(first.number)
    ]
    assert numbers(gql(ORDERS, {"first": 5, "search": "g@x.org"}, user=market.federation)) == [str(orders[2].number)]
    canceled = {"status": ["CANCELED"]}
    assert numbers(gql(ORDERS, {"first": 5, "filter": canceled}, user=market.federation)) == []


def test_a_shopper_lists_their_own_orders(market, orders):
    document = my_orders_document("totalCount edges { node { number userEmail } }")
    mine = my_orders_of(data_of(gql(document, user=market.customer)))
    assert mine["totalCount"] == 1
    assert [edge["node"]["number"] for edge in mine["edges"]] == [str(orders[0].number)]
    assert my_orders_of(data_of(gql(document, user=market.bikes.staff)))["totalCount"] == 0
