"""``productVariants`` and a product's variant connection paged both ways."""

from __future__ import annotations

from saleor_ext.graphql.core.ids import to_global_id

from .conftest import data_of, gql

VARIANTS = """
query($ids: [ID!], $filter: ProductVariantFilterInput, $where: ProductVariantWhereInput) {
  productVariants(first: 10, channel: "marketplace", ids: $ids, filter: $filter, where: $where) {
    totalCount edges { node { sku product { name } } }
  }
}
"""


def skus(**variables) -> list[str]:
    return [e["node"]["sku"] for e in data_of(gql(VARIANTS, variables))["productVariants"]["edges"]]


def test_product_variants_of_visible_products_only(catalogue):
    found = skus()
    assert "velo-pliant-brompton-1" in found and "brouillon-alpha-0" not in found
    assert skus(filter={"sku": ["velo-pliant-brompton-0"]}) == ["velo-pliant-brompton-0"]
    assert skus(where={"sku": {"oneOf": ["laptop-thinkpad-0"]}}) == ["laptop-thinkpad-0"]
    assert skus(filter={"search": "brompton"}) == ["velo-pliant-brompton-0", "velo-pliant-brompton-1"]
    gazelle = catalogue.products["Vélo de ville Gazelle"].variants.get()
    assert skus(ids=[to_global_id("ProductVariant", gazelle.pk)]) == ["velo-de-ville-gazelle-0"]


PRODUCT_VARIANTS = """
query($last: Int, $before: String, $first: Int, $after: String) {
  product(slug: "velo-pliant-brompton", channel: "marketplace") {
    productVariants(last: $last, before: $before, first: $first, after: $after) {
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { node { sku } }
    }
  }
}
"""


def test_variant_connection_pages_backward(catalogue):
    def page(**variables):
        return data_of(gql(PRODUCT_VARIANTS, variables))["product"]["productVariants"]

    last = page(last=1)
    assert [e["node"]["sku"] for e in last["edges"]] == ["velo-pliant-brompton-1"]
    assert last["pageInfo"]["hasPreviousPage"] is True and last["pageInfo"]["hasNextPage"] is False
    before = page(last=1, before=last["pageInfo"]["startCursor"])
    assert [e["node"]["sku"] for e in before["edges"]] == ["velo-pliant-brompton-0"]
    assert before["pageInfo"]["hasPreviousPage"] is False and before["pageInfo"]["hasNextPage"] is True
    body = gql(PRODUCT_VARIANTS, {"first": 1, "after": "bogus"})
    assert "Received cursor (bogus) is invalid." in body["errors"][0]["message"]
