"""Execution context that resolves sync dataloader futures in batches.

graphql-sync-dataloaders predates graphql-core 3.2.14, which added a ``path`` parameter to
``handle_field_error``; this subclass accepts both call shapes.
"""

from __future__ import annotations

from graphql import GraphQLError, GraphQLOutputType, is_non_null_type
from graphql_sync_dataloaders import DeferredExecutionContext


class BatchingExecutionContext(DeferredExecutionContext):
    def handle_field_error(self, error: GraphQLError, return_type: GraphQLOutputType, path=None) -> None:
        if is_non_null_type(return_type):
            raise error
        self.collected_errors.add(error, path)
        return None
