"""Fixtures of the GraphQL read API tests."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.test import Client

from .factories import make_standard_catalogue


@pytest.fixture
def catalogue(db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return make_standard_catalogue()


def gql(query: str, variables: dict | None = None, *, user=None, **headers) -> dict:
    """POST a document as the storefront does; returns the JSON body (status 200 or 400)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.post(
        "/graphql/", json.dumps({"query": query, "variables": variables or {}}), content_type="application/json",
        **headers,
    )
    assert response.status_code in (200, 400), response.content
    return response.json()


def data_of(body: dict) -> dict:
    assert "errors" not in body, body["errors"]
    assert body["data"] is not None
    return body["data"]


STOREFRONT_DIR = Path(__file__).parent / "storefront"


def storefront_document(name: str) -> str:
    """A storefront operation with the fragments it spreads appended, as the storefront sends it."""
    text = (STOREFRONT_DIR / f"{name}.graphql").read_text()
    included: set[str] = set()
    pending = set(re.findall(r"\.\.\.([A-Z]\w*)", text))
    while pending:
        fragment = pending.pop()
        included.add(fragment)
        body = (STOREFRONT_DIR / "fragments" / f"{fragment}.graphql").read_text()
        text += "\n" + body
        pending |= set(re.findall(r"\.\.\.([A-Z]\w*)", body)) - included
    return text


def index_search() -> None:
    from saleor_ext.product.models import Product
    from saleor_ext.product.search import update_products_search_vector

    update_products_search_vector(list(Product.objects.values_list("pk", flat=True)))


@pytest.fixture(autouse=True)
def _fresh_list_totals():
    """List totals are cached for a few seconds in production; each test starts from a clean cache."""
    from django.core.cache import cache

    cache.clear()
