"""What the account mutations share: the payload's error lists, log-in checks, ids and request language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import graphene
from django.core.exceptions import ValidationError
from graphql import GraphQLError

from saleor_ext.account.error_codes import AccountErrorCode as Codes
from saleor_ext.account.models import User as UserModel

from ...core.errors import PermissionDenied, validation_error_to_list
from ...core.ids import from_global_id_or_error
from ...core.permissions import get_user, require_permissions
from ..types import AccountError


def account_errors(error: ValidationError) -> list[AccountError]:
    return validation_error_to_list(error, AccountError, Codes)


class AccountPayload:
    """``errors`` (and the deprecated ``accountErrors``) of every account mutation."""

    errors = graphene.List(graphene.NonNull(AccountError), required=True)
    account_errors = graphene.List(graphene.NonNull(AccountError), required=True, deprecation_reason="Use `errors`.")

    @classmethod
    def run(cls, action: Callable[[], dict[str, Any]]):
        """The payload of ``action()``'s fields, or of its validation errors."""
        try:
            payload = action()
        except ValidationError as error:
            errors = account_errors(error)
            return cls(errors=errors, account_errors=errors)
        return cls(errors=[], account_errors=[], **payload)


def require_login(info) -> UserModel:
    user = get_user(info)
    if user is None:
        raise PermissionDenied("To access this path, you need to be an authenticated user.")
    return user


def decode_id(global_id: str, type_name: str, field: str = "id") -> str:
    """The key of an ID of ``type_name``; a GRAPHQL_ERROR on ``field`` when it is not one."""
    try:
        return from_global_id_or_error(global_id, type_name)
    except GraphQLError:
        raise ValidationError(
            {field: ValidationError(f"Couldn't resolve id: {global_id}.", code=Codes.GRAPHQL_ERROR.value)}
        ) from None


def target_user(info, customer_id: str | None) -> UserModel:
    """The logged-in user, or the customer a staff member managing users names with ``customerId``."""
    user = require_login(info)
    if not customer_id:
        return user
    require_permissions(info, ["MANAGE_USERS"])
    customer = UserModel.objects.filter(pk=decode_id(customer_id, "User", "customer_id")).first()
    if customer is None:
        raise ValidationError({"customer_id": ValidationError("User not found.", code=Codes.NOT_FOUND.value)})
    return customer


def forget_address_book(user: UserModel) -> None:
    """Drop the address list ``User.addresses`` kept on the user for this request: the book changed."""
    user.__dict__.pop("_address_book", None)


def may_skip_validation(info) -> bool:
    from ...core.permissions import has_one_of_permissions

    return has_one_of_permissions(get_user(info), ["MANAGE_USERS"])


def request_language(info) -> str | None:
    return getattr(info.context, "LANGUAGE_CODE", None)


def enum_value(value):
    """Graphene hands enum inputs over as members; services take their values."""
    return getattr(value, "value", value)


def address_data(input: dict) -> dict:
    """An AddressInput as a plain dict for the address functions (enum members become codes)."""
    return {key: enum_value(value) for key, value in dict(input).items() if key != "skip_validation"}
