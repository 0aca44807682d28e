"""``products``: channel rules, filters, sorts, keyset paging, facets and bad input."""

from __future__ import annotations

import pytest

from saleor_ext.channel.models import Channel
from saleor_ext.graphql.core.ids import to_global_id

from .conftest import data_of, gql, index_search

LIST = """
query($channel: String, $first: Int, $last: Int, $after: String, $before: String, $sortBy: ProductOrder,
      $filter: ProductFilterInput, $where: ProductWhereInput, $search: String) {
  products(channel: $channel, first: $first, last: $last, after: $after, before: $before, sortBy: $sortBy,
           filter: $filter, where: $where, search: $search) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { name } }
  }
}
"""


def product_names(variables: dict, **kwargs) -> list[str]:
    body = gql(LIST, {"channel": "marketplace", "first": 20, **variables}, **kwargs)
    return [edge["node"]["name"] for edge in data_of(body)["products"]["edges"]]


def test_customers_see_published_listed_items_only(catalogue):
    assert sorted(product_names({})) == ["Laptop ThinkPad", "Vélo de ville Gazelle", "Vélo pliant Brompton"]


def test_item_without_a_priced_variant_is_hidden(catalogue):
    laptop = catalogue.products["Laptop ThinkPad"]
    laptop.variants.first().channel_listings.update(price_amount=None)
    # The product page checks the variant listings themselves.
    query = '{ product(slug: "laptop-thinkpad", channel: "marketplace") { name } }'
    assert data_of(gql(query))["product"] is None
    # Lists read the listing's cached lowest price, which every price writer keeps in step.
    laptop.channel_listings.update(discounted_price_amount=None)
    assert "Laptop ThinkPad" not in product_names({})


def test_inactive_channel_shows_nothing_to_customers(catalogue):
    Channel.objects.filter(slug="marketplace").update(is_active=False)
    assert product_names({}) == []


def test_default_channel_is_the_marketplace_when_omitted(catalogue):
    assert len(product_names({"channel": None})) == 3


def test_unknown_channel_is_a_graphql_error(catalogue):
    body = gql(LIST, {"channel": "nowhere", "first": 5})
    assert body["data"]["products"] is None
    assert body["errors"][0]["message"] == "Channel with 'nowhere' slug does not exist."


def test_paging_forward_then_backward_with_cursors(catalogue):
    by_name = {"sortBy": {"field": "NAME", "direction": "ASC"}}
    page1 = data_of(gql(LIST, {"channel": "marketplace", "first": 1, **by_name}))["products"]
    assert page1["pageInfo"]["hasNextPage"] is True and page1["pageInfo"]["hasPreviousPage"] is False
    page2 = data_of(
        gql(LIST, {"channel": "marketplace", "first": 1, "after": page1["pageInfo"]["endCursor"], **by_name})
    )["products"]
    page3 = data_of(
        gql(LIST, {"channel": "marketplace", "first": 1, "after": page2["pageInfo"]["endCursor"], **by_name})
    )["products"]
    walked = [p["edges"][0]["node"]["name"] for p in (page1, page2, page3)]
    assert walked == ["Laptop ThinkPad", "Vélo de ville Gazelle", "Vélo pliant Brompton"]
    assert page3["pageInfo"]["hasNextPage"] is False
    last = data_of(
        gql(LIST, {"channel": "marketplace", "last": 2, "before": page3["pageInfo"]["startCursor"], **by_name})
    )["products"]
    assert [e["node"]["name"] for e in last["edges"]] == walked[:2]
    assert last["pageInfo"]["hasNextPage"] is True


@pytest.mark.parametrize(
    ("field", "direction", "expected"),
    [
        ("PRICE", "DESC", ["Vélo pliant Brompton", "Laptop ThinkPad", "Vélo de ville Gazelle"]),
        ("RATING", "DESC", ["Vélo pliant Brompton", "Vélo de ville Gazelle", "Laptop ThinkPad"]),
        ("GRADE", "ASC", ["Vélo de ville Gazelle", "Vélo pliant Brompton", "Laptop ThinkPad"]),
        ("VENDOR", "DESC", ["Vélo pliant Brompton", "Vélo de ville Gazelle", "Laptop ThinkPad"]),
        ("CREATED_AT", "ASC", ["Vélo de ville Gazelle", "Vélo pliant Brompton", "Laptop ThinkPad"]),
        ("PUBLISHED_AT", "ASC", ["Vélo de ville Gazelle", "Vélo pliant Brompton", "Laptop ThinkPad"]),
        ("TYPE", "ASC", ["Laptop ThinkPad", "Vélo de ville Gazelle", "Vélo pliant Brompton"]),
    ],
)
def test_sorts(catalogue, field, direction, expected):
    assert product_names({"sortBy": {"field": field, "direction": direction}}) == expected


def test_keyset_paging_by_grade_keeps_order_across_pages(catalogue):
    sort = {"sortBy": {"field": "GRADE", "direction": "DESC"}}
    first = data_of(gql(LIST, {"channel": "marketplace", "first": 2, **sort}))["products"]
    rest = data_of(
        gql(LIST, {"channel": "marketplace", "first": 2, "after": first["pageInfo"]["endCursor"], **sort})
    )["products"]
    names = [e["node"]["name"] for e in first["edges"] + rest["edges"]]
    assert names == ["Laptop ThinkPad", "Vélo pliant Brompton", "Vélo de ville Gazelle"]


@pytest.mark.parametrize(
    ("filter_value", "expected"),
    [
        ({"stockAvailability": "IN_STOCK"}, ["Vélo de ville Gazelle", "Vélo pliant Brompton"]),
        ({"stockAvailability": "OUT_OF_STOCK"}, ["Laptop ThinkPad"]),
        ({"isAvailable": True}, ["Vélo de ville Gazelle", "Vélo pliant Brompton"]),
        ({"price": {"gte": 150, "lte": 460}}, ["Laptop ThinkPad", "Vélo pliant Brompton"]),
        ({"grades": ["A", "C"]}, ["Laptop ThinkPad", "Vélo de ville Gazelle"]),
        ({"vendors": ["ressourcerie-beta"]}, ["Vélo pliant Brompton"]),
        ({"slugs": ["laptop-thinkpad"]}, ["Laptop ThinkPad"]),
        ({"attributes": [{"slug": "size", "values": ["m"]}]}, ["Vélo pliant Brompton"]),
        ({"attributes": [{"slug": "frame-size-cm", "valuesRange": {"gte": 50, "lte": 60}}]},
         ["Laptop ThinkPad", "Vélo de ville Gazelle", "Vélo pliant Brompton"]),
        ({"attributes": [{"slug": "bestseller", "boolean": False}]}, []),
        ({"hasCategory": False}, []),
    ],
)
def test_filter_input(catalogue, filter_value, expected):
    names = product_names({"filter": filter_value, "sortBy": {"field": "NAME", "direction": "ASC"}})
    assert names == expected


def test_category_filter_includes_subcategories(catalogue):
    ids = [to_global_id("Category", catalogue.bikes.pk)]
    assert sorted(product_names({"filter": {"categories": ids}})) == ["Vélo de ville Gazelle", "Vélo pliant Brompton"]


def test_collection_and_id_filters(catalogue):
    collection = to_global_id("Collection", catalogue.select.pk)
    assert len(product_names({"filter": {"collections": [collection]}})) == 2
    gazelle = to_global_id("Product", catalogue.products["Vélo de ville Gazelle"].pk)
    assert product_names({"filter": {"ids": [gazelle]}}) == ["Vélo de ville Gazelle"]


def test_where_with_and_or(catalogue):
    where = {
        "OR": [{"grade": {"eq": "A"}}, {"vendor": {"oneOf": ["ressourcerie-beta"]}}],
        "AND": [{"price": {"range": {"lte": 460}}}],
    }
    assert product_names({"where": where, "sortBy": {"field": "NAME", "direction": "ASC"}}) == [
        "Vélo de ville Gazelle",
        "Vélo pliant Brompton",
    ]
    assert product_names({"where": {"name": {"eq": "Laptop ThinkPad"}}}) == ["Laptop ThinkPad"]
    assert product_names({"where": {"slug": {"oneOf": ["laptop-thinkpad", "nope"]}}}) == ["Laptop ThinkPad"]
    assert product_names({"where": {"isAvailable": False}}) == ["Laptop ThinkPad"]


def test_search_without_sort_orders_by_relevance(catalogue):
    index_search()
    # Every item has the brand Gazelle; the one named after it ranks first.
    found = product_names({"search": "gazelle"})
    assert found[0] == "Vélo de ville Gazelle" and len(found) == 3
    assert product_names({"search": "gazelle", "sortBy": {"field": "RANK", "direction": "DESC"}}) == found
    assert product_names({"search": "thinkpad"}) == ["Laptop ThinkPad"]


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"first": 1000}, "exceeds the `first` limit of 100"),
        ({"first": None}, "You must provide a `first` or `last` value"),
        ({"sortBy": {"field": "RANK", "direction": "ASC"}}, "only when using a search"),
        ({"after": "not-a-cursor"}, "Received cursor (not-a-cursor) is invalid."),
        ({"filter": {"categories": ["bad-id"]}}, "Invalid ID: bad-id"),
        ({"filter": {"categories": [to_global_id("Product", 1)]}}, "Expected: Category, received: Product."),
        ({"filter": {"slugs": ["x"]}, "where": {"slug": {"eq": "x"}}}, "Only one filtering argument"),
    ],
)
def test_bad_input_is_a_graphql_error(catalogue, variables, message):
    body = gql(LIST, {"channel": "marketplace", "first": 5, **variables})
    assert body["data"]["products"] is None
    assert message in body["errors"][0]["message"]


def test_unknown_sort_field_fails_validation(catalogue):
    body = gql(LIST, {"channel": "marketplace", "first": 5, "sortBy": {"field": "POPULARITY", "direction": "ASC"}})
    assert "POPULARITY" in body["errors"][0]["message"]
    assert "data" not in body or body["data"] is None


FACETS = """
query($filter: ProductFilterInput) {
  products(channel: "marketplace", first: 1, filter: $filter) {
    facets {
      categories { category { slug name } count }
      vendors { vendor { slug name } count }
      grades { code label count }
    }
  }
}
"""


def test_facet_counts_over_the_filtered_products(catalogue):
    facets = data_of(gql(FACETS, HTTP_ACCEPT_LANGUAGE="nl"))["products"]["facets"]
    assert {f["category"]["slug"]: f["count"] for f in facets["categories"]} == {"velos-de-ville": 2, "informatique": 1}
    assert {f["vendor"]["slug"]: f["count"] for f in facets["vendors"]} == {
        "recyclerie-alpha": 2,
        "ressourcerie-beta": 1,
    }
    assert facets["grades"] == [
        {"code": "A", "label": "Als nieuw", "count": 1},
        {"code": "B", "label": "Zeer goede staat", "count": 1},
        {"code": "C", "label": "Redelijke staat", "count": 1},
    ]
    filtered = data_of(gql(FACETS, {"filter": {"vendors": ["recyclerie-alpha"]}}))["products"]["facets"]
    assert [(f["vendor"]["slug"], f["count"]) for f in filtered["vendors"]] == [("recyclerie-alpha", 2)]
