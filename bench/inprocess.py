"""Time the bench queries inside one process, without HTTP or concurrency: where CPU goes.

    EMBEDDED_DB_NAME=bench GRAPHQL_RESPONSE_CACHE_SECONDS=0 .venv/bin/python bench/inprocess.py \
        [--profile] [SCENARIO ...]

For each scenario it prints the median and p90 of 3 rounds (the first discarded) and the SQL
queries one request runs; ``--profile`` adds the functions with the most own time (cProfile).
The buying scenarios (``add_to_cart``, ``checkout_complete``) prepare their own carts and run
inside one transaction rolled back at the end, so the bench database keeps its stock; their
after-commit work (queuing the order e-mails) is therefore not timed.
A tool for performance work next to ``make bench``, which measures the server under load.
"""

from __future__ import annotations

import cProfile
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")

SEARCH_TERMS = ["velo", "chaise", "ordinateur portable", "fiets", "livre", "veste"]


def document(name: str) -> str:
    text = (BENCH_DIR / "queries" / f"{name}.graphql").read_text()
    if "...ProductListItem" in text:
        text += "\n" + (BENCH_DIR / "queries" / "fragments" / "ProductListItem.graphql").read_text()
    return text


def main() -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from saleor_ext.product.models import Product

    published = Product.objects.filter(
        channel_listings__channel__slug="marketplace", channel_listings__is_published=True
    )
    slugs = list(published.order_by("?").values_list("slug", flat=True)[:40])
    scenarios = {
        "listing": [{"channel": "marketplace"}],
        "search": [{"channel": "marketplace", "term": term} for term in SEARCH_TERMS],
        "product_page": [{"channel": "marketplace", "slug": slug} for slug in slugs],
    }
    wanted = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    buying = [name for name in wanted if name in BUYING]
    if wanted:
        scenarios = {name: scenarios[name] for name in wanted if name in scenarios}
    client = Client()
    profiler = cProfile.Profile() if "--profile" in sys.argv else None
    for name in buying:
        BUYING[name](client, profiler)
    for name, variables in scenarios.items():
        bodies = [json.dumps({"query": document(name), "variables": v}) for v in variables]
        times = []
        query_count = 0
        for round_number in range(3):
            for body in bodies:
                started = time.perf_counter()
                with CaptureQueriesContext(connection) as queries:
                    response = client.post("/graphql/", body, content_type="application/json")
                if round_number:
                    times.append(time.perf_counter() - started)
                    query_count = len(queries.captured_queries)
                assert "errors" not in response.json(), response.json()["errors"][:1]
        if profiler is not None:
            profiler.enable()
            for body in bodies:
                client.post("/graphql/", body, content_type="application/json")
            profiler.disable()
        times.sort()
        print(
            f"{name}: median {statistics.median(times) * 1000:.1f} ms, "
            f"p90 {times[int(len(times) * 0.9)] * 1000:.1f} ms, {query_count} SQL queries"
        )
    if profiler is not None:
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(30)
        stats.sort_stats("cumulative").print_stats(40)


def post(client, name: str, variables: dict) -> dict:
    body = json.dumps({"query": document(name), "variables": variables})
    data = client.post("/graphql/", body, content_type="application/json").json()
    assert "errors" not in data, data["errors"][:1]
    return data["data"]


def in_stock_variant_ids(count: int) -> list[str]:
    """Variants on sale in the marketplace with stock nobody holds (earlier bench runs sold some)."""
    from saleor_ext.channel.models import Channel
    from saleor_ext.graphql.core.ids import to_global_id
    from saleor_ext.product.models import ProductVariant
    from saleor_ext.warehouse.management import available_quantities

    ids = (
        ProductVariant.objects.filter(
            channel_listings__channel__slug="marketplace",
            channel_listings__price_amount__isnull=False,
            product__channel_listings__channel__slug="marketplace",
            product__channel_listings__is_published=True,
            stocks__quantity__gt=0,
        )
        .order_by("?")
        .values_list("pk", flat=True)
        .distinct()[: count * 2]
    )
    available = available_quantities(list(ids), Channel.objects.get(slug="marketplace"))
    return [to_global_id("ProductVariant", pk) for pk in ids if available.get(pk, 0) > 0][:count]


class _Rollback(Exception):
    pass


def _timed(client, profiler, name: str, requests: list[tuple[str, dict]], check) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    query_count = 0
    for index, (query, variables) in enumerate(requests):
        body = json.dumps({"query": document(query), "variables": variables})
        profiling = profiler is not None and index >= len(requests) // 2
        started = time.perf_counter()
        if profiling:
            profiler.enable()
        with CaptureQueriesContext(connection) as queries:
            response = client.post("/graphql/", body, content_type="application/json")
        if profiling:
            profiler.disable()
        if index >= 5:  # the first ones warm caches
            times.append(time.perf_counter() - started)
            query_count = len(queries.captured_queries)
        check(response.json())
    times.sort()
    print(
        f"{name}: median {statistics.median(times) * 1000:.1f} ms, "
        f"p90 {times[int(len(times) * 0.9)] * 1000:.1f} ms, {query_count} SQL queries"
    )


def _no_errors(field: str):
    def check(data: dict) -> None:
        assert "errors" not in data, data["errors"][:1]
        assert not data["data"][field]["errors"], data["data"][field]["errors"]

    return check


def bench_add_to_cart(client, profiler) -> None:
    from django.db import transaction

    variants = in_stock_variant_ids(240)
    try:
        with transaction.atomic():
            carts = [
                post(client, "prepare_checkout_create", {"channel": "marketplace", "lines": []})
                ["checkoutCreate"]["checkout"]["id"]
                for _ in range(30)
            ]
            requests = [
                ("add_to_cart", {"id": cart, "productVariantId": variants[index * 8 + line]})
                for line in range(8)
                for index, cart in enumerate(carts)
            ]
            _timed(client, profiler, "add_to_cart", requests, _no_errors("checkoutLinesAdd"))
            raise _Rollback
    except _Rollback:
        pass


def bench_checkout_complete(client, profiler) -> None:
    from django.db import transaction

    address = {
        "firstName": "Bench", "lastName": "Shopper", "streetAddress1": "Rue de la Loi 16",
        "city": "Bruxelles", "postalCode": "1000", "country": "BE",
    }
    try:
        with transaction.atomic():
            carts = []
            for variant in in_stock_variant_ids(60):
                cart = post(
                    client, "prepare_checkout_create",
                    {"channel": "marketplace", "lines": [{"variantId": variant, "quantity": 1}]},
                )["checkoutCreate"]["checkout"]["id"]
                details = post(client, "prepare_checkout_details", {"id": cart, "address": address})
                group = details["checkoutShippingAddressUpdate"]["checkout"]["vendorGroups"][0]
                method = next((d["id"] for d in group["deliveries"]), None) or next(
                    (p["id"] for p in group["availableCollectionPoints"]), None
                )
                if method is not None:
                    post(client, "prepare_checkout_pay", {"id": cart, "method": method})
                    carts.append(cart)
            requests = [("checkout_complete", {"id": cart}) for cart in carts]
            _timed(client, profiler, "checkout_complete", requests, _no_errors("checkoutComplete"))
            raise _Rollback
    except _Rollback:
        pass


BUYING = {"add_to_cart": bench_add_to_cart, "checkout_complete": bench_checkout_complete}


if __name__ == "__main__":
    main()
