"""The shopper's account: register, confirm, passwords, profile and deletion (Saleor's mutations)."""

from __future__ import annotations

import graphene
from django.contrib.auth import SESSION_KEY, update_session_auth_hash

from saleor_ext.account import services
from saleor_ext.account.jwt import jwt_issuer

from ...core.enums import enum_value
from ...core.mutations import AUTHENTICATED_USER
from ...core.permissions import get_user
from ...core.types import LanguageCodeEnum
from ..types import AddressInput, MetadataInput, User
from .base import AccountPayloadMutation, address_data, forget_address_book, request_language, target_user


class AccountRegisterInput(graphene.InputObjectType):
    first_name = graphene.String()
    last_name = graphene.String()
    language_code = graphene.InputField(LanguageCodeEnum)
    email = graphene.String(required=True)
    password = graphene.String(required=True)
    redirect_url = graphene.String(
        description="Storefront page the confirmation link opens, with `email` and `token` added to its query."
    )
    metadata = graphene.List(graphene.NonNull(MetadataInput))
    channel = graphene.String(description="Slug of the channel the shopper registers from.")


class AccountInput(graphene.InputObjectType):
    first_name = graphene.String()
    last_name = graphene.String()
    language_code = graphene.InputField(LanguageCodeEnum)
    default_billing_address = graphene.InputField(AddressInput)
    default_shipping_address = graphene.InputField(AddressInput)
    metadata = graphene.List(graphene.NonNull(MetadataInput))


class AccountRegister(AccountPayloadMutation):
    """Create a shopper's account; when confirmation is on, a link to `redirectUrl` is e-mailed first."""

    user = graphene.Field(User, deprecation_reason="Confirmation may be pending: read `requiresConfirmation`.")
    requires_confirmation = graphene.Boolean()

    class Arguments:
        input = AccountRegisterInput(required=True)

    @classmethod
    def perform_mutation(cls, info, input):
        user, requires_confirmation = services.register_account(
            email=input["email"],
            password=input["password"],
            first_name=input.get("first_name"),
            last_name=input.get("last_name"),
            language_code=enum_value(input.get("language_code")),
            channel=input.get("channel"),
            redirect_url=input.get("redirect_url"),
            metadata=input.get("metadata"),
            request_language=request_language(info),
        )
        return cls(user=user, requires_confirmation=requires_confirmation)


class ConfirmAccount(AccountPayloadMutation):
    """Confirm an account with the token of its confirmation e-mail."""

    user = graphene.Field(User)

    class Arguments:
        email = graphene.String(required=True)
        password = graphene.String(description="Sets the account's password at the same time.")
        token = graphene.String(required=True)

    @classmethod
    def perform_mutation(cls, info, email, token, password=None):
        return cls(user=services.confirm_account(email=email, token=token, password=password))


class RequestPasswordReset(AccountPayloadMutation):
    """E-mail a password-reset link; the answer does not tell whether the e-mail has an account."""

    class Arguments:
        channel = graphene.String()
        email = graphene.String(required=True)
        redirect_url = graphene.String(required=True)

    @classmethod
    def perform_mutation(cls, info, email, redirect_url, channel=None):
        services.request_password_reset(
            email=email, redirect_url=redirect_url, channel=channel, request_language=request_language(info)
        )
        return cls()


class SetPassword(AccountPayloadMutation):
    """Choose a new password with the reset token, and log in: returns tokens like tokenCreate."""

    token = graphene.String()
    refresh_token = graphene.String()
    csrf_token = graphene.String()
    user = graphene.Field(User)

    class Arguments:
        email = graphene.String(required=True)
        password = graphene.String(required=True)
        token = graphene.String(required=True)

    @classmethod
    def perform_mutation(cls, info, email, password, token):
        user = services.set_password(email=email, token=token, password=password)
        tokens = services.issue_tokens(user=user, issuer=jwt_issuer(info.context))
        return cls(
            token=tokens.access_token, refresh_token=tokens.refresh_token, csrf_token=tokens.csrf_token, user=user
        )


class PasswordChange(AccountPayloadMutation):
    """Change the logged-in user's password."""

    user = graphene.Field(User)

    class Arguments:
        new_password = graphene.String(required=True)
        old_password = graphene.String()

    class Meta:
        permissions = (AUTHENTICATED_USER,)

    @classmethod
    def perform_mutation(cls, info, new_password, old_password=None):
        user = get_user(info)
        services.change_password(user=user, new_password=new_password, old_password=old_password)
        request = info.context
        # A back-office session stays logged in; a JWT caller gets no session made for it.
        if getattr(request, "session", None) is not None and request.session.get(SESSION_KEY):
            update_session_auth_hash(request, user)
        return cls(user=user)


class AccountUpdate(AccountPayloadMutation):
    """Update the logged-in user's profile (or a customer's, for staff managing users)."""

    user = graphene.Field(User)

    class Arguments:
        customer_id = graphene.ID(description="A customer to update; needs MANAGE_USERS.")
        input = AccountInput(required=True)

    class Meta:
        permissions = (AUTHENTICATED_USER,)

    @classmethod
    def perform_mutation(cls, info, input, customer_id=None):
        user = target_user(info, customer_id)
        billing, shipping = input.get("default_billing_address"), input.get("default_shipping_address")
        services.update_account(
            user=user,
            first_name=input.get("first_name"),
            last_name=input.get("last_name"),
            language_code=enum_value(input.get("language_code")),
            default_billing_address=address_data(billing) if billing is not None else None,
            default_shipping_address=address_data(shipping) if shipping is not None else None,
            metadata=input.get("metadata"),
        )
        forget_address_book(user)
        return cls(user=user)


class AccountRequestDeletion(AccountPayloadMutation):
    """E-mail the logged-in user a link whose token confirms the deletion of their account."""

    class Arguments:
        channel = graphene.String()
        redirect_url = graphene.String(required=True)

    class Meta:
        permissions = (AUTHENTICATED_USER,)

    @classmethod
    def perform_mutation(cls, info, redirect_url, channel=None):
        services.request_account_deletion(
            user=get_user(info), redirect_url=redirect_url, channel=channel, request_language=request_language(info)
        )
        return cls()


class AccountDelete(AccountPayloadMutation):
    """Delete the logged-in user's account with the token of the deletion e-mail."""

    user = graphene.Field(User)

    class Arguments:
        token = graphene.String(required=True)

    class Meta:
        permissions = (AUTHENTICATED_USER,)

    @classmethod
    def perform_mutation(cls, info, token):
        user = get_user(info)
        pk = user.pk
        services.delete_account(user=user, token=token)
        # The answer still names who was deleted.
        user.pk = pk
        return cls(user=user)
