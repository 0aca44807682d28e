"""Writes on the catalogue that other domains call. Search-index upkeep lives here."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Min

from .models import Product, ProductVariantChannelListing
from .tasks import update_products_search_vector_task


def mark_products_search_vector_as_dirty(product_ids: Iterable[int]) -> int:
    """Flag products whose search index must be rebuilt; returns how many were flagged."""
    ids = list(product_ids)
    if not ids:
        return 0
    return Product.objects.filter(pk__in=ids, search_index_dirty=False).update(search_index_dirty=True)


def schedule_search_index_update() -> None:
    """Run the index task once the current transaction commits (in-process when Celery is eager)."""
    transaction.on_commit(update_products_search_vector_task.delay)


def product_search_index_touch(product: Product | int) -> None:
    """Call after any write that changes what a product is found by (names, variants, attributes…)."""
    product_id = product.pk if isinstance(product, Product) else int(product)
    Product.objects.filter(pk=product_id).update(search_index_dirty=True)
    schedule_search_index_update()


def refresh_discounted_prices(product: Product) -> None:
    """Keep each channel listing's cached cheapest price equal to its variants' cheapest price.

    Listings filter and sort on that cached column, so every price write must end here.
    """
    cheapest = dict(
        ProductVariantChannelListing.objects.filter(variant__product=product, price_amount__isnull=False)
        .values("channel_id")
        .annotate(price=Min("price_amount"))
        .values_list("channel_id", "price")
    )
    for listing in product.channel_listings.all():
        price = cheapest.get(listing.channel_id)
        if listing.discounted_price_amount != price:
            listing.discounted_price_amount = price
            listing.save(update_fields=["discounted_price_amount"])
