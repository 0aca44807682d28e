"""Catalogue reads: which products a viewer sees in a channel, their prices and stock.

The visibility rule (reference/saleor.md §2): a customer sees a product in a channel when the
channel is active, the product's channel listing is published, and one of its variants has a
priced variant listing there; lists also need ``visible_in_listings``. Staff who manage
products see everything; a vendor's staff also see their own vendor's unpublished items.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from saleor_ext.channel.models import Channel
from saleor_ext.core import sql
from saleor_ext.core.reference_cache import reference_table
from saleor_ext.site.models import SiteSettings
from saleor_ext.vendor.selectors import is_federation_staff, vendor_ids_for_user
from saleor_ext.warehouse.management import available_quantities, reserved_sql, stock_in_channel_join
from saleor_ext.warehouse.models import Stock

from .models import (
    Category,
    Collection,
    CollectionChannelListing,
    Product,
    ProductVariant,
    ProductVariantChannelListing,
)

MANAGE_PRODUCTS = "product.manage_products"


@dataclass(frozen=True)
class Viewer:
    """What a caller may see beyond the public catalogue."""

    sees_all: bool = False
    vendor_ids: tuple[int, ...] = ()

    def sees_unpublished_of(self, vendor_id: int | None) -> bool:
        return self.sees_all or vendor_id in self.vendor_ids


PUBLIC = Viewer()


def viewer_for(user) -> Viewer:
    if user is None or not user.is_authenticated or not user.is_active:
        return PUBLIC
    if is_federation_staff(user) or user.has_perm(MANAGE_PRODUCTS):
        return Viewer(sees_all=True)
    return Viewer(vendor_ids=tuple(vendor_ids_for_user(user) or ()))


def channels_by_slug() -> dict[str, Channel]:
    return reference_table("channels", lambda: {c.slug: c for c in Channel.objects.all()})


def get_channel(slug: str) -> Channel | None:
    return channels_by_slug().get(slug)


def default_channel() -> Channel | None:
    """The only active channel; with several (vendor channels), the active ``DEFAULT_CHANNEL_SLUG`` one."""
    channels = list(Channel.objects.filter(is_active=True)[:2])
    if len(channels) == 1:
        return channels[0]
    return Channel.objects.filter(is_active=True, slug=settings.DEFAULT_CHANNEL_SLUG).first()


def _published(prefix: str) -> Q:
    # To the minute: the SQL (and so the cached count key) stays the same for a minute.
    now = timezone.now().replace(second=0, microsecond=0)
    return Q(**{f"{prefix}is_published": True}) & (
        Q(**{f"{prefix}published_at__isnull": True}) | Q(**{f"{prefix}published_at__lte": now})
    )


def _priced_variant_exists(channel_id: int, product_ref: str = "pk") -> Exists:
    return Exists(
        ProductVariantChannelListing.objects.filter(
            variant__product_id=OuterRef(product_ref), channel_id=channel_id, price_amount__isnull=False
        )
    )


# Columns a list or a page never reads; loading them would multiply the bytes per row.
HEAVY_COLUMNS = ("search_vector", "search_rank_vector", "search_document", "description_plaintext")


def visible_products(viewer: Viewer, channel: Channel | None, *, listing: bool) -> QuerySet[Product]:
    """Products ``viewer`` may see in ``channel``; ``listing`` adds the ``visible_in_listings`` rule.

    With a channel, rows are joined to their listing there (unique per product and channel) and
    annotated with ``price_amount`` and ``listing_published_at`` for filters and sorts.
    """
    queryset = Product.objects.defer(*HEAVY_COLUMNS)
    if channel is None:
        # Only callers who see everything may omit the channel (see resolve_channel).
        return queryset if viewer.sees_all else queryset.filter(vendor_id__in=viewer.vendor_ids)
    # Every branch names the channel, so the single listing join keeps one row per product.
    listed = Q(channel_listings__channel_id=channel.id)
    if viewer.sees_all:
        condition = listed
    else:
        condition = listed & _published("channel_listings__")
        if listing:
            # Lists read the listing's cached lowest variant price (kept in step by every writer of
            # variant prices): no per-row EXISTS over variant listings on 100k-item pages and counts.
            condition &= Q(
                channel_listings__visible_in_listings=True, channel_listings__discounted_price_amount__isnull=False
            )
        else:
            condition &= Q(_priced_variant_exists(channel.id))
        if not channel.is_active:
            condition = Q(pk__in=[])
        if viewer.vendor_ids:
            condition |= listed & Q(vendor_id__in=viewer.vendor_ids)
    return queryset.filter(condition).annotate(
        price_amount=F("channel_listings__discounted_price_amount"),
        listing_published_at=F("channel_listings__published_at"),
    )


def visible_variants(viewer: Viewer, channel: Channel | None) -> QuerySet[ProductVariant]:
    """Variants of products ``viewer`` may see, restricted to priced variants for the public."""
    products = visible_products(viewer, channel, listing=False)
    queryset = ProductVariant.objects.filter(product__in=products.values("pk"))
    if channel is None or viewer.sees_all:
        return queryset
    priced = Exists(
        ProductVariantChannelListing.objects.filter(
            variant_id=OuterRef("pk"), channel_id=channel.id, price_amount__isnull=False
        )
    )
    if viewer.vendor_ids:
        return queryset.filter(Q(priced) | Q(vendor_id__in=viewer.vendor_ids))
    return queryset.filter(priced)


def visible_collections(viewer: Viewer, channel: Channel | None) -> QuerySet[Collection]:
    # Collections are curated by the federation: vendor staff see the published ones, like shoppers.
    if viewer.sees_all:
        return Collection.objects.all()
    if channel is None or not channel.is_active:
        return Collection.objects.none()
    listings = CollectionChannelListing.objects.filter(channel_id=channel.id).filter(_published(""))
    return Collection.objects.filter(pk__in=listings.values("collection_id"))


def cached_count(queryset: QuerySet, seconds: int) -> int:
    """``queryset.count()``, remembered for ``seconds`` per distinct SQL: totals shown beside a list
    may lag a few seconds, and counting 100k rows on every page view would not fit the budget."""
    if seconds <= 0:
        return queryset.order_by().count()
    try:
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:
        return 0
    key = "catalogue-count:" + hashlib.sha1(f"{sql}|{params!r}".encode()).hexdigest()
    total = cache.get(key)
    if total is None:
        total = queryset.order_by().count()
        cache.set(key, total, seconds)
    return total


def category_with_descendants(category_ids: Iterable[int]) -> QuerySet[Category]:
    """The categories and every category below them (one query on the MPTT columns)."""
    roots = Category.objects.filter(pk__in=list(category_ids)).values("tree_id", "lft", "rght")
    condition = Q(pk__in=[])
    for root in roots:
        condition |= Q(tree_id=root["tree_id"], lft__gte=root["lft"], rght__lte=root["rght"])
    return Category.objects.filter(condition)


def stock_in_channel(channel: Channel | None) -> QuerySet[Stock]:
    stocks = Stock.objects.all()
    if channel is not None:
        stocks = stocks.filter(warehouse__channelwarehouse__channel_id=channel.id)
    return stocks


def in_stock_products_exists(channel: Channel | None) -> Exists:
    """EXISTS: a variant of the outer product has unallocated stock in the channel's warehouses."""
    return Exists(
        stock_in_channel(channel).filter(
            product_variant__product_id=OuterRef("pk"), quantity__gt=F("quantity_allocated")
        )
    )


def quantities_available(variant_ids: Iterable[int], channel: Channel | None) -> dict[int, int]:
    """Per variant: what a shopper can still buy in the channel (stock less allocations and other
    carts' live reservations), capped at the checkout limit."""
    limit = checkout_quantity_limit()
    return {pk: min(total, limit) for pk, total in available_quantities(variant_ids, channel).items()}


def products_in_stock(product_ids: Iterable[int], channel: Channel | None) -> set[int]:
    """The products among ``product_ids`` with a variant that can still be bought in the channel
    (as ``quantities_available``) and, for a channel, has a price there."""
    reserved, reserved_params = reserved_sql()
    join, params = stock_in_channel_join(channel)
    if channel is not None:
        join += (
            f" JOIN {sql.table(ProductVariantChannelListing)} l ON l.variant_id = v.id"
            " AND l.channel_id = %s AND l.price_amount IS NOT NULL"
        )
        params.append(channel.id)
    rows = sql.fetch(
        f"SELECT DISTINCT v.product_id FROM {sql.table(Stock)} s"
        f" JOIN {sql.table(ProductVariant)} v ON v.id = s.product_variant_id{join}"
        f" WHERE v.product_id = ANY(%s) AND s.quantity - s.quantity_allocated - {reserved} > 0",
        [*params, sql.id_array(product_ids), *reserved_params],
    )
    return {product_id for (product_id,) in rows}


def checkout_quantity_limit() -> int:
    limit = reference_table(
        "checkout_limit",
        lambda: SiteSettings.objects.filter(pk=1).values_list("limit_quantity_per_checkout", flat=True).first(),
    )
    return limit if limit else 50


@dataclass(frozen=True)
class PriceRange:
    start: Decimal
    stop: Decimal
    currency: str


def price_ranges(product_ids: Iterable[int], channel: Channel) -> dict[int, PriceRange]:
    """Lowest and highest variant price per product in ``channel`` (priced variant listings only)."""
    rows = sql.fetch(
        f"SELECT v.product_id, MIN(l.price_amount), MAX(l.price_amount), MIN(l.currency)"
        f" FROM {sql.table(ProductVariantChannelListing)} l JOIN {sql.table(ProductVariant)} v ON v.id = l.variant_id"
        " WHERE l.channel_id = %s AND l.price_amount IS NOT NULL AND v.product_id = ANY(%s) GROUP BY 1",
        [channel.id, sql.id_array(product_ids)],
    )
    return {product_id: PriceRange(start, stop, currency) for product_id, start, stop, currency in rows}
