"""A failing batch load becomes the fields' GraphQL errors; the request still answers in JSON."""

import graphene
from graphql import execute, parse
from graphql_sync_dataloaders import SyncFuture

from saleor_ext.graphql.core.context import BaseLoader, get_loader
from saleor_ext.graphql.core.execution import BatchingExecutionContext


class BrokenLoader(BaseLoader):
    def batch_load(self, keys):
        raise RuntimeError("database went away")


class WorkingLoader(BaseLoader):
    def batch_load(self, keys):
        return [key * 10 for key in keys]


class Item(graphene.ObjectType):
    id = graphene.Int()
    broken = graphene.Int()
    working = graphene.Int()

    @staticmethod
    def resolve_broken(root, info):
        return get_loader(info, BrokenLoader).load(root)

    @staticmethod
    def resolve_working(root, info):
        return get_loader(info, WorkingLoader).load(root)

    @staticmethod
    def resolve_id(root, _info):
        return root


class Query(graphene.ObjectType):
    items = graphene.List(Item)

    @staticmethod
    def resolve_items(_root, _info):
        return [1, 2, 3]


class Context:
    pass


def test_a_failing_loader_nulls_its_fields_with_errors_and_spares_the_others():
    schema = graphene.Schema(query=Query).graphql_schema
    result = execute(
        schema, parse("{ items { id broken working } }"), context_value=Context(),
        execution_context_class=BatchingExecutionContext,
    )
    assert not isinstance(result, SyncFuture)
    assert result.data == {"items": [{"id": i, "broken": None, "working": i * 10} for i in (1, 2, 3)]}
    assert [error.path for error in result.errors] == [["items", i, "broken"] for i in range(3)]
    assert all("database went away" in error.message for error in result.errors)
