"""The served schema is the committed one, and it keeps Saleor's names and types."""

from pathlib import Path

from django.conf import settings

from saleor_ext.graphql.api import schema
from saleor_ext.graphql.compat import compare

ROOT = Path(settings.BASE_DIR)


def test_served_schema_matches_committed_file():
    committed = (ROOT / "schema.graphql").read_text()
    assert str(schema) + "\n" == committed, "schema changed: run `make schema` and commit schema.graphql"


def test_schema_keeps_saleor_names_and_types():
    baseline = (ROOT / "saleor_ext" / "graphql" / "saleor_baseline.graphql").read_text()
    report = compare(str(schema), baseline)
    assert report.mismatches == []
    assert "Channel" in report.shared_types


SALEOR = """
type Query { product(id: ID, slug: String, channel: String): Product  products(first: Int, channel: String): Int }
type Product { id: ID!  name: String!  rating: Float  variants: [Variant!] }
type Variant { id: ID! }
enum OrderDirection { ASC DESC }
type Thing { a(x: Int!): Int }
"""


def test_comparator_flags_nullability_argument_and_kind_differences():
    ours = """
    type Query { product(id: ID!, slug: String, channel: String): Product }
    type Product { id: ID!  name: String  vendor: String }
    interface Variant { id: ID! }
    type Thing { a: Int }
    """
    report = compare(ours, SALEOR)
    assert "Product.name: type String here, String! in Saleor" in report.mismatches
    assert "Query.product(id): type ID! here, ID in Saleor" in report.mismatches
    assert "Variant: kind Interface here, Object in Saleor" in report.mismatches
    assert "Thing.a: required argument x missing here" in report.mismatches
    assert "field Product.vendor" in report.additions


def test_comparator_accepts_additions_and_subsets():
    ours = """
    type Query { product(id: ID, channel: String, vendor: String): Product }
    type Product { id: ID!  rating: Float  grade: String }
    enum OrderDirection { ASC DESC SIDEWAYS }
    """
    report = compare(ours, SALEOR)
    assert report.ok
    assert "enum value OrderDirection.SIDEWAYS" in report.additions
    assert "argument Query.product(vendor)" in report.additions
