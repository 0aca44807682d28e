"""The benchmark scenarios: what a shopper's browser sends, with realistic variety.

A scenario is a builder ``async def build(ctx) -> Scenario`` registered in ``SCENARIOS``. It may
query the running API through ``ctx.client`` to prepare its requests (cursors here; carts and
checkouts for the mutation scenarios), then returns the pre-encoded bodies the load client sends.
Adding one = a ``queries/<name>.graphql`` file, a builder, and a line in ``SCENARIOS``.
"""

from __future__ import annotations

import asyncio
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
    # Global ids of variants a shopper can buy now, in random order.
    variants: list[str] = field(default_factory=list)
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


# -- buying ---------------------------------------------------------------------------------------

# add_to_cart: carts that each receive this many different items during the run.
CARTS = 1000
LINES_PER_CART = 8
# checkout_complete: carts prepared up to payment, one distinct item each (payment reserves it).
COMPLETE_CARTS = 2000
PREPARE_CONCURRENCY = 8
BE_ADDRESS = {
    "firstName": "Bench",
    "lastName": "Shopper",
    "streetAddress1": "Rue de la Loi 16",
    "city": "Bruxelles",
    "postalCode": "1000",
    "country": "BE",
}


async def _gather_limited(factories: list[Callable[[], Awaitable[Any]]]) -> list[Any]:
    semaphore = asyncio.Semaphore(PREPARE_CONCURRENCY)

    async def one(factory):
        async with semaphore:
            return await factory()

    return await asyncio.gather(*(one(factory) for factory in factories))


async def _new_cart(ctx: BenchContext, lines: list[str]) -> str:
    data = await ctx.client.execute(
        load_query("prepare_checkout_create"),
        {"channel": ctx.channel, "lines": [{"variantId": v, "quantity": 1} for v in lines]},
    )
    payload = data["checkoutCreate"]
    if payload["errors"]:
        raise RuntimeError(f"checkoutCreate failed: {payload['errors']}")
    return payload["checkout"]["id"]


async def build_add_to_cart(ctx: BenchContext) -> Scenario:
    """The PDP's "add to bag" (checkoutLinesAdd, as Saleor's storefront sends it) into live carts."""
    if not ctx.variants:
        raise RuntimeError("no purchasable item in the bench database")
    carts = await _gather_limited([lambda: _new_cart(ctx, []) for _ in range(CARTS)])
    query = load_query("add_to_cart")
    bodies = []
    for line in range(LINES_PER_CART):
        for index, cart in enumerate(carts):
            variant = ctx.variants[(index * LINES_PER_CART + line) % len(ctx.variants)]
            bodies.append(encode_request(query, {"id": cart, "productVariantId": variant}))
    return Scenario("add_to_cart", bodies, cycle=False)


async def _ready_cart(ctx: BenchContext, variant: str) -> str | None:
    """A cart with one item, contact, addresses, a delivery for its shop, and paid (dummy gateway)."""
    run = ctx.client.execute
    try:
        cart = await _new_cart(ctx, [variant])
    except RuntimeError:
        return None  # sold or held since the sample was taken: the scenario uses the others
    steps = await run(load_query("prepare_checkout_details"), {"id": cart, "address": BE_ADDRESS})
    group = steps["checkoutShippingAddressUpdate"]["checkout"]["vendorGroups"][0]
    method = next((d["id"] for d in group["deliveries"]), None) or next(
        (p["id"] for p in group["availableCollectionPoints"]), None
    )
    if method is None:
        return None
    await run(load_query("prepare_checkout_pay"), {"id": cart, "method": method})
    return cart


async def build_checkout_complete(ctx: BenchContext) -> Scenario:
    """checkoutComplete of paid carts, each for a different unique item (orders are created)."""
    if not ctx.variants:
        raise RuntimeError("no purchasable item in the bench database")
    variants = ctx.variants[-COMPLETE_CARTS:]
    carts = [c for c in await _gather_limited([lambda v=v: _ready_cart(ctx, v) for v in variants]) if c]
    query = load_query("checkout_complete")
    return Scenario("checkout_complete", [encode_request(query, {"id": cart}) for cart in carts], cycle=False)


SCENARIOS: dict[str, Callable[[BenchContext], Awaitable[Scenario]]] = {
    "listing": build_listing,
    "search": build_search,
    "product_page": build_product_page,
    "add_to_cart": build_add_to_cart,
    "checkout_complete": build_checkout_complete,
}
