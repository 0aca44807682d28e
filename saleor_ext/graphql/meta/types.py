"""Saleor's ``ObjectWithMetadata`` interface and the metadata mutations' error type."""

from __future__ import annotations

import graphene

from ..core.types import MetadataItem


class MetadataErrorCode(graphene.Enum):
    GRAPHQL_ERROR = "graphql_error"
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    REQUIRED = "required"
    NOT_UPDATED = "not_updated"


class MetadataError(graphene.ObjectType):
    field = graphene.String()
    message = graphene.String()
    code = graphene.Field(MetadataErrorCode, required=True)


class ObjectWithMetadata(graphene.Interface):
    """An object whose public metadata can be read (and, for a checkout, written by its holder)."""

    # No resolve_type: graphene finds the implementing type by its Meta.possible_types (its roots' models).

    metadata = graphene.List(graphene.NonNull(MetadataItem), required=True)
    metafield = graphene.String(key=graphene.String(required=True))
