"""tokenCreate, tokenRefresh, tokenVerify and tokensDeactivateAll: JWT log-in as Saleor does it."""

from __future__ import annotations

import graphene

from saleor_ext.account import services
from saleor_ext.account.jwt import jwt_issuer

from ...core.mutations import AUTHENTICATED_USER
from ...core.permissions import get_user
from ...core.scalars import GenericScalar
from ..types import User
from .base import AccountMutation

REFRESH_TOKEN_COOKIE = "refreshToken"


class CreateToken(AccountMutation):
    """Log in with an e-mail and password; returns an access token and a refresh token."""

    token = graphene.String()
    refresh_token = graphene.String()
    csrf_token = graphene.String()
    user = graphene.Field(User)

    class Arguments:
        audience = graphene.String(description="Adds `custom:<audience>` as the tokens' `aud` claim.")
        email = graphene.String(required=True)
        password = graphene.String(required=True)

    @classmethod
    def perform_mutation(cls, info, email, password, audience=None):
        user = services.authenticate_by_credentials(email=email, password=password)
        tokens = services.issue_tokens(user=user, issuer=jwt_issuer(info.context), audience=audience)
        # The session user stays anonymous: the rest of this request must not see the new login.
        return cls(
            token=tokens.access_token, refresh_token=tokens.refresh_token, csrf_token=tokens.csrf_token, user=user
        )


class RefreshToken(AccountMutation):
    """A new access token from a refresh token (argument, or the `refreshToken` cookie with its CSRF token)."""

    token = graphene.String()
    user = graphene.Field(User)

    class Arguments:
        csrf_token = graphene.String()
        refresh_token = graphene.String()

    @classmethod
    def perform_mutation(cls, info, csrf_token=None, refresh_token=None):
        token, user = services.refresh_access_token(
            refresh_token=refresh_token,
            csrf_token=csrf_token,
            cookie_token=info.context.COOKIES.get(REFRESH_TOKEN_COOKIE),
            issuer=jwt_issuer(info.context),
        )
        return cls(token=token, user=user)


class VerifyToken(AccountMutation):
    """Whether a token is valid now, with its claims and user."""

    user = graphene.Field(User)
    is_valid = graphene.Boolean(required=True)
    payload = GenericScalar()

    class Arguments:
        token = graphene.String(required=True)

    @staticmethod
    def resolve_is_valid(root, _info) -> bool:
        return not root.errors

    @classmethod
    def perform_mutation(cls, info, token):
        user, payload = services.verify_token(token=token)
        return cls(user=user, payload=payload)


class DeactivateAllUserTokens(AccountMutation):
    """Revoke every token of the logged-in user."""

    class Meta:
        permissions = (AUTHENTICATED_USER,)

    @classmethod
    def perform_mutation(cls, info):
        services.deactivate_all_tokens(user=get_user(info))
        return cls()
