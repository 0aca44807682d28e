"""``updateMetadata``: the storefront stores a checkout's marketing-consent keys without logging in."""

from __future__ import annotations

import uuid

import graphene
from django.core.exceptions import ValidationError

from saleor_ext.checkout import services as checkout_services

from ..account.types import MetadataInput
from ..core.errors import PermissionDenied
from ..core.ids import decode_global_id
from .types import MetadataError, ObjectWithMetadata


def _error(field: str, message: str, code: str) -> MetadataError:
    return MetadataError(field=field, message=message, code=code)


class UpdateMetadata(graphene.Mutation):
    """Add or change public metadata keys. Knowing a checkout's id is the permission to write its
    metadata, as in Saleor; other objects' metadata is managed in the back-office and refused here."""

    errors = graphene.List(graphene.NonNull(MetadataError), required=True)
    metadata_errors = graphene.List(graphene.NonNull(MetadataError), required=True, deprecation_reason="deprecated")
    item = graphene.Field(ObjectWithMetadata)

    class Arguments:
        id = graphene.ID(required=True)
        input = graphene.List(graphene.NonNull(MetadataInput), required=True)

    @classmethod
    def _failure(cls, error: MetadataError):
        return cls(errors=[error], metadata_errors=[error], item=None)

    @classmethod
    def mutate(cls, _root, _info, id, input):
        try:
            kind, pk = decode_global_id(id)
        except Exception:  # noqa: BLE001 - any undecodable id is the caller's mistake
            return cls._failure(_error("id", f"Couldn't resolve id: {id}.", "graphql_error"))
        if kind != "Checkout":
            raise PermissionDenied(
                f"The metadata of a {kind} cannot be changed through the API; only a checkout's can."
            )
        try:
            token = uuid.UUID(str(pk))
        except ValueError:
            return cls._failure(_error("id", f"Couldn't resolve id: {id}.", "graphql_error"))
        items = {entry.key: entry.value for entry in input}
        if any(not key.strip() for key in items):
            return cls._failure(_error("input", "Metadata key cannot be empty.", "required"))
        try:
            checkout = checkout_services.update_metadata(token, items)
        except ValidationError as error:
            field, errors = next(iter(error.error_dict.items()))
            code = "not_found" if errors[0].code == "not_found" else "not_updated"
            return cls._failure(_error(field, errors[0].messages[0], code))
        return cls(errors=[], metadata_errors=[], item=checkout)


class MetaMutations(graphene.ObjectType):
    update_metadata = UpdateMetadata.Field()
