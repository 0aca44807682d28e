"""The benchmark scenarios: what a shopper's browser sends, with realistic variety.

A scenario is a builder ``async def build(ctx) -> Scenario`` registered in ``SCENARIOS``. It may
query the running API through ``ctx.client`` to prepare its requests (cursors here; carts and
checkouts for the mutation scenarios), then returns the pre-encoded bodies the load client sends.
Adding one = a ``queries/<name>.graphql`` file, a builder, and a line in ``SCENARIOS``.
"""

from __future__ import annotations

import random
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from bench.load import GraphQLClient, Scenario, encode_request

QUERIES_DIR = Path(__file__).resolve().parent / "queries"
# Distinct request bodies per scenario: enough variety that no single page is hot in every
# cache, few enough to encode in well under a second.
BODY_POOL = 2000
# How deep shoppers page through a listing before they refine it.
LISTING_PAGES = 40

# What shoppers type in the search box (FR/NL, with and without accents, a few two-word terms).
SEARCH_TERMS = [
    "velo",
    "vélo",
    "vélo enfant",
    "fiets",
    "kinderfiets",
    "ordinateur portable",
    "laptop",
    "ordinateur",
    "écran",
    "scherm",
    "chaise",
    "stoel",
    "table",
    "tafel",
    "armoire",
    "kast",
    "livre",
    "boek",
    "roman",
    "bande dessinée",
    "strip",
    "veste",
    "jas",
    "manteau",
    "robe",
    "jurk",
    "chaussures",
    "schoenen",
    "lampe",
    "lamp",
    "vaisselle",
    "servies",
    "machine à laver",
    "wasmachine",
    "frigo",
    "koelkast",
    "perceuse",
    "boormachine",
    "porte",
    "deur",
    "carrelage",
    "tegels",
    "bois",
    "hout",
    "jouet",
    "speelgoed",
    "poussette",
    "kinderwagen",
    "canapé",
    "zetel",
    "vintage",
    "smartphone",
    "téléphone",
    "jeans",
    "pull",
    "trui",
    "sac",
    "tas",
]


@dataclass
class BenchContext:
    client: GraphQLClient
    channel: str
    slugs: list[str]
    categories: list[str]
    rng: random.Random = field(default_factory=lambda: random.Random(1))


@cache
def load_query(name: str) -> str:
    """A query document with the fragments it spreads appended, as the storefront sends it."""
    text = (QUERIES_DIR / f"{name}.graphql").read_text()
    included: set[str] = set()
    pending = set(re.findall(r"\.\.\.\s*([A-Z]\w*)", text))
    while pending:
        fragment = pending.pop()
        path = QUERIES_DIR / "fragments" / f"{fragment}.graphql"
        if fragment in included or not path.exists():
            continue  # inline fragments on types (`... on X`) have no file
        included.add(fragment)
        body = path.read_text()
        text += "\n" + body
        pending |= set(re.findall(r"\.\.\.\s*([A-Z]\w*)", body)) - included
    return text


async def _listing_cursors(ctx: BenchContext, filter_: dict[str, Any] | None, pages: int) -> list[str]:
    query = load_query("pages")
    cursors: list[str] = []
    after = None
    for _ in range(pages):
        data = await ctx.client.execute(query, {"channel": ctx.channel, "after": after, "filter": filter_})
        info = data["products"]["pageInfo"]
        if not info["hasNextPage"] or not info["endCursor"]:
            break
        after = info["endCursor"]
        cursors.append(after)
    return cursors


async def build_listing(ctx: BenchContext) -> Scenario:
    """First pages, deeper pages (real cursors) and category pages, mixed."""
    query = load_query("listing")
    cursors = await _listing_cursors(ctx, None, LISTING_PAGES)
    category_pages: list[tuple[dict[str, Any], str | None]] = []
    for category in ctx.categories[:10]:
        filter_ = {"categories": [category]}
        category_pages.append((filter_, None))
        category_pages += [(filter_, cursor) for cursor in await _listing_cursors(ctx, filter_, 3)]
    bodies = []
    for _ in range(BODY_POOL):
        roll = ctx.rng.random()
        if roll < 0.2 or not (cursors or category_pages):
            variables = {"after": None, "filter": None}
        elif roll < 0.6 and cursors:
            variables = {"after": ctx.rng.choice(cursors), "filter": None}
        elif category_pages:
            filter_, after = ctx.rng.choice(category_pages)
            variables = {"after": after, "filter": filter_}
        else:
            variables = {"after": ctx.rng.choice(cursors), "filter": None}
        bodies.append(encode_request(query, {"channel": ctx.channel, **variables}))
    return Scenario("listing", bodies)


async def build_search(ctx: BenchContext) -> Scenario:
    query = load_query("search")
    bodies = [
        encode_request(query, {"channel": ctx.channel, "term": ctx.rng.choice(SEARCH_TERMS)}) for _ in range(BODY_POOL)
    ]
    return Scenario("search", bodies)


async def build_product_page(ctx: BenchContext) -> Scenario:
    if not ctx.slugs:
        raise RuntimeError("no published product in the bench database to open")
    query = load_query("product_page")
    bodies = [
        encode_request(query, {"channel": ctx.channel, "slug": ctx.rng.choice(ctx.slugs)}) for _ in range(BODY_POOL)
    ]
    return Scenario("product_page", bodies)


SCENARIOS: dict[str, Callable[[BenchContext], Awaitable[Scenario]]] = {
    "listing": build_listing,
    "search": build_search,
    "product_page": build_product_page,
}
