"""Every relation is batched: a page of many items costs the same queries as a page of few."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from .conftest import STOREFRONT_DIR, storefront_document
from .factories import make_catalogue, make_item, make_select_collection

ITEMS = 14


@pytest.fixture
def big_catalogue(db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    catalogue = make_catalogue()
    products = [
        make_item(
            catalogue,
            f"Vélo numéro {index}",
            vendor=catalogue.vendor_a if index % 2 else catalogue.vendor_b,
            prices=["10.00", "12.00"],
            grade="AB"[index % 2],
            translations={"NL": f"Fiets nummer {index}"},
        )
        for index in range(ITEMS)
    ]
    make_select_collection(catalogue, products)
    return catalogue


def count_queries(document: str, variables: dict) -> int:
    client = Client()
    body = json.dumps({"query": document, "variables": variables})
    client.post("/graphql/", body, content_type="application/json")  # warm caches (site settings, parse)
    with CaptureQueriesContext(connection) as captured:
        response = client.post("/graphql/", body, content_type="application/json")
    result = response.json()
    assert "errors" not in result, result["errors"]
    return len(captured.captured_queries)


BASE = {"channel": "marketplace", "languageCode": "NL"}
MARKETPLACE_LISTING = """
query($channel: String!, $first: Int!, $languageCode: LanguageCodeEnum!) {
  products(channel: $channel, first: $first, sortBy: {field: GRADE, direction: ASC}) {
    totalCount
    edges { node {
      ...ProductListItem
      isAvailable
      vendor { name slug town }
      firstVariants: productVariants(first: 5) { edges { node { quantityAvailable grade { code label }
        pricing { price { gross { amount } } } } } }
    } }
    facets { categories { category { slug } count } vendors { vendor { slug } count } grades { code count } }
  }
}
"""


def test_listing_costs_the_same_for_3_and_14_items(big_catalogue):
    document = storefront_document("ProductListPaginated")
    small = count_queries(document, {**BASE, "first": 3})
    large = count_queries(document, {**BASE, "first": ITEMS})
    assert small == large
    # channel, page, count, then one per relation: prices, category (+ its translation), media, attributes,
    # variants (+ their attributes), and the product / attribute / value translations the fragment reads.
    assert large <= 13


def test_marketplace_listing_with_vendor_grade_stock_and_facets_is_constant(big_catalogue):
    document = MARKETPLACE_LISTING + (STOREFRONT_DIR / "fragments" / "ProductListItem.graphql").read_text()
    small = count_queries(document, {**BASE, "first": 2})
    large = count_queries(document, {**BASE, "first": ITEMS})
    assert small == large


def test_category_products_cost_the_same_for_3_and_14_items(big_catalogue):
    document = storefront_document("ProductListByCategory")
    variables = {**BASE, "slug": "velos-de-ville"}
    assert count_queries(document, {**variables, "first": 3}) == count_queries(document, {**variables, "first": ITEMS})


def test_collection_products_cost_the_same_for_3_and_14_items(big_catalogue):
    document = storefront_document("ProductListByCollection")
    variables = {**BASE, "slug": "select"}
    assert count_queries(document, {**variables, "first": 3}) == count_queries(document, {**variables, "first": ITEMS})


def test_product_page_query_count_does_not_grow_with_variants(big_catalogue):
    details = storefront_document("ProductDetails")
    variants = storefront_document("ProductVariantsForPdp")
    slug = "velo-numero-1"
    assert count_queries(details, {**BASE, "slug": slug}) <= 13
    one = count_queries(variants, {**BASE, "slug": slug, "first": 1})
    two = count_queries(variants, {**BASE, "slug": slug, "first": 2})
    assert one == two


def test_listing_prices_with_their_vat_cost_the_same_for_3_and_14_items(big_catalogue):
    taxed = "net { amount } tax { amount } gross { amount }"
    document = f"""query($channel: String!, $first: Int!) {{ products(channel: $channel, first: $first) {{
      edges {{ node {{
        pricing {{ priceRange {{ start {{ {taxed} }} stop {{ {taxed} }} }} }}
        productVariants(first: 5) {{ edges {{ node {{ pricing {{ price {{ {taxed} }} }} }} }} }}
      }} }}
    }} }}"""
    small = count_queries(document, {"channel": "marketplace", "first": 3})
    large = count_queries(document, {"channel": "marketplace", "first": ITEMS})
    assert small == large
