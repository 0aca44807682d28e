"""What the account mutations share: their error type, the customer staff may name, request language."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from saleor_ext.account.error_codes import AccountErrorCode as Codes
from saleor_ext.account.models import User as UserModel

from ...core.enums import enum_value
from ...core.ids import input_pk
from ...core.mutations import BaseMutation, error_list_field
from ...core.permissions import get_user, has_one_of_permissions, require_login, require_permissions
from ..types import AccountError


class AccountMutation(BaseMutation):
    """``errors`` (and the deprecated ``accountErrors``) of type AccountError, after the payload's fields."""

    class Meta:
        abstract = True

    error_type_class = AccountError
    error_code_enum = Codes
    error_type_field = "account_errors"


class AccountPayloadMutation(AccountMutation):
    """The same errors, before the payload's fields."""

    class Meta:
        abstract = True

    errors = error_list_field(AccountError)
    account_errors = error_list_field(AccountError, "Use `errors`.")


def target_user(info, customer_id: str | None) -> UserModel:
    """The logged-in user, or the customer a staff member managing users names with ``customerId``."""
    user = require_login(info)
    if not customer_id:
        return user
    require_permissions(info, ["MANAGE_USERS"])
    customer = UserModel.objects.filter(pk=input_pk(customer_id, "User", field="customer_id", codes=Codes)).first()
    if customer is None:
        raise ValidationError({"customer_id": ValidationError("User not found.", code=Codes.NOT_FOUND.value)})
    return customer


def forget_address_book(user: UserModel) -> None:
    """Drop the address list ``User.addresses`` kept on the user for this request: the book changed."""
    user.__dict__.pop("_address_book", None)


def may_skip_validation(info) -> bool:
    return has_one_of_permissions(get_user(info), ["MANAGE_USERS"])


def request_language(info) -> str | None:
    return getattr(info.context, "LANGUAGE_CODE", None)


def address_data(input: dict) -> dict:
    """An AddressInput as a plain dict for the address functions (enum members become codes)."""
    return {key: enum_value(value) for key, value in dict(input).items() if key != "skip_validation"}
