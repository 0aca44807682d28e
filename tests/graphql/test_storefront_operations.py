"""The catalogue operations of Saleor's storefront (#2–#9) validate and return data, unchanged."""

from __future__ import annotations

import pytest

from saleor_ext.graphql.core.ids import to_global_id

from .conftest import data_of, gql, index_search, storefront_document

CHANNEL = "marketplace"


def run(name: str, variables: dict) -> dict:
    return data_of(gql(storefront_document(name), {"channel": CHANNEL, "languageCode": "FR", **variables}))


def names(connection: dict) -> list[str]:
    return [edge["node"]["name"] for edge in connection["edges"]]


def test_product_list_paginated_forward_and_backward(catalogue):
    first = run("ProductListPaginated", {"first": 2, "sortBy": {"field": "PRICE", "direction": "ASC"}})["products"]
    assert first["totalCount"] == 3
    assert names(first) == ["Vélo de ville Gazelle", "Laptop ThinkPad"]
    assert first["pageInfo"]["hasNextPage"] is True
    node = first["edges"][0]["node"]
    assert node["pricing"]["priceRange"]["start"]["gross"] == {"amount": 120.0, "currency": "EUR"}
    assert node["pricing"]["priceRangeUndiscounted"]["stop"]["gross"]["amount"] == 120.0
    assert node["category"]["slug"] == "velos-de-ville"
    assert node["thumbnail"]["url"].endswith("/1024/webp/")
    assert node["bestseller"] == {"value": True}
    assert node["pulseBestseller"] is None
    selection = node["productVariants"]["edges"][0]["node"]["selectionAttributes"]
    assert selection[0]["attribute"]["slug"] == "size" and selection[0]["attribute"]["inputType"] == "DROPDOWN"
    assert selection[0]["values"][0]["slug"] == "s"

    second = run(
        "ProductListPaginated",
        {"first": 2, "after": first["pageInfo"]["endCursor"], "sortBy": {"field": "PRICE", "direction": "ASC"}},
    )["products"]
    assert names(second) == ["Vélo pliant Brompton"]
    assert second["pageInfo"]["hasNextPage"] is False
    assert second["pageInfo"]["hasPreviousPage"] is True

    back = run(
        "ProductListPaginated",
        {"last": 2, "before": second["pageInfo"]["startCursor"], "sortBy": {"field": "PRICE", "direction": "ASC"}},
    )["products"]
    assert names(back) == names(first)


def test_product_list_paginated_with_where(catalogue):
    where = {
        "category": {"oneOf": [to_global_id("Category", catalogue.bikes.pk)]},
        "price": {"range": {"gte": 100, "lte": 300}},
        "attributes": [{"slug": "brand", "values": ["gazelle"]}],
    }
    data = run("ProductListPaginated", {"first": 10, "where": where})
    assert names(data["products"]) == ["Vélo de ville Gazelle"]


def test_product_list_by_category(catalogue):
    data = run(
        "ProductListByCategory",
        {"slug": "fietsen", "slugLanguageCode": "NL", "languageCode": "NL", "first": 10,
         "sortBy": {"field": "DATE", "direction": "DESC"}},
    )
    category = data["category"]
    assert category["slug"] == "velos"
    assert category["translation"] == {
        "name": "Fietsen", "slug": "fietsen", "description": None, "seoTitle": None, "seoDescription": None
    }
    assert category["slugEN"] == {"slug": "bikes"} and category["slugPL"] is None
    assert category["backgroundImage"]["url"].startswith("http://testserver/thumbnail/category/")
    # The category's products include those of its subcategories.
    assert sorted(names(category["products"])) == ["Vélo de ville Gazelle", "Vélo pliant Brompton"]


def test_product_list_by_collection(catalogue):
    data = run("ProductListByCollection", {"slug": "select", "first": 10})
    collection = data["collection"]
    assert collection["name"] == "Sélection"
    # Without a sort, a collection lists its items in the curated order.
    assert names(collection["products"]) == ["Vélo pliant Brompton", "Vélo de ville Gazelle"]
    assert collection["products"]["totalCount"] == 2


@pytest.mark.parametrize(
    ("field", "direction"),
    [("MINIMAL_PRICE", "ASC"), ("MINIMAL_PRICE", "DESC"), ("NAME", "ASC"), ("DATE", "DESC"), ("RATING", "DESC")],
)
def test_search_products_with_every_sort_the_storefront_sends(catalogue, field, direction):
    index_search()
    data = run("SearchProducts", {"search": "vélo", "sortBy": field, "sortDirection": direction, "first": 10})
    found = names(data["products"])
    assert sorted(found) == ["Vélo de ville Gazelle", "Vélo pliant Brompton"]
    if field == "RATING":
        assert found[0] == "Vélo pliant Brompton"
    if (field, direction) == ("MINIMAL_PRICE", "ASC"):
        assert found[0] == "Vélo de ville Gazelle"


def test_search_finds_the_product_by_its_name_first(catalogue):
    index_search()
    data = run("SearchProducts", {"search": "Brompton", "sortBy": "RATING", "sortDirection": "DESC", "first": 5})
    assert names(data["products"])[0] == "Vélo pliant Brompton"


def test_product_details(catalogue):
    data = run("ProductDetails", {"slug": "stadsfiets-gazelle", "slugLanguageCode": "NL", "languageCode": "EN"})
    product = data["product"]
    assert product["name"] == "Vélo de ville Gazelle"
    assert product["isAvailable"] is True
    assert product["translation"]["name"] == "Gazelle city bike"
    assert product["slugEN"] == {"slug": "gazelle-city-bike"}
    assert product["media"][0]["type"] == "IMAGE" and product["media"][0]["url"].endswith("/2048/webp/")
    assert product["productType"] == {"slug": "velo"}
    assert product["productVariants"] == {"totalCount": 1}
    attributes = {a["attribute"]["slug"]: a for a in product["assignedAttributes"]}
    assert attributes["material"]["plainText"] == "Acier"
    assert attributes["bestseller"]["booleanValue"] is True
    assert attributes["frame-size-cm"]["numericValue"] == 54.0
    assert attributes["brand"]["choice"]["slug"] == "gazelle"
    assert [c["name"] for c in attributes["colors"]["choices"]] == ["Rouge", "Noir"]
    assert product["pricing"]["priceRange"]["start"]["gross"]["amount"] == 120.0


def test_product_variants_for_pdp_pages_through_variants(catalogue):
    first = run("ProductVariantsForPdp", {"slug": "velo-pliant-brompton", "first": 1})["product"]["productVariants"]
    assert first["totalCount"] == 2 and first["pageInfo"]["hasNextPage"] is True
    variant = first["edges"][0]["node"]
    assert variant["sku"] == "velo-pliant-brompton-0"
    assert variant["quantityAvailable"] == 2
    assert variant["pricing"]["price"]["gross"] == {"currency": "EUR", "amount": 450.0}
    assert variant["selectionAttributes"][0]["values"][0]["name"] == "S"
    assert variant["nonSelectionAttributes"] == []
    after = first["pageInfo"]["endCursor"]
    second = run("ProductVariantsForPdp", {"slug": "velo-pliant-brompton", "first": 1, "after": after})
    page = second["product"]["productVariants"]
    assert page["edges"][0]["node"]["sku"] == "velo-pliant-brompton-1"
    assert page["edges"][0]["node"]["quantityAvailable"] == 0
    assert page["pageInfo"]["hasNextPage"] is False


def test_product_variant_for_pdp_by_sku_and_by_id(catalogue):
    by_sku = run("ProductVariantForPdp", {"sku": "velo-de-ville-gazelle-0", "languageCode": "NL"})["productVariant"]
    assert by_sku["translation"] == {"name": "Stadsfiets Gazelle S"}
    assert by_sku["product"]["slug"] == "velo-de-ville-gazelle"
    by_id = run("ProductVariantForPdp", {"id": by_sku["id"]})["productVariant"]
    assert by_id["sku"] == "velo-de-ville-gazelle-0"


def test_product_variant_for_pdp_rejects_both_or_neither_identifier(catalogue):
    document = storefront_document("ProductVariantForPdp")
    variables = {"channel": CHANNEL, "languageCode": "FR"}
    both = gql(document, {**variables, "id": to_global_id("ProductVariant", 1), "sku": "x"})
    neither = gql(document, variables)
    for body in (both, neither):
        assert body["data"]["productVariant"] is None
        assert "exactly one" in body["errors"][0]["message"]


def test_categories_by_slug(catalogue):
    data = run("CategoriesBySlug", {"slugs": ["velos", "informatique"]})
    found = {edge["node"]["slug"]: edge["node"] for edge in data["categories"]["edges"]}
    assert set(found) == {"velos", "informatique"}
    assert found["velos"]["id"] == to_global_id("Category", catalogue.bikes.pk)
