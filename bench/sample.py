"""Print, as JSON, what the benchmark needs to know about the bench database.

Run as a subprocess with the bench database selected in the environment
(``EMBEDDED_DB_NAME=bench`` or ``DATABASE_URL``), so that it reads the same data the
server will serve:

    python bench/sample.py count          -> {"items": N}
    python bench/sample.py sample CHANNEL -> {"items": N, "slugs": [...], "variants": [...], "categories": [...]}
"""

from __future__ import annotations

import base64
import json
import os
import sys
from pathlib import Path

SLUG_SAMPLE = 2000
# Items a shopper can buy now (priced, published, for sale, in stock): what carts are filled with.
VARIANT_SAMPLE = 6000
CATEGORY_SAMPLE = 50
# A category page is only worth loading when it fills at least one page of results.
MIN_CATEGORY_ITEMS = 24


def global_id(type_name: str, pk: int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def item_count() -> int:
    from saleor_ext.product.models import Product

    return Product.objects.count()


def sample(channel: str) -> dict:
    from django.db.models import Count

    from saleor_ext.product.models import Product

    published = Product.objects.filter(channel_listings__channel__slug=channel, channel_listings__is_published=True)
    slugs = list(published.order_by("?").values_list("slug", flat=True)[:SLUG_SAMPLE])
    categories = (
        published.filter(category__isnull=False)
        .values("category_id")
        .annotate(items=Count("id"))
        .filter(items__gte=MIN_CATEGORY_ITEMS)
        .order_by("-items")[:CATEGORY_SAMPLE]
    )
    return {
        "items": item_count(),
        "slugs": slugs,
        "variants": purchasable_variants(channel),
        "categories": [global_id("Category", row["category_id"]) for row in categories],
    }


def purchasable_variants(channel: str) -> list[str]:
    from django.db.models import Exists, F, OuterRef
    from django.utils import timezone

    from saleor_ext.product.models import ProductChannelListing, ProductVariant
    from saleor_ext.warehouse.models import Stock

    for_sale = ProductChannelListing.objects.filter(
        product_id=OuterRef("product_id"),
        channel__slug=channel,
        is_published=True,
        available_for_purchase_at__lte=timezone.now(),
    )
    in_stock = Stock.objects.filter(
        product_variant_id=OuterRef("pk"),
        quantity__gt=F("quantity_allocated"),
        warehouse__channelwarehouse__channel__slug=channel,
    )
    candidates = (
        ProductVariant.objects.filter(Exists(for_sale), Exists(in_stock))
        .filter(channel_listings__channel__slug=channel, channel_listings__price_amount__isnull=False)
        .order_by("?")
        .values_list("pk", flat=True)[: VARIANT_SAMPLE * 2]
    )
    # Items still held by an earlier run's paid carts (live reservations) cannot be bought now.
    from saleor_ext.channel.models import Channel
    from saleor_ext.warehouse.management import available_quantities

    candidates = list(candidates)
    available = available_quantities(candidates, Channel.objects.get(slug=channel))
    return [global_id("ProductVariant", pk) for pk in candidates if available.get(pk, 0) > 0][:VARIANT_SAMPLE]


def main(argv: list[str]) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
    import django

    django.setup()
    if argv[:1] == ["count"]:
        print(json.dumps({"items": item_count()}))
    elif argv[:1] == ["sample"] and len(argv) == 2:
        print(json.dumps(sample(argv[1])))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
