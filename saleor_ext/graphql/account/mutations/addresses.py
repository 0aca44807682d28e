"""The logged-in user's address book (Saleor's accountAddress* and accountSetDefaultAddress)."""

from __future__ import annotations

import graphene

from saleor_ext.account import address_book

from ..enums import AddressTypeEnum
from ..types import Address, AddressInput, User
from .base import (
    AccountPayload,
    address_data,
    decode_id,
    enum_value,
    forget_address_book,
    may_skip_validation,
    require_login,
    target_user,
)


def _owned(address, user):
    forget_address_book(user)
    address._owner = user
    return address


def _skip_validation(info, input) -> bool:
    # Shoppers' addresses are always checked; staff managing users may store one as given.
    return bool(input.get("skip_validation")) and may_skip_validation(info)


class AccountAddressCreate(AccountPayload, graphene.Mutation):
    """Add an address to the book; `type` makes it the default shipping or billing address."""

    user = graphene.Field(User)
    address = graphene.Field(Address)

    class Arguments:
        customer_id = graphene.ID(description="A customer whose book to add to; needs MANAGE_USERS.")
        input = AddressInput(required=True)
        type = AddressTypeEnum()

    @classmethod
    def mutate(cls, _root, info, input, type=None, customer_id=None):
        require_login(info)

        def action():
            user = target_user(info, customer_id)
            address = address_book.create_address(
                user=user,
                data=address_data(input),
                address_type=enum_value(type),
                skip_validation=_skip_validation(info, input),
            )
            return {"user": user, "address": _owned(address, user)}

        return cls.run(action)


class AccountAddressUpdate(AccountPayload, graphene.Mutation):
    """Change fields of one of the logged-in user's addresses."""

    user = graphene.Field(User)
    address = graphene.Field(Address)

    class Arguments:
        id = graphene.ID(required=True)
        input = AddressInput(required=True)

    @classmethod
    def mutate(cls, _root, info, id, input):
        user = require_login(info)

        def action():
            address = address_book.get_user_address(user, decode_id(id, "Address"))
            address = address_book.update_address(
                user=user, address=address, data=address_data(input), skip_validation=_skip_validation(info, input)
            )
            return {"user": user, "address": _owned(address, user)}

        return cls.run(action)


class AccountAddressDelete(AccountPayload, graphene.Mutation):
    """Remove one of the logged-in user's addresses."""

    user = graphene.Field(User)
    address = graphene.Field(Address)

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def mutate(cls, _root, info, id):
        user = require_login(info)

        def action():
            address = address_book.get_user_address(user, decode_id(id, "Address"))
            deleted = address_book.delete_address(user=user, address=address)
            forget_address_book(user)
            return {"user": user, "address": deleted}

        return cls.run(action)


class AccountSetDefaultAddress(AccountPayload, graphene.Mutation):
    """Make one of the logged-in user's addresses their default shipping or billing address."""

    user = graphene.Field(User)

    class Arguments:
        id = graphene.ID(required=True)
        type = AddressTypeEnum(required=True)

    @classmethod
    def mutate(cls, _root, info, id, type):
        user = require_login(info)

        def action():
            address = address_book.get_user_address(user, decode_id(id, "Address"))
            address_book.set_default_address(user=user, address=address, address_type=enum_value(type))
            forget_address_book(user)
            return {"user": user}

        return cls.run(action)
