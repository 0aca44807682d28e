"""``ProductCountableConnection`` with ``facets`` (a marketplace addition) and the list arguments."""

from __future__ import annotations

import graphene

from ...core.connection import connection_args, countable_connection
from ...core.context import get_loader
from ...core.futures import then
from ...vendor.types import Vendor
from ..dataloaders import CategoryByIdLoader, VendorByIdLoader
from ..extensions import mixins
from ..filters import ProductFilterInput, ProductWhereInput
from ..sorters import ProductOrder


class CategoryFacet(graphene.ObjectType):
    category = graphene.Field("saleor_ext.graphql.product.types.categories.Category", required=True)
    count = graphene.Int(required=True)


class VendorFacet(graphene.ObjectType):
    vendor = graphene.Field(Vendor, required=True)
    count = graphene.Int(required=True)


def _with_objects(info, loader_class, counts, facet_type, field):
    loader = get_loader(info, loader_class)
    return [
        then(loader.load(object_id), lambda obj, count=count: facet_type(**{field: obj, "count": count}))
        for object_id, count in counts
    ]


class ProductFacets(*mixins("facet_fields"), graphene.ObjectType):
    """Counts of the filtered products per category and member shop (plugins add theirs, e.g. grades);
    one query per dimension."""

    categories = graphene.List(graphene.NonNull(CategoryFacet), required=True)
    vendors = graphene.List(graphene.NonNull(VendorFacet), required=True)

    @staticmethod
    def resolve_categories(root, info):
        return _with_objects(info, CategoryByIdLoader, root.category_counts(), CategoryFacet, "category")

    @staticmethod
    def resolve_vendors(root, info):
        return _with_objects(info, VendorByIdLoader, root.vendor_counts(), VendorFacet, "vendor")


ProductCountableConnection = countable_connection(
    "saleor_ext.graphql.product.types.products.Product",
    "Product",
    extra_fields={
        "facets": graphene.Field(
            ProductFacets, required=True, description="Facet counts over the filtered products (marketplace addition)."
        ),
        "resolve_facets": staticmethod(lambda root, _info: root.facet_source),
    },
)


def product_list_args(*, channel: bool) -> dict:
    args = {
        "filter": graphene.Argument(ProductFilterInput, deprecation_reason="Use `where` filter instead."),
        "where": graphene.Argument(ProductWhereInput),
        "sort_by": graphene.Argument(ProductOrder),
        "search": graphene.String(),
    }
    if channel:
        args["channel"] = graphene.String()
    return {**args, **connection_args()}
