"""Combinators for dataloader futures, so a resolver can shape or join loaded values.

The batching executor runs the dispatch callback of each future a resolver returns. A derived
future therefore carries the dispatch callbacks of the futures it waits for; only the first key
queued in a loader has one, and that key's resolver registers it for the whole batch.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql_sync_dataloaders import SyncFuture


def _settle(source: SyncFuture, target: SyncFuture, fn: Callable[[Any], Any]) -> None:
    try:
        value = fn(source.result())
    except Exception as error:  # noqa: BLE001 - handed to the executor as the field's error
        target.set_exception(error)
        return
    if isinstance(value, SyncFuture):
        # A second loader queued after the first one dispatched: nobody else will dispatch it.
        if not value.done() and value.deferred_callback:
            value.deferred_callback()
        if value.done():
            _forward(value, target)
        else:
            value.add_done_callback(lambda: _forward(value, target))
        return
    target.set_result(value)


def _forward(source: SyncFuture, target: SyncFuture) -> None:
    try:
        target.set_result(source.result())
    except Exception as error:  # noqa: BLE001
        target.set_exception(error)


def then(value: Any, fn: Callable[[Any], Any]) -> Any:
    """``fn(value)`` once ``value`` (a future or a plain value) is ready."""
    if not isinstance(value, SyncFuture):
        return fn(value)
    if value.done():
        return fn(value.result())
    target = SyncFuture()
    target.deferred_callback = value.deferred_callback
    value.add_done_callback(lambda: _settle(value, target, fn))
    return target


def gather(*values: Any) -> Any:
    """A future of the list of ``values`` (futures or plain values), or the list itself when all are ready."""
    pending = [v for v in values if isinstance(v, SyncFuture) and not v.done()]
    if not pending:
        return [v.result() if isinstance(v, SyncFuture) else v for v in values]
    target = SyncFuture()
    callbacks = [v.deferred_callback for v in pending if v.deferred_callback]

    def dispatch() -> None:
        for callback in callbacks:
            callback()

    target.deferred_callback = dispatch if callbacks else None
    remaining = [len(pending)]

    def one_done() -> None:
        remaining[0] -= 1
        if remaining[0]:
            return
        try:
            target.set_result([v.result() if isinstance(v, SyncFuture) else v for v in values])
        except Exception as error:  # noqa: BLE001
            target.set_exception(error)

    for future in pending:
        future.add_done_callback(one_done)
    return target
