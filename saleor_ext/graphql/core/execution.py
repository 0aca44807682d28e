"""Execution context that resolves sync dataloader futures in batches.

graphql-sync-dataloaders predates graphql-core 3.2.14, which added a ``path`` parameter to
``handle_field_error`` and uses it to drop errors under an already nulled position. The
library calls it without a path; recording ``None`` there would make graphql-core drop every
later error, so the position is rebuilt from the located error instead.
"""

from __future__ import annotations

from graphql import GraphQLError, GraphQLOutputType, is_non_null_type
from graphql.pyutils import Path
from graphql_sync_dataloaders import DeferredExecutionContext


def _path_of(error: GraphQLError) -> Path | None:
    path = None
    for key in error.path or ():
        path = Path(path, key, None)
    return path


class BatchingExecutionContext(DeferredExecutionContext):
    def handle_field_error(self, error: GraphQLError, return_type: GraphQLOutputType, path=None) -> None:
        if is_non_null_type(return_type):
            raise error
        self.collected_errors.add(error, _path_of(error))
        return None
