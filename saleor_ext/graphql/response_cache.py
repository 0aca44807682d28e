"""Short-lived cache of anonymous catalogue responses.

Shoppers' listings, searches and product pages are the same documents with the same
variables for everyone, and bursts (a select-range refresh) repeat them by the hundred. An
anonymous query that reads only public catalogue fields is cached for a few seconds, per
language; anything with a user, a mutation or an error is never cached. Stock truth does
not depend on it: checkout re-checks availability under row locks.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

import orjson
from django.conf import settings
from django.core.cache import caches
from graphql import DocumentNode, FieldNode, OperationDefinitionNode, OperationType

PUBLIC_ROOT_FIELDS = frozenset(
    {
        "__typename",
        "products",
        "product",
        "productVariant",
        "productVariants",
        "categories",
        "category",
        "collections",
        "collection",
        "attributes",
        "attribute",
        "vendors",
        "vendor",
        "shop",
        "channel",
    }
)


def _operation(document: DocumentNode, operation_name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name:
        operations = [op for op in operations if op.name and op.name.value == operation_name]
    return operations[0] if len(operations) == 1 else None


@lru_cache(maxsize=2048)
def _is_public_read(query: str, operation_name: str | None, document: DocumentNode) -> bool:
    operation = _operation(document, operation_name)
    if operation is None or operation.operation != OperationType.QUERY:
        return False
    selections = operation.selection_set.selections
    return all(isinstance(s, FieldNode) and s.name.value in PUBLIC_ROOT_FIELDS for s in selections)


def cache_key(request, data: dict, document: DocumentNode) -> str | None:
    """The key for this request's response, or ``None`` when it must not be cached."""
    if settings.GRAPHQL_RESPONSE_CACHE_SECONDS <= 0:
        return None
    user = getattr(request, "user", None)
    if (user is not None and user.is_authenticated) or request.META.get("HTTP_AUTHORIZATION"):
        return None
    query, operation_name = data["query"], data.get("operationName")
    if not _is_public_read(query, operation_name, document):
        return None
    language = getattr(request, "LANGUAGE_CODE", "") or ""
    raw = orjson.dumps([query, data.get("variables") or {}, operation_name, language, request.get_host()])
    return "gql:" + hashlib.sha256(raw).hexdigest()


def get(key: str) -> bytes | None:
    return caches["graphql"].get(key)


def put(key: str, body: bytes) -> None:
    caches["graphql"].set(key, body, settings.GRAPHQL_RESPONSE_CACHE_SECONDS)
