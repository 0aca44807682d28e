"""Metadata fields of order rows that keep none."""

from __future__ import annotations

import graphene

from ...core.scalars import Metadata
from ...core.types import MetadataItem


class EmptyMetadata(graphene.ObjectType):
    """``ObjectWithMetadata`` fields of a row without metadata columns: always empty."""

    class Meta:
        abstract = True

    private_metadata = graphene.List(graphene.NonNull(MetadataItem), required=True)
    private_metafield = graphene.String(key=graphene.String(required=True))
    private_metafields = graphene.Field(Metadata, keys=graphene.List(graphene.NonNull(graphene.String)))
    metadata = graphene.List(graphene.NonNull(MetadataItem), required=True)
    metafield = graphene.String(key=graphene.String(required=True))
    metafields = graphene.Field(Metadata, keys=graphene.List(graphene.NonNull(graphene.String)))

    @staticmethod
    def resolve_private_metadata(_root, _info):
        return []

    @staticmethod
    def resolve_private_metafield(_root, _info, key):
        return None

    @staticmethod
    def resolve_private_metafields(_root, _info, keys=None):
        return {}

    @staticmethod
    def resolve_metadata(_root, _info):
        return []

    @staticmethod
    def resolve_metafield(_root, _info, key):
        return None

    @staticmethod
    def resolve_metafields(_root, _info, keys=None):
        return {}


def pick_keys(metadata: dict, keys) -> dict:
    metadata = metadata or {}
    return dict(metadata) if keys is None else {k: v for k, v in metadata.items() if k in keys}
