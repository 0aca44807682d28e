"""Relay connections with keyset paging, as Saleor pages (cursor = base64 JSON of sort keys)."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import graphene
from django.conf import settings
from django.db.models import Q, QuerySet
from graphql import GraphQLError


class PageInfo(graphene.ObjectType):
    has_next_page = graphene.Boolean(required=True)
    has_previous_page = graphene.Boolean(required=True)
    start_cursor = graphene.String()
    end_cursor = graphene.String()


_connections: dict[str, type[graphene.ObjectType]] = {}


def countable_connection(
    node_type: type[graphene.ObjectType] | Callable, name: str, extra_fields: dict[str, Any] | None = None
) -> type[graphene.ObjectType]:
    """``<name>CountableConnection{pageInfo edges totalCount}`` with ``<name>CountableEdge{node cursor}``.

    ``extra_fields`` (graphene fields and their ``resolve_*``) are marketplace additions, e.g. facets.
    """
    if name in _connections:
        return _connections[name]
    edge = type(
        f"{name}CountableEdge",
        (graphene.ObjectType,),
        {
            "node": graphene.Field(node_type, required=True),
            "cursor": graphene.String(required=True),
        },
    )
    connection = type(
        f"{name}CountableConnection",
        (graphene.ObjectType,),
        {
            "page_info": graphene.Field(PageInfo, required=True),
            "edges": graphene.List(graphene.NonNull(edge), required=True),
            "total_count": graphene.Int(),
            "resolve_total_count": staticmethod(lambda root, info: root.total_count()),
            **(extra_fields or {}),
        },
    )
    _connections[name] = connection
    return connection


def connection_args() -> dict[str, Any]:
    return {
        "before": graphene.String(),
        "after": graphene.String(),
        "first": graphene.Int(),
        "last": graphene.Int(),
    }


def encode_cursor(values: Sequence[Any]) -> str:
    return base64.b64encode(json.dumps([None if v is None else str(v) for v in values]).encode()).decode()


def decode_cursor(cursor: str, size: int) -> list[str | None]:
    try:
        values = json.loads(base64.b64decode(cursor, validate=True))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise GraphQLError(f"Received cursor ({cursor}) is invalid.") from None
    if not isinstance(values, list) or len(values) != size:
        raise GraphQLError(f"Received cursor ({cursor}) is invalid.")
    return values


def validate_page_args(
    connection_name: str, first: int | None, last: int | None, after: str | None, before: str | None
) -> None:
    limit = settings.GRAPHQL_PAGINATION_LIMIT
    if first is None and last is None:
        raise GraphQLError(f"You must provide a `first` or `last` value to properly paginate the `{connection_name}`.")
    if first is not None and last is not None:
        raise GraphQLError("Providing both `first` and `last` is not supported.")
    if first is not None and before:
        raise GraphQLError("`first` cannot be combined with `before`.")
    if last is not None and after:
        raise GraphQLError("`last` cannot be combined with `after`.")
    for arg, value in (("first", first), ("last", last)):
        if value is not None and value < 0:
            raise GraphQLError(f"Argument `{arg}` must be a non-negative integer.")
        if value is not None and value > limit:
            raise GraphQLError(
                f"Requesting {value} records on the `{connection_name}` connection exceeds the "
                f"`{arg}` limit of {limit} records."
            )


@dataclass
class Edge:
    node: Any
    cursor: str


class ConnectionResult:
    """What a connection field resolves to; ``totalCount`` is counted only when asked for."""

    def __init__(self, edges: list[Edge], page_info: dict[str, Any], count: Callable[[], int]):
        self.edges = edges
        self.page_info = PageInfo(**page_info)
        self._count = count

    def total_count(self) -> int:
        return self._count()


def _keyset_filter(sort_keys: Sequence[str], values: Sequence[str | None], forward: bool) -> Q:
    """Rows strictly after (or before) the cursor in the order given by ``sort_keys``."""
    query = Q()
    for index, key in enumerate(sort_keys):
        field = key.lstrip("-")
        descending = key.startswith("-")
        go_down = descending == forward
        step = Q(**{f"{field}__lt" if go_down else f"{field}__gt": values[index]})
        for previous_key, previous_value in zip(sort_keys[:index], values[:index]):
            step &= Q(**{previous_key.lstrip("-"): previous_value})
        query |= step
    return query


def _reverse(sort_keys: Sequence[str]) -> list[str]:
    return [key[1:] if key.startswith("-") else f"-{key}" for key in sort_keys]


def _attr(obj: Any, dotted: str) -> Any:
    for part in dotted.split("__"):
        obj = getattr(obj, part)
    return obj


def paginate(
    queryset: QuerySet,
    *,
    sort_keys: Sequence[str],
    connection_name: str,
    first: int | None = None,
    last: int | None = None,
    after: str | None = None,
    before: str | None = None,
    wrap: Callable[[Any], Any] = lambda node: node,
    count_queryset: QuerySet | None = None,
    count: Callable[[], int] | None = None,
) -> ConnectionResult:
    """Fetch one page of ``queryset`` ordered by ``sort_keys`` (each an annotated or model field).

    The last sort key must be unique (the pk) so that cursors are total.
    """
    validate_page_args(connection_name, first, last, after, before)
    cursor = after or before
    forward = last is None
    size = first if forward else last
    ordered_keys = list(sort_keys) if forward else _reverse(sort_keys)
    page_qs = queryset
    if cursor:
        page_qs = page_qs.filter(_keyset_filter(sort_keys, decode_cursor(cursor, len(sort_keys)), forward))
    rows = list(page_qs.order_by(*ordered_keys)[: size + 1]) if size else []
    has_more = len(rows) > size
    rows = rows[:size]
    if not forward:
        rows.reverse()
    edges = [Edge(node=wrap(row), cursor=encode_cursor([_attr(row, k.lstrip("-")) for k in sort_keys])) for row in rows]
    page_info = {
        "has_next_page": has_more if forward else bool(before),
        "has_previous_page": has_more if not forward else bool(after),
        "start_cursor": edges[0].cursor if edges else None,
        "end_cursor": edges[-1].cursor if edges else None,
    }
    if count is not None:
        return ConnectionResult(edges, page_info, count)
    counted = count_queryset if count_queryset is not None else queryset
    return ConnectionResult(edges, page_info, lambda: counted.order_by().count())


def paginate_list(
    items: Sequence[Any],
    *,
    connection_name: str,
    first: int | None = None,
    last: int | None = None,
    after: str | None = None,
    before: str | None = None,
    wrap: Callable[[Any], Any] = lambda node: node,
) -> ConnectionResult:
    """Page an already loaded, ordered list (e.g. a product's variants from a dataloader); cursor = pk."""
    validate_page_args(connection_name, first, last, after, before)
    positions = {str(item.pk): index for index, item in enumerate(items)}

    def position(cursor: str) -> int:
        pk = decode_cursor(cursor, 1)[0]
        if pk not in positions:
            raise GraphQLError(f"Received cursor ({cursor}) is invalid.")
        return positions[pk]

    start, stop = 0, len(items)
    if after:
        start = position(after) + 1
    if before:
        stop = position(before)
    window = list(items[start:stop])
    if first is not None:
        page, has_next, has_previous = window[:first], len(window) > first or stop < len(items), start > 0
    else:
        page = window[max(len(window) - last, 0):] if last else []
        has_previous, has_next = len(window) > len(page) or start > 0, stop < len(items)
    edges = [Edge(node=wrap(item), cursor=encode_cursor([item.pk])) for item in page]
    page_info = {
        "has_next_page": has_next,
        "has_previous_page": has_previous,
        "start_cursor": edges[0].cursor if edges else None,
        "end_cursor": edges[-1].cursor if edges else None,
    }
    return ConnectionResult(edges, page_info, lambda: len(items))
