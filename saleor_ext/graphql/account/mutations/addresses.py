"""The logged-in user's address book (Saleor's accountAddress* and accountSetDefaultAddress)."""

from __future__ import annotations

import graphene

from saleor_ext.account import address_book
from saleor_ext.account.error_codes import AccountErrorCode as Codes

from ...core.enums import enum_value
from ...core.ids import input_pk
from ...core.mutations import AUTHENTICATED_USER
from ...core.permissions import get_user
from ..enums import AddressTypeEnum
from ..types import Address, AddressInput, User
from .base import AccountPayloadMutation, address_data, forget_address_book, may_skip_validation, target_user


def _owned(address, user):
    forget_address_book(user)
    address._owner = user
    return address


def _own_address(info, global_id: str):
    """One of the logged-in user's addresses; another's is NOT_FOUND."""
    return address_book.get_user_address(get_user(info), input_pk(global_id, "Address", field="id", codes=Codes))


def _skip_validation(info, input) -> bool:
    # Shoppers' addresses are always checked; staff managing users may store one as given.
    return bool(input.get("skip_validation")) and may_skip_validation(info)


class _AddressBookMutation(AccountPayloadMutation):
    class Meta:
        abstract = True

    permissions = (AUTHENTICATED_USER,)


class AccountAddressCreate(_AddressBookMutation):
    """Add an address to the book; `type` makes it the default shipping or billing address."""

    user = graphene.Field(User)
    address = graphene.Field(Address)

    class Arguments:
        customer_id = graphene.ID(description="A customer whose book to add to; needs MANAGE_USERS.")
        input = AddressInput(required=True)
        type = AddressTypeEnum()

    @classmethod
    def perform_mutation(cls, info, input, type=None, customer_id=None):
        user = target_user(info, customer_id)
        address = address_book.create_address(
            user=user,
            data=address_data(input),
            address_type=enum_value(type),
            skip_validation=_skip_validation(info, input),
        )
        return cls(user=user, address=_owned(address, user))


class AccountAddressUpdate(_AddressBookMutation):
    """Change fields of one of the logged-in user's addresses."""

    user = graphene.Field(User)
    address = graphene.Field(Address)

    class Arguments:
        id = graphene.ID(required=True)
        input = AddressInput(required=True)

    @classmethod
    def perform_mutation(cls, info, id, input):
        user = get_user(info)
        address = address_book.update_address(
            user=user,
            address=_own_address(info, id),
            data=address_data(input),
            skip_validation=_skip_validation(info, input),
        )
        return cls(user=user, address=_owned(address, user))


class AccountAddressDelete(_AddressBookMutation):
    """Remove one of the logged-in user's addresses."""

    user = graphene.Field(User)
    address = graphene.Field(Address)

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform_mutation(cls, info, id):
        user = get_user(info)
        deleted = address_book.delete_address(user=user, address=_own_address(info, id))
        forget_address_book(user)
        return cls(user=user, address=deleted)


class AccountSetDefaultAddress(_AddressBookMutation):
    """Make one of the logged-in user's addresses their default shipping or billing address."""

    user = graphene.Field(User)

    class Arguments:
        id = graphene.ID(required=True)
        type = AddressTypeEnum(required=True)

    @classmethod
    def perform_mutation(cls, info, id, type):
        user = get_user(info)
        address_book.set_default_address(user=user, address=_own_address(info, id), address_type=enum_value(type))
        forget_address_book(user)
        return cls(user=user)
