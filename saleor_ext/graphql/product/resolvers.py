"""Product lists shared by ``products``, ``Category.products`` and ``Collection.products``, with facets."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from saleor_ext.product.models import Product
from saleor_ext.product.search import search_products
from saleor_ext.product.selectors import cached_count, visible_products

from ..core.connection import ConnectionResult, paginate
from ..core.context import ChannelContext
from .channel import get_viewer, resolve_channel
from .filters import apply_filters
from .prime import prime_products
from .sorters import sort_products


class FacetSource:
    """The filtered product set of a connection, for facet counts computed only when asked for."""

    def __init__(self, queryset: QuerySet, channel_slug: str | None):
        self.queryset = queryset
        self.channel_slug = channel_slug

    def product_ids(self) -> QuerySet:
        return self.queryset.order_by().values("pk")

    def category_counts(self) -> list[tuple[int, int]]:
        rows = (
            Product.objects.filter(pk__in=self.product_ids(), category_id__isnull=False)
            .values("category_id")
            .annotate(count=Count("pk"))
            .order_by("-count", "category_id")
        )
        return [(row["category_id"], row["count"]) for row in rows]

    def vendor_counts(self) -> list[tuple[int, int]]:
        rows = (
            Product.objects.filter(pk__in=self.product_ids())
            .values("vendor_id")
            .annotate(count=Count("pk"))
            .order_by("-count", "vendor_id")
        )
        return [(row["vendor_id"], row["count"]) for row in rows]


def resolve_products(
    info,
    *,
    channel: str | None,
    filter: dict | None = None,
    where: dict | None = None,
    sort_by: dict | None = None,
    search: str | None = None,
    scope: Q | None = None,
    collection_id: int | None = None,
    **paging,
) -> ConnectionResult:
    """A page of the products the caller sees in ``channel`` (list rules), filtered and sorted."""
    channel_obj = resolve_channel(info, channel)
    viewer = get_viewer(info)
    queryset = visible_products(viewer, channel_obj, listing=True)
    if scope is not None:
        queryset = queryset.filter(scope)
    queryset = apply_filters(queryset, filter_value=filter, where_value=where, channel=channel_obj)
    search_value = search if search is not None else (filter or {}).get("search")
    searched = bool(search_value and search_value.strip())
    if searched:
        queryset = search_products(queryset, search_value)
    elif sort_by is None and collection_id is not None:
        sort_by = {"field": "COLLECTION", "direction": "ASC"}
    filtered = queryset
    queryset, keys = sort_products(
        queryset, sort_by, channel=channel_obj, searched=searched, collection_id=collection_id
    )
    slug = channel_obj.slug if channel_obj else None
    # Staff totals stay exact: they watch their own edits appear.
    seconds = 0 if viewer.sees_all or viewer.vendor_ids else settings.CATALOGUE_COUNT_CACHE_SECONDS
    result = paginate(
        queryset,
        sort_keys=keys,
        connection_name="products",
        wrap=lambda product: ChannelContext(product, slug),
        count=lambda: cached_count(filtered, seconds),
        **paging,
    )
    result.facet_source = FacetSource(filtered, slug)
    prime_products(info, [edge.node for edge in result.edges], "edges", "node")
    return result
