"""``BaseMutation``: the one spine of the API's mutations.

``mutate`` checks the permission (a refusal is a top-level PermissionDenied error), then runs
``clean_input`` and ``perform_mutation`` (in one transaction when ``atomic``) and answers
``errors: [XxxError!]!`` made from any ``ValidationError`` they or the domain services raised::

    class CheckoutEmailUpdate(BaseMutation):
        checkout = graphene.Field(Checkout)

        class Arguments:
            id = graphene.ID(required=True)
            email = graphene.String(required=True)

        class Meta:
            error_type_class = CheckoutError  # the type of ``errors``
            error_code_enum = CheckoutErrorCode  # the domain's codes (a Python or graphene Enum)
            error_type_field = "checkout_errors"  # Saleor's deprecated duplicate of ``errors``, if any
            error_id_params = {"variants": "ProductVariant"}  # error params holding pks: global IDs
            permissions = ("MANAGE_CHECKOUTS",)  # one of them; AUTHENTICATED_USER: logged in
            atomic = True

        @classmethod
        def clean_input(cls, info, id, email):  # the arguments, checked and decoded
            return {"token": input_pk(id, "Checkout", field="id", codes=CheckoutErrorCode), "email": email}

        @classmethod
        def perform_mutation(cls, info, token, email):  # the payload; ``errors`` are filled in
            return cls(checkout=services.update_email(token, email))

The Meta options may also be class attributes of an abstract base of a domain's mutations.
``errors`` and its duplicate are added after the declared fields (the duplicate first, as Saleor
prints them) unless the class declares them itself (``error_list_field``) to place them elsewhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import nullcontext
from enum import Enum
from types import MappingProxyType
from typing import Any, ClassVar

import graphene
from django.core.exceptions import ValidationError
from django.db import transaction

from .errors import validation_error_to_list
from .permissions import require_login, require_permissions

# A "permission" any logged-in user has.
AUTHENTICATED_USER = "AUTHENTICATED_USER"


def error_list_field(error_type: type[graphene.ObjectType], deprecation_reason: str | None = None) -> graphene.Field:
    """An ``[XxxError!]!`` field, for a mutation that places its ``errors`` itself."""
    return graphene.Field(
        graphene.List(graphene.NonNull(error_type)), required=True, deprecation_reason=deprecation_reason
    )


class BaseMutation(graphene.Mutation):
    class Meta:
        abstract = True

    error_type_class: ClassVar[type[graphene.ObjectType]]
    error_code_enum: ClassVar[type[Enum]]
    error_type_field: ClassVar[str | None] = None
    error_id_params: ClassVar[Mapping[str, str]] = MappingProxyType({})
    # The code a domain error gets when the API's enum lacks its own (None: such a code is a bug).
    unknown_error_code: ClassVar[Enum | None] = None
    permissions: ClassVar[tuple[str, ...]] = ()
    atomic: ClassVar[bool] = False

    @classmethod
    def __init_subclass_with_meta__(cls, **options):
        for name in BaseMutation.__annotations__:  # the options are the annotated class attributes
            if name in options:
                setattr(cls, name, options.pop(name))
        super().__init_subclass_with_meta__(**options)
        fields = cls._meta.fields
        if cls.error_type_field and cls.error_type_field not in fields:
            fields[cls.error_type_field] = error_list_field(cls.error_type_class, "Use `errors`.")
        if "errors" not in fields:
            fields["errors"] = error_list_field(cls.error_type_class)

    @classmethod
    def mutate(cls, _root, info, **data):
        cls.check_permissions(info)
        try:
            with transaction.atomic() if cls.atomic else nullcontext():
                payload = cls.perform_mutation(info, **cls.clean_input(info, **data))
            errors = []
        except ValidationError as error:
            payload = cls()
            errors = validation_error_to_list(
                error,
                cls.error_type_class,
                cls.error_code_enum,
                id_params=cls.error_id_params,
                unknown_code=cls.unknown_error_code,
            )
        payload.errors = errors
        if cls.error_type_field:
            setattr(payload, cls.error_type_field, errors)
        return payload

    @classmethod
    def check_permissions(cls, info) -> None:
        """Raise PermissionDenied unless the caller is logged in (for AUTHENTICATED_USER) and has
        one of the other ``permissions``."""
        if AUTHENTICATED_USER in cls.permissions:
            require_login(info)
        others = [name for name in cls.permissions if name != AUTHENTICATED_USER]
        if others:
            require_permissions(info, others)

    @classmethod
    def clean_input(cls, info, **data) -> dict[str, Any]:
        """The arguments ``perform_mutation`` receives, checked and decoded (ids to pks)."""
        return data

    @classmethod
    def perform_mutation(cls, info, **data) -> BaseMutation:
        """Call the domain's services; return the payload (``errors`` are filled in)."""
        raise NotImplementedError
