"""Categories (a tree, not channel-scoped), collections (published per channel) and attributes."""

from __future__ import annotations

from saleor_ext.graphql.core.ids import to_global_id
from saleor_ext.product.models import CollectionChannelListing

from .conftest import data_of, gql

TREE = """
query($slug: String!) {
  category(slug: $slug) {
    name level
    parent { slug }
    ancestors(first: 5) { edges { node { slug } } }
    children(first: 5) { totalCount edges { node { slug } } }
    products(channel: "marketplace", first: 5, sortBy: {field: NAME, direction: ASC}) {
      totalCount edges { node { name category { slug } } }
    }
    backgroundImage(size: 100, format: WEBP) { url }
  }
}
"""


def test_category_tree_fields(catalogue):
    root = data_of(gql(TREE, {"slug": "velos"}))["category"]
    assert root["level"] == 0 and root["parent"] is None
    assert [e["node"]["slug"] for e in root["children"]["edges"]] == ["velos-de-ville"]
    assert root["backgroundImage"]["url"].endswith(f"/thumbnail/category/{catalogue.bikes.pk}/128/webp/")
    child = data_of(gql(TREE, {"slug": "velos-de-ville"}))["category"]
    assert child["level"] == 1 and child["parent"] == {"slug": "velos"}
    assert [e["node"]["slug"] for e in child["ancestors"]["edges"]] == ["velos"]
    assert child["backgroundImage"] is None
    assert [e["node"]["name"] for e in child["products"]["edges"]] == ["Vélo de ville Gazelle", "Vélo pliant Brompton"]


def test_category_products_with_unknown_channel_is_an_error(catalogue):
    body = gql('{ category(slug: "velos") { name products(channel: "x", first: 1) { totalCount } } }')
    assert body["data"]["category"]["name"] == "Vélos"
    assert body["errors"][0]["message"] == "Channel with 'x' slug does not exist."


CATEGORIES = """
query($level: Int, $filter: CategoryFilterInput, $sortBy: CategorySortingInput) {
  categories(first: 10, level: $level, filter: $filter, sortBy: $sortBy) { totalCount edges { node { slug } } }
}
"""


def category_slugs(**variables) -> list[str]:
    return [e["node"]["slug"] for e in data_of(gql(CATEGORIES, variables))["categories"]["edges"]]


def test_categories_list_filters_and_sorts(catalogue):
    assert category_slugs(level=0, sortBy={"field": "NAME", "direction": "ASC"}) == ["informatique", "velos"]
    assert category_slugs(filter={"search": "ville"}) == ["velos-de-ville"]
    assert category_slugs(filter={"ids": [to_global_id("Category", catalogue.computers.pk)]}) == ["informatique"]
    by_products = category_slugs(sortBy={"field": "PRODUCT_COUNT", "direction": "DESC"})
    assert by_products[0] == "velos-de-ville"


def test_category_by_translated_slug(catalogue):
    query = 'query($lang: LanguageCodeEnum) { category(slug: "bikes", slugLanguageCode: $lang) { slug } }'
    assert data_of(gql(query, {"lang": "EN"}))["category"] == {"slug": "velos"}
    assert data_of(gql(query, {"lang": None}))["category"] is None


COLLECTIONS = """
{ collections(channel: "marketplace", first: 5) { edges { node { slug channel products(first: 5) { totalCount } } } }
  collection(slug: "select", channel: "marketplace") { name }
}
"""


def test_published_collection_is_listed_with_its_products(catalogue):
    data = data_of(gql(COLLECTIONS))
    assert data["collections"]["edges"] == [
        {"node": {"slug": "select", "channel": "marketplace", "products": {"totalCount": 2}}}
    ]
    assert data["collection"] == {"name": "Sélection"}


def test_unpublished_collection_is_hidden_from_shoppers(catalogue):
    CollectionChannelListing.objects.update(is_published=False)
    data = data_of(gql(COLLECTIONS))
    assert data["collections"]["edges"] == [] and data["collection"] is None


def test_collection_sorted_by_collection_order_and_other_fields(catalogue):
    query = """query($sort: ProductOrder) { collection(slug: "select", channel: "marketplace") {
        products(first: 5, sortBy: $sort) { edges { node { name } } } } }"""

    def names(sort):
        return [e["node"]["name"] for e in data_of(gql(query, {"sort": sort}))["collection"]["products"]["edges"]]

    assert names({"field": "COLLECTION", "direction": "DESC"}) == ["Vélo de ville Gazelle", "Vélo pliant Brompton"]
    assert names({"field": "PRICE", "direction": "DESC"}) == ["Vélo pliant Brompton", "Vélo de ville Gazelle"]


def test_collection_sort_outside_a_collection_is_an_error(catalogue):
    sort = "{field: COLLECTION, direction: ASC}"
    body = gql(f'{{ products(channel: "marketplace", first: 2, sortBy: {sort}) {{ totalCount }} }}')
    assert "only in `Collection.products`" in body["errors"][0]["message"]


ATTRIBUTES = """
{ attributes(first: 10, filter: {slugs: ["size", "brand"]}, sortBy: {field: SLUG, direction: ASC}) {
    edges { node { slug inputType withChoices translation(languageCode: NL) { name }
      choices(first: 10) { edges { node { slug inputType } } } } } }
  attribute(slug: "material") { name inputType withChoices choices(first: 1) { totalCount } }
}
"""


def test_attributes(catalogue):
    data = data_of(gql(ATTRIBUTES))
    brand, size = (e["node"] for e in data["attributes"]["edges"])
    assert brand["slug"] == "brand" and brand["inputType"] == "DROPDOWN" and brand["translation"] is None
    assert [c["node"]["slug"] for c in brand["choices"]["edges"]] == ["gazelle"]
    assert size["translation"] == {"name": "Maat"}
    assert [c["node"]["slug"] for c in size["choices"]["edges"]] == ["s", "m"]
    assert data["attribute"] == {"name": "Matière", "inputType": "PLAIN_TEXT", "withChoices": False, "choices": None}
