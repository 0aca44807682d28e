"""``updateMetadata``: the storefront stores a checkout's marketing-consent keys without logging in."""

from __future__ import annotations

import graphene

from saleor_ext.checkout import services as checkout_services
from saleor_ext.core.errors import validation_error

from ..account.types import MetadataInput
from ..core.errors import PermissionDenied
from ..core.ids import global_id_type, input_pk
from ..core.mutations import BaseMutation, error_list_field
from .types import MetadataError, MetadataErrorCode, ObjectWithMetadata


class UpdateMetadata(BaseMutation):
    """Add or change public metadata keys. Knowing a checkout's id is the permission to write its
    metadata, as in Saleor; other objects' metadata is managed in the back-office and refused here."""

    errors = error_list_field(MetadataError)
    metadata_errors = error_list_field(MetadataError, "deprecated")
    item = graphene.Field(ObjectWithMetadata)

    class Arguments:
        id = graphene.ID(required=True)
        input = graphene.List(graphene.NonNull(MetadataInput), required=True)

    class Meta:
        error_type_class = MetadataError
        error_code_enum = MetadataErrorCode
        error_type_field = "metadata_errors"
        # The checkout's own codes other than NOT_FOUND.
        unknown_error_code = MetadataErrorCode.NOT_UPDATED

    @classmethod
    def clean_input(cls, info, id, input):
        kind = global_id_type(id)
        if kind not in (None, "Checkout"):
            raise PermissionDenied(
                f"The metadata of a {kind} cannot be changed through the API; only a checkout's can."
            )
        token = input_pk(id, "Checkout", field="id", codes=MetadataErrorCode)
        items = {entry.key: entry.value for entry in input}
        if any(not key.strip() for key in items):
            raise validation_error("input", "Metadata key cannot be empty.", MetadataErrorCode.REQUIRED)
        return {"token": token, "items": items}

    @classmethod
    def perform_mutation(cls, info, token, items):
        return cls(item=checkout_services.update_metadata(token, items))


class MetaMutations(graphene.ObjectType):
    update_metadata = UpdateMetadata.Field()
