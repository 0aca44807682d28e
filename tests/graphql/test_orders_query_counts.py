"""A page of orders costs the same number of SQL queries whatever its size."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saleor_ext.order import services
from tests.order.api import my_orders_document, my_orders_of, serving_order_api
from tests.order.factories import line_of, make_order
from tests.order.fixtures import build_market

from .conftest import data_of, gql

pytestmark = pytest.mark.django_db

SHOPPER_NODE = """
  number status total { gross { amount } } totalBalance { amount } totalAuthorized { amount } isShippingRequired
  user { email } billingAddress { city } shippingAddress { city } channel { slug }
  deliveryMethod { __typename ... on Warehouse { name } }
  lines { productName quantityToFulfill vendor { name } variant { name } thumbnail(size: 128) { url } }
  vendorOrders {
    status vendor { name } collectionPoint { name } total { gross { amount } }
    lines { productName } fulfillments { trackingNumber lines { quantity orderLine { productName } } }
  }
  fulfillments { fulfillmentOrder warehouse { name } lines { orderLine { productName } } }
  transactions { id }
"""
# The back-office also reads the history and where the promised units wait.
STAFF_NODE = SHOPPER_NODE + """
  lines { allocations { quantity warehouse { name } } }
  vendorOrders { events { type user { email } } }
  events { type user { email } vendor { slug } lines { quantity orderLine { productName } } }
"""
ORDERS = "query($first: Int) { orders(first: $first) { totalCount edges { node { " + STAFF_NODE + " } } } }"


@pytest.fixture(autouse=True)
def _order_api(monkeypatch):
    with serving_order_api(monkeypatch):
        yield


@pytest.fixture
def market(db):
    market = build_market()
    for _ in range(20):
        order = make_order(market.channel, market.two_shop_parts(atlas=1), user=market.customer)
        services.fulfil_lines(order, {line_of(order, market.novel).pk: 1}, market.books.staff, "TRK")
    return market


def queries_for(document: str, variables: dict, user) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as queries:
        data = data_of(gql(document, variables, user=user))
    return len(queries), data


@pytest.mark.parametrize("who", ["federation", "books staff"])
def test_staff_order_list_queries_do_not_grow_with_the_page(market, who):
    user = market.federation if who == "federation" else market.books.staff
    small, data = queries_for(ORDERS, {"first": 5}, user)
    assert len(data["orders"]["edges"]) == 5
    large, data = queries_for(ORDERS, {"first": 20}, user)
    assert len(data["orders"]["edges"]) == 20
    assert small == large


def test_a_shoppers_order_list_queries_do_not_grow_with_the_page(market):
    document = "query($first: Int) " + my_orders_document(f"edges {{ node {{ {SHOPPER_NODE} }} }}", "(first: $first)")
    small, data = queries_for(document, {"first": 5}, market.customer)
    assert len(my_orders_of(data)["edges"]) == 5
    large, data = queries_for(document, {"first": 20}, market.customer)
    assert len(my_orders_of(data)["edges"]) == 20
    assert small == large
