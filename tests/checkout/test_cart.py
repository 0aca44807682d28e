"""The cart through Saleor's checkout mutations: lines, limits, stock, per-shop groups and prices."""

from __future__ import annotations

from decimal import Decimal

import pytest

from saleor_ext.product.models import ProductChannelListing
from tests.checkout.conftest import CHECKOUT_FIELDS, create_checkout, run, variant_id
from tests.factories import make_channel
from tests.graphql.conftest import data_of, gql

pytestmark = pytest.mark.django_db

ADD = f"""
mutation($id: ID!, $lines: [CheckoutLineInput!]!) {{
  checkoutLinesAdd(id: $id, lines: $lines) {{ checkout {{ {CHECKOUT_FIELDS} }} errors {{ field code variants }} }}
}}"""
UPDATE = """
mutation($id: ID!, $lines: [CheckoutLineUpdateInput!]!) {
  checkoutLinesUpdate(id: $id, lines: $lines) { checkout { lines { id quantity } } errors { field code lines } }
}"""
DELETE = """
mutation($id: ID!, $ids: [ID!]!) {
  checkoutLinesDelete(id: $id, linesIds: $ids) { checkout { lines { id } totalPrice { gross { amount } } }
    errors { field code lines } }
}"""


def test_a_new_cart_prices_its_lines_gross_with_vat_split_out(market):
    checkout = create_checkout([(market.bike, 1)])

    line = checkout["lines"][0]
    assert line["unitPrice"]["gross"]["amount"] == 120.0
    # Belgian standard rate by default: 120.00 gross = 99.17 net + 20.83 VAT.
    assert line["unitPrice"]["net"]["amount"] == 99.17
    assert checkout["subtotalPrice"]["tax"]["amount"] == 20.83
    assert checkout["subtotalPrice"]["gross"]["currency"] == "EUR"
    assert checkout["totalPrice"]["gross"]["amount"] == 120.0


def test_adding_the_same_item_again_merges_into_its_line(market):
    checkout = create_checkout([(market.laptops, 1)])

    payload = run(ADD, {"id": checkout["id"], "lines": [{"variantId": variant_id(market.laptops), "quantity": 2}]})

    assert payload["errors"] == []
    assert [line["quantity"] for line in payload["checkout"]["lines"]] == [3]
    assert payload["checkout"]["totalPrice"]["gross"]["amount"] == 750.0


def test_more_than_the_stock_is_refused_with_the_variant_named(market):
    checkout = create_checkout([(market.laptops, 3)])

    payload = run(ADD, {"id": checkout["id"], "lines": [{"variantId": variant_id(market.laptops), "quantity": 1}]})

    assert payload["checkout"] is None
    assert payload["errors"] == [
        {"field": "quantity", "code": "INSUFFICIENT_STOCK", "variants": [variant_id(market.laptops)]}
    ]


@pytest.mark.parametrize(("quantity", "code"), [(0, "ZERO_QUANTITY"), (-1, "INVALID")])
def test_a_zero_or_negative_quantity_is_refused(market, quantity, code):
    checkout = create_checkout([(market.bike, 1)])

    payload = run(ADD, {"id": checkout["id"], "lines": [{"variantId": variant_id(market.book), "quantity": quantity}]})

    assert payload["errors"][0]["code"] == code


def test_an_unpublished_item_cannot_be_added(market):
    ProductChannelListing.objects.filter(product=market.book).update(is_published=False)
    checkout = create_checkout([(market.bike, 1)])

    payload = run(ADD, {"id": checkout["id"], "lines": [{"variantId": variant_id(market.book), "quantity": 1}]})

    assert payload["errors"][0]["code"] == "UNAVAILABLE_VARIANT_IN_CHANNEL"
    assert payload["errors"][0]["variants"] == [variant_id(market.book)]


def test_an_item_of_another_channel_cannot_be_added(market):
    make_channel("other-channel", currency_code="EUR")
    body = gql(
        """mutation($input: CheckoutCreateInput!) { checkoutCreate(input: $input) { checkout { id }
           errors { code variants } } }""",
        {"input": {"channel": "other-channel", "lines": [{"variantId": variant_id(market.bike), "quantity": 1}]}},
    )
    payload = data_of(body)["checkoutCreate"]

    assert payload["checkout"] is None
    assert payload["errors"][0]["code"] == "UNAVAILABLE_VARIANT_IN_CHANNEL"


def test_unknown_channel_and_malformed_ids_are_errors_not_crashes(market):
    unknown = data_of(gql(
        "mutation { checkoutCreate(input: {channel: \"nope\", lines: []}) { checkout { id } errors { field code } } }"
    ))["checkoutCreate"]
    malformed = run(ADD, {"id": "not-an-id", "lines": [{"variantId": variant_id(market.bike), "quantity": 1}]})

    assert unknown["errors"] == [{"field": "channel", "code": "NOT_FOUND"}]
    assert malformed["errors"][0]["code"] == "GRAPHQL_ERROR"


def test_quantity_zero_removes_a_line_and_delete_removes_the_rest(market):
    checkout = create_checkout([(market.bike, 1), (market.book, 1)])
    bike_line, book_line = (line["id"] for line in checkout["lines"])

    updated = run(UPDATE, {"id": checkout["id"], "lines": [{"lineId": bike_line, "quantity": 0}]})
    deleted = run(DELETE, {"id": checkout["id"], "ids": [book_line]})

    assert [line["id"] for line in updated["checkout"]["lines"]] == [book_line]
    assert deleted["checkout"]["lines"] == []
    assert deleted["checkout"]["totalPrice"]["gross"]["amount"] == 0.0


def test_a_line_of_another_cart_cannot_be_updated(market):
    mine = create_checkout([(market.bike, 1)])
    other = create_checkout([(market.book, 1)])

    payload = run(UPDATE, {"id": mine["id"], "lines": [{"lineId": other["lines"][0]["id"], "quantity": 2}]})

    assert payload["errors"][0]["code"] == "INVALID"
    assert payload["errors"][0]["field"] == "lineId"
    # Saleor names the offending lines by their global IDs.
    assert payload["errors"][0]["lines"] == [other["lines"][0]["id"]]


def test_a_cart_of_two_shops_is_split_into_groups_with_their_own_subtotals(market):
    checkout = create_checkout([(market.book, 1), (market.bike, 1)])

    groups = {group["vendor"]["slug"]: group for group in checkout["vendorGroups"]}

    assert groups[market.bikes.vendor.slug]["subtotalPrice"]["gross"]["amount"] == 120.0
    assert groups[market.books.vendor.slug]["subtotalPrice"]["gross"]["amount"] == 6.0
    assert checkout["subtotalPrice"]["gross"]["amount"] == 126.0
    # Only the bike shop offers pickup.
    assert [p["name"] for p in groups[market.bikes.vendor.slug]["availableCollectionPoints"]] == [
        market.bikes.warehouse.name
    ]
    assert groups[market.books.vendor.slug]["availableCollectionPoints"] == []


def test_email_must_be_valid(market):
    checkout = create_checkout([(market.bike, 1)])

    payload = run(
        """mutation($id: ID!, $email: String!) { checkoutEmailUpdate(id: $id, email: $email) {
             checkout { email } errors { field code } } }""",
        {"id": checkout["id"], "email": "anne@"},
    )
    ok = run(
        """mutation($id: ID!, $email: String!) { checkoutEmailUpdate(id: $id, email: $email) {
             checkout { email } errors { field code } } }""",
        {"id": checkout["id"], "email": "Anne@Example.com"},
    )

    assert payload["errors"] == [{"field": "email", "code": "INVALID"}]
    assert ok["checkout"]["email"] == "anne@example.com"


def test_the_cart_query_costs_the_same_queries_for_one_line_and_four(market):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = create_checkout([(market.bike, 1)])
    large = create_checkout([(market.bike, 1), (market.book, 1), (market.laptops, 2)])
    query = f"query($id: ID!) {{ checkout(id: $id) {{ {CHECKOUT_FIELDS} }} }}"

    counts = []
    for checkout in (small, large):
        with CaptureQueriesContext(connection) as queries:
            data_of(gql(query, {"id": checkout["id"]}))
        counts.append(len(queries.captured_queries))

    assert counts[0] == counts[1]


def test_totals_are_exact_decimals(market):
    checkout = create_checkout([(market.laptops, 3)])

    assert Decimal(str(checkout["totalPrice"]["gross"]["amount"])) == Decimal("750.00")
    assert Decimal(str(checkout["subtotalPrice"]["net"]["amount"])) == Decimal("619.83")


ADD_TO_BAG = """
mutation($id: ID!, $variant: ID!) {
  checkoutLinesAdd(id: $id, lines: [{ quantity: 1, variantId: $variant }]) {
    checkout { id lines { id quantity vendor { name } variant { name product { name } } } }
    errors { message }
  }
}"""


def test_adding_to_the_bag_costs_a_few_statements_whatever_the_cart_holds(market, settings):
    """The product page's "add to bag" (Saleor storefront #15) is the hottest write: it locks the
    cart (marking its delivery offers stale and reading its lines in the same statement), checks
    the item and its stock in one query, inserts the line, and answers from one read of the lines
    whose products and shops need no further query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from saleor_ext.core import reference_cache

    # As in production: channels, shops and site settings come from the process's reference cache.
    settings.REFERENCE_CACHE_SECONDS = 300
    reference_cache.clear()
    warm = create_checkout([(market.book, 1)])
    run(ADD_TO_BAG, {"id": warm["id"], "variant": variant_id(market.bike)})
    small = create_checkout([(market.book, 1)])
    large = create_checkout([(market.book, 1), (market.bike, 1)])

    counts, names = [], []
    for checkout in (small, large):
        with CaptureQueriesContext(connection) as queries:
            payload = run(ADD_TO_BAG, {"id": checkout["id"], "variant": variant_id(market.laptops)})
        assert payload["errors"] == []
        counts.append(len([q for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]))
        names.append([line["variant"]["product"]["name"] for line in payload["checkout"]["lines"]])

    assert names == [
        [market.book.name, market.laptops.name],
        [market.book.name, market.bike.name, market.laptops.name],
    ]
    assert counts[0] == counts[1] <= 5
