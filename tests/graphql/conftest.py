"""Fixtures of the GraphQL read API tests."""

from __future__ import annotations

import json

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
