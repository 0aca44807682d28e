"""The order API under test: the project's schema with OrderQueries and OrderMutations in it.

Until ``saleor_ext/graphql/api.py`` composes them, ``serving_order_api`` serves a schema that
adds them (and a ``myOrders`` field standing in for ``me { orders }``) to the project's Query and
Mutation; once they are composed, it serves the real schema unchanged.
"""

from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache

import graphene

from saleor_ext.graphql import api, views
from saleor_ext.graphql.attribute.types import ASSIGNED_ATTRIBUTE_TYPES
from saleor_ext.graphql.core import scalars
from saleor_ext.graphql.core.connection import connection_args
from saleor_ext.graphql.core.permissions import get_user
from saleor_ext.graphql.order.schema import (
    OrderCountableConnection,
    OrderMutations,
    OrderQueries,
    resolve_user_orders,
)


def _user_has_orders() -> bool:
    from saleor_ext.graphql.account.types import User

    return "orders" in User._meta.fields


@lru_cache(maxsize=1)
def _local_schema() -> graphene.Schema:
    class Query(OrderQueries, api.Query):
        my_orders = graphene.Field(OrderCountableConnection, **connection_args())

        @staticmethod
        def resolve_my_orders(_root, info, **paging):
            return resolve_user_orders(info, get_user(info), **paging)

    class Mutation(OrderMutations, api.Mutation):
        pass

    # The same extra types as the project's schema: every scalar name, the attribute implementations.
    extra = [*(getattr(scalars, name) for name in scalars.__all__), *ASSIGNED_ATTRIBUTE_TYPES]
    return graphene.Schema(query=Query, mutation=Mutation, types=extra)


def order_schema() -> graphene.Schema:
    """The schema the order API is served from in these tests."""
    return api.schema if "orders" in api.Query._meta.fields else _local_schema()


def my_orders_document(selection: str, arguments: str = "(first: 10)") -> str:
    """``me { orders … }`` once the account API has it, else the stand-in ``myOrders``."""
    if _user_has_orders():
        return f"{{ me {{ orders{arguments} {{ {selection} }} }} }}"
    return f"{{ myOrders{arguments} {{ {selection} }} }}"


def my_orders_of(data: dict) -> dict:
    return data["me"]["orders"] if "me" in data else data["myOrders"]


@contextmanager
def serving_order_api(monkeypatch):
    """Serve the order API from /graphql/ for the block (see the module's docstring)."""
    schema = order_schema()
    if schema is not api.schema:
        monkeypatch.setattr(views, "graphql_schema", schema.graphql_schema)
    views.parse_and_validate.cache_clear()
    try:
        yield
    finally:
        views.parse_and_validate.cache_clear()
