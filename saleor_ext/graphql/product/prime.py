"""Loading what a page of products selected before its fields resolve: one batch per relation.

Each loader still runs one query for the page, but its values come back plain, which spares the
executor a future per field and product.
"""

from __future__ import annotations

from ..attribute.dataloaders import ProductAttributesLoader, VariantAttributesLoader
from ..core.context import ChannelContext, get_loader, selected_fields
from .channel import get_viewer
from .dataloaders import (
    CategoryByIdLoader,
    MediaByProductLoader,
    PriceRangeLoader,
    ProductInStockLoader,
    ProductTypeByIdLoader,
    QuantityAvailableLoader,
    VariantChannelListingLoader,
    VariantsByProductLoader,
    VendorByIdLoader,
)
from .extensions import extensions


def restricted_view(info, product) -> bool:
    """Whether the caller sees only the product's sellable variants (the public view)."""
    return not get_viewer(info).sees_unpublished_of(product.vendor_id)


VARIANT_LIST_FIELDS = ("productVariants", "variants", "defaultVariant")
ATTRIBUTE_FIELDS = {"attributes", "assignedAttributes", "assignedAttribute"}


def prime_products(info, nodes: list[ChannelContext], *path: str, references: bool = False) -> None:
    """Load the relations of the products at ``path`` (under the current field) for the selected
    fields in one go, before those fields resolve. Categories, product types and vendors come from
    the reference cache; a listing leaves them out (``references``) because its facets load more
    of them in the same batch.
    """
    if not nodes:
        return
    fields = selected_fields(info, *path)
    slug = nodes[0].channel_slug
    products = [node.node for node in nodes]
    if fields & {"thumbnail", "media"}:
        get_loader(info, MediaByProductLoader).prime([p.pk for p in products])
    if slug and "pricing" in fields:
        get_loader(info, PriceRangeLoader).prime([(p.pk, slug) for p in products])
    if slug and "isAvailable" in fields:
        get_loader(info, ProductInStockLoader).prime([(p.pk, slug) for p in products])
    if fields & ATTRIBUTE_FIELDS:
        get_loader(info, ProductAttributesLoader).prime([p.pk for p in products])
    if references:
        if "productType" in fields:
            get_loader(info, ProductTypeByIdLoader).prime([p.product_type_id for p in products])
        if "category" in fields:
            get_loader(info, CategoryByIdLoader).prime([p.category_id for p in products if p.category_id])
        if "vendor" in fields:
            get_loader(info, VendorByIdLoader).prime([p.vendor_id for p in products])
    if fields & set(VARIANT_LIST_FIELDS):
        loader = get_loader(info, VariantsByProductLoader)
        keys = [(p.pk, slug, restricted_view(info, p)) for p in products]
        loader.prime(keys)
        variants = [variant for key in keys for variant in _plain_list(loader.load(key))]
        variant_fields = (
            selected_fields(info, *path, "productVariants", "edges", "node")
            | selected_fields(info, *path, "variants")
            | selected_fields(info, *path, "defaultVariant")
        )
        prime_variants(info, variants, slug, variant_fields)


def _plain_list(value) -> list:
    # A key whose batch failed stays a future: its fields report the error when they resolve.
    return value if isinstance(value, list) else []


def prime_variants(info, variants: list, slug: str | None, fields: set[str]) -> None:
    """The variant-level counterpart of ``prime_products``; plugins prime their own fields."""
    if not variants:
        return
    ids = [variant.pk for variant in variants]
    if slug and "pricing" in fields:
        get_loader(info, VariantChannelListingLoader).prime([(pk, slug) for pk in ids])
    if "quantityAvailable" in fields:
        get_loader(info, QuantityAvailableLoader).prime([(pk, slug) for pk in ids])
    if fields & ATTRIBUTE_FIELDS:
        get_loader(info, VariantAttributesLoader).prime(ids)
    for extension in extensions():
        if extension.prime_variants is not None:
            extension.prime_variants(info, ids, fields)
