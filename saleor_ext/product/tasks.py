"""Celery tasks of the catalogue: thin wrappers around search.py."""

from __future__ import annotations

import os

from celery import shared_task

from .models import Product
from .search import update_products_search_vector

# Products rebuilt per run; the beat entry runs every BEAT_UPDATE_SEARCH_SEC seconds.
UPDATE_SEARCH_VECTOR_BATCH = int(os.environ.get("UPDATE_SEARCH_VECTOR_BATCH", "1000"))


@shared_task(name="saleor_ext.product.tasks.update_products_search_vector_task")
def update_products_search_vector_task(limit: int = UPDATE_SEARCH_VECTOR_BATCH) -> int:
    """Rebuild the index of up to ``limit`` dirty products, oldest change first."""
    ids = list(
        Product.objects.filter(search_index_dirty=True)
        .order_by("updated_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return update_products_search_vector(ids) if ids else 0
