from __future__ import annotations

import graphene

from ..core.permissions import get_user
from .enums import CountryCode
from .mutations.account import (
    AccountDelete,
    AccountRegister,
    AccountRequestDeletion,
    AccountUpdate,
    ConfirmAccount,
    PasswordChange,
    RequestPasswordReset,
    SetPassword,
)
from .mutations.addresses import (
    AccountAddressCreate,
    AccountAddressDelete,
    AccountAddressUpdate,
    AccountSetDefaultAddress,
)
from .mutations.authentication import CreateToken, DeactivateAllUserTokens, RefreshToken, VerifyToken
from .resolvers import resolve_address_validation_rules
from .types import AddressValidationData, User


class AccountQueries(graphene.ObjectType):
    me = graphene.Field(User, description="The logged-in user; null for anonymous callers.")
    address_validation_rules = graphene.Field(
        AddressValidationData,
        country_code=graphene.Argument(CountryCode, required=True),
        country_area=graphene.String(),
        city=graphene.String(),
        city_area=graphene.String(),
        description="How addresses of a country are written and checked (fields, postal codes, areas).",
    )

    @staticmethod
    def resolve_me(_root, info):
        return get_user(info)

    @staticmethod
    def resolve_address_validation_rules(_root, _info, country_code, country_area=None, city=None, city_area=None):
        code = getattr(country_code, "value", country_code)
        return resolve_address_validation_rules(code, country_area, city, city_area)


class AccountMutations(graphene.ObjectType):
    token_create = CreateToken.Field()
    token_refresh = RefreshToken.Field()
    token_verify = VerifyToken.Field()
    tokens_deactivate_all = DeactivateAllUserTokens.Field()
    account_register = AccountRegister.Field()
    confirm_account = ConfirmAccount.Field()
    request_password_reset = RequestPasswordReset.Field()
    set_password = SetPassword.Field()
    password_change = PasswordChange.Field()
    account_update = AccountUpdate.Field()
    account_address_create = AccountAddressCreate.Field()
    account_address_update = AccountAddressUpdate.Field()
    account_address_delete = AccountAddressDelete.Field()
    account_set_default_address = AccountSetDefaultAddress.Field()
    account_request_deletion = AccountRequestDeletion.Field()
    account_delete = AccountDelete.Field()
