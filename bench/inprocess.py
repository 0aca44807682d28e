"""Time the bench queries inside one process, without HTTP or concurrency: where CPU goes.

    EMBEDDED_DB_NAME=bench GRAPHQL_RESPONSE_CACHE_SECONDS=0 .venv/bin/python bench/inprocess.py \
        [--profile] [SCENARIO ...]

For each scenario it prints the median and p90 of 3 rounds (the first discarded) and the SQL
queries one request runs; ``--profile`` adds the functions with the most own time (cProfile).
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
    if wanted:
        scenarios = {name: scenarios[name] for name in wanted}
    client = Client()
    profiler = cProfile.Profile() if "--profile" in sys.argv else None
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


if __name__ == "__main__":
    main()
