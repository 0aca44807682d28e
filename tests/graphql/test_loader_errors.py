"""A failing batch load becomes the fields' GraphQL errors; the request still answers in JSON."""

import graphene
from graphql import execute, parse
from graphql_sync_dataloaders import SyncFuture

from saleor_ext.graphql.core.context import BaseLoader, get_loader, selected_fields
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


class CountingLoader(BaseLoader):
    batches: list = []

    def batch_load(self, keys):
        CountingLoader.batches.append(list(keys))
        return [key * 10 for key in keys]


class Primed(graphene.ObjectType):
    value = graphene.Int()

    @staticmethod
    def resolve_value(root, info):
        return get_loader(info, CountingLoader).load(root)


class PrimingQuery(graphene.ObjectType):
    items = graphene.List(Primed)

    @staticmethod
    def resolve_items(_root, info):
        # Prime like a connection resolver does, for the fields the document selects under `items`.
        if "value" in selected_fields(info):
            get_loader(info, CountingLoader).prime([1, 2, 3])
        return [1, 2, 3]


def test_primed_keys_resolve_from_one_batch_without_futures_and_fragments_count_as_selected():
    CountingLoader.batches = []
    schema = graphene.Schema(query=PrimingQuery).graphql_schema
    document = parse("{ items { ...F } } fragment F on Primed { value }")
    result = execute(schema, document, context_value=Context(), execution_context_class=BatchingExecutionContext)
    assert result.errors is None
    assert result.data == {"items": [{"value": 10}, {"value": 20}, {"value": 30}]}
    assert CountingLoader.batches == [[1, 2, 3]]
    loader = CountingLoader(Context())
    loader.prime([4])
    assert loader.load(4) == 40 and not isinstance(loader.load(4), SyncFuture)
