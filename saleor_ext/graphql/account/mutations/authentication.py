"""tokenCreate, tokenRefresh, tokenVerify and tokensDeactivateAll: JWT log-in as Saleor does it."""

from __future__ import annotations

import graphene
from django.core.exceptions import ValidationError

from saleor_ext.account import services
from saleor_ext.account.error_codes import AccountErrorCode as Codes
from saleor_ext.account.jwt import jwt_issuer

from ...core.errors import PermissionDenied, validation_error_to_list
from ...core.permissions import get_user
from ...core.scalars import GenericScalar
from ..types import AccountError, User

REFRESH_TOKEN_COOKIE = "refreshToken"


def _errors_field():
    return graphene.List(graphene.NonNull(AccountError), required=True)


def _account_errors(error: ValidationError) -> list[AccountError]:
    return validation_error_to_list(error, AccountError, Codes)


class CreateToken(graphene.Mutation):
    """Log in with an e-mail and password; returns an access token and a refresh token."""

    token = graphene.String()
    refresh_token = graphene.String()
    csrf_token = graphene.String()
    user = graphene.Field(User)
    account_errors = graphene.Field(
        graphene.List(graphene.NonNull(AccountError)), required=True, deprecation_reason="Use `errors`."
    )
    errors = _errors_field()

    class Arguments:
        audience = graphene.String(description="Adds `custom:<audience>` as the tokens' `aud` claim.")
        email = graphene.String(required=True)
        password = graphene.String(required=True)

    @staticmethod
    def mutate(_root, info, email, password, audience=None):
        try:
            user = services.authenticate_by_credentials(email=email, password=password)
        except ValidationError as error:
            errors = _account_errors(error)
            return CreateToken(errors=errors, account_errors=errors)
        tokens = services.issue_tokens(user=user, issuer=jwt_issuer(info.context), audience=audience)
        # The session user stays anonymous: the rest of this request must not see the new login.
        return CreateToken(
            token=tokens.access_token,
            refresh_token=tokens.refresh_token,
            csrf_token=tokens.csrf_token,
            user=user,
            errors=[],
            account_errors=[],
        )


class RefreshToken(graphene.Mutation):
    """A new access token from a refresh token (argument, or the `refreshToken` cookie with its CSRF token)."""

    token = graphene.String()
    user = graphene.Field(User)
    account_errors = graphene.Field(
        graphene.List(graphene.NonNull(AccountError)), required=True, deprecation_reason="Use `errors`."
    )
    errors = _errors_field()

    class Arguments:
        csrf_token = graphene.String()
        refresh_token = graphene.String()

    @staticmethod
    def mutate(_root, info, csrf_token=None, refresh_token=None):
        try:
            token, user = services.refresh_access_token(
                refresh_token=refresh_token,
                csrf_token=csrf_token,
                cookie_token=info.context.COOKIES.get(REFRESH_TOKEN_COOKIE),
                issuer=jwt_issuer(info.context),
            )
        except ValidationError as error:
            errors = _account_errors(error)
            return RefreshToken(errors=errors, account_errors=errors)
        return RefreshToken(token=token, user=user, errors=[], account_errors=[])


class VerifyToken(graphene.Mutation):
    """Whether a token is valid now, with its claims and user."""

    user = graphene.Field(User)
    is_valid = graphene.Boolean(required=True)
    payload = GenericScalar()
    account_errors = graphene.Field(
        graphene.List(graphene.NonNull(AccountError)), required=True, deprecation_reason="Use `errors`."
    )
    errors = _errors_field()

    class Arguments:
        token = graphene.String(required=True)

    @staticmethod
    def mutate(_root, _info, token):
        try:
            user, payload = services.verify_token(token=token)
        except ValidationError as error:
            errors = _account_errors(error)
            return VerifyToken(is_valid=False, errors=errors, account_errors=errors)
        return VerifyToken(user=user, is_valid=True, payload=payload, errors=[], account_errors=[])


class DeactivateAllUserTokens(graphene.Mutation):
    """Revoke every token of the logged-in user."""

    account_errors = graphene.Field(
        graphene.List(graphene.NonNull(AccountError)), required=True, deprecation_reason="Use `errors`."
    )
    errors = _errors_field()

    @staticmethod
    def mutate(_root, info):
        user = get_user(info)
        if user is None:
            raise PermissionDenied("To access this path, you need to be an authenticated user.")
        services.deactivate_all_tokens(user=user)
        return DeactivateAllUserTokens(errors=[], account_errors=[])
