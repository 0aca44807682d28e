"""Per-request state for resolvers: the user, the language, dataloaders, the channel of a node."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import graphene
from django.conf import settings
from graphene.types.resolver import dict_or_attr_resolver
from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode
from graphql_sync_dataloaders import SyncDataLoader

N = TypeVar("N")
logger = logging.getLogger(__name__)


@dataclass
class ChannelContext(Generic[N]):
    """A node together with the channel slug it was fetched for; nested prices need it."""

    node: N
    channel_slug: str | None


def unwrap(root: Any) -> Any:
    """The node of a ``ChannelContext``, any other root as it is."""
    return root.node if isinstance(root, ChannelContext) else root


def channel_context_resolver(attname: str, default_value: Any, root: Any, info: Any, **args: Any) -> Any:
    """Plain fields read the wrapped node's attribute of the same name."""
    return dict_or_attr_resolver(attname, default_value, unwrap(root), info, **args)


class ChannelContextType(graphene.ObjectType):
    """A type whose roots are ``ChannelContext`` wrappers: only fields that differ need a resolver."""

    class Meta:
        abstract = True

    @classmethod
    def __init_subclass_with_meta__(cls, default_resolver=None, **options):
        super().__init_subclass_with_meta__(default_resolver=default_resolver or channel_context_resolver, **options)


class BaseLoader:
    """A batch loader bound to one request; subclasses implement ``batch_load(keys)``.

    ``get_loader(info, LoaderClass)`` returns the request's single instance, so every node of a
    page queues its key and one query serves them all.
    """

    def __init__(self, context: Any):
        self.context = context
        self._loader = SyncDataLoader(self._batch_load_or_errors)
        self._ready: dict = {}

    def load(self, key):
        # A primed key is answered with its value: no future for the executor to settle.
        if key in self._ready:
            return self._ready[key]
        return self._loader.load(key)

    def prime(self, keys) -> None:
        """Load ``keys`` at once (one batch) so that their ``load`` later returns plain values."""
        missing = [key for key in dict.fromkeys(keys) if key not in self._ready]
        if missing:
            for key, value in zip(missing, self._batch_load_or_errors(missing)):
                if not isinstance(value, Exception):
                    self._ready[key] = value

    def prime_values(self, values: dict) -> None:
        """Answer these keys with objects the caller already holds (no query)."""
        for key, value in values.items():
            self._ready.setdefault(key, value)

    def _batch_load_or_errors(self, keys: list) -> list:
        # Batches run after graphql-core's own error handling has returned: a failure here must
        # become each waiting field's error, not an exception that escapes the view as a 500.
        try:
            return self.batch_load(keys)
        except Exception as error:
            logger.exception("Loader %s failed", type(self).__name__)
            return [error] * len(keys)

    def batch_load(self, keys: list) -> list:
        raise NotImplementedError


def selected_fields(info, *path: str) -> set[str]:
    """Names of the fields selected under ``path`` (e.g. ``"edges", "node"``) of the current field,
    through fragments."""
    def children(selection_sets):
        for selection_set in selection_sets:
            for selection in selection_set.selections if selection_set else ():
                if isinstance(selection, FieldNode):
                    yield selection
                elif isinstance(selection, FragmentSpreadNode):
                    yield from children([info.fragments[selection.name.value].selection_set])
                elif isinstance(selection, InlineFragmentNode):
                    yield from children([selection.selection_set])

    level = [node.selection_set for node in info.field_nodes]
    for name in path:
        level = [field.selection_set for field in children(level) if field.name.value == name]
    return {field.name.value for field in children(level)}


def get_loader(info_or_context: Any, loader_class: type[BaseLoader]) -> BaseLoader:
    context = getattr(info_or_context, "context", info_or_context)
    loaders = context.__dict__.setdefault("_graphql_loaders", {})
    loader = loaders.get(loader_class)
    if loader is None:
        loader = loaders[loader_class] = loader_class(context)
    return loader


def request_language(info) -> str:
    """Two-letter language of the request (Accept-Language via LocaleMiddleware), FR by default."""
    lang = getattr(info.context, "LANGUAGE_CODE", None) or settings.LANGUAGE_CODE
    return lang[:2].lower()
