"""Log-in and token life cycle (tokenCreate, tokenRefresh, tokenVerify, tokensDeactivateAll)."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import Any

import jwt as pyjwt
from django.core.exceptions import ValidationError
from django.utils import timezone

from saleor_ext.site.models import SiteSettings

from . import jwt
from .error_codes import AccountErrorCode
from .models import User, _new_jwt_key


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    refresh_token: str
    csrf_token: str


def _error(field: str, message: str, code: AccountErrorCode) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code.value)})


def _jwt_error(field: str, error: pyjwt.PyJWTError) -> ValidationError:
    if isinstance(error, pyjwt.ExpiredSignatureError):
        code, message = AccountErrorCode.JWT_SIGNATURE_EXPIRED, "Signature has expired."
    elif isinstance(error, pyjwt.DecodeError):
        code, message = AccountErrorCode.JWT_DECODE_ERROR, "Error decoding signature."
    else:
        code, message = AccountErrorCode.JWT_INVALID_TOKEN, str(error) or "Invalid token."
    return _error(field, message, code)


def authenticate_by_credentials(*, email: str, password: str) -> User:
    """The user who may log in with these credentials; a ValidationError on field ``email`` otherwise."""
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        # Hash anyway so that response time does not tell which e-mails have accounts.
        User().set_password(password)
        raise _error("email", "Please, enter valid credentials", AccountErrorCode.INVALID_CREDENTIALS)
    if not user.check_password(password):
        raise _error("email", "Please, enter valid credentials", AccountErrorCode.INVALID_CREDENTIALS)
    if not user.is_confirmed and not SiteSettings.get().allow_login_without_confirmation:
        raise _error("email", "Account needs to be confirmed via email.", AccountErrorCode.ACCOUNT_NOT_CONFIRMED)
    if not user.is_active:
        raise _error("email", "Account inactive.", AccountErrorCode.INACTIVE)
    return user


def issue_tokens(*, user: User, issuer: str, audience: str | None = None) -> IssuedTokens:
    """A new access/refresh pair; the refresh token is bound to a fresh CSRF token."""
    csrf_token = secrets.token_urlsafe(32)
    tokens = IssuedTokens(
        access_token=jwt.create_access_token(user, issuer=issuer, audience=audience),
        refresh_token=jwt.create_refresh_token(user, issuer=issuer, csrf_token=csrf_token, audience=audience),
        csrf_token=csrf_token,
    )
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    return tokens


def refresh_access_token(
    *, refresh_token: str | None, csrf_token: str | None, cookie_token: str | None, issuer: str
) -> tuple[str, User]:
    """A new access token from a refresh token.

    A token passed as an argument is enough on its own; one taken from the cookie must come with
    the CSRF token it was issued with, because browsers send cookies on cross-site requests too.
    """
    token = refresh_token or cookie_token
    if not token:
        raise _error("refresh_token", "Missing refreshToken", AccountErrorCode.JWT_MISSING_TOKEN)
    try:
        payload = jwt.decode_token(token)
        user = jwt.get_user_from_payload(payload, token_types=(jwt.REFRESH,))
    except pyjwt.PyJWTError as error:
        raise _jwt_error("refresh_token", error) from None
    if not refresh_token:
        expected = str(payload.get("csrfToken") or "")
        if not csrf_token or not expected or not hmac.compare_digest(csrf_token, expected):
            raise _error("csrf_token", "Invalid csrf token", AccountErrorCode.JWT_INVALID_CSRF_TOKEN)
    audience = payload.get("aud")
    if isinstance(audience, str) and audience.startswith("custom:"):
        audience = audience.removeprefix("custom:")
    else:
        audience = None
    return jwt.create_access_token(user, issuer=issuer, audience=audience), user


def verify_token(*, token: str) -> tuple[User, dict[str, Any]]:
    """The user and claims of a valid access or refresh token."""
    try:
        payload = jwt.decode_token(token)
        user = jwt.get_user_from_payload(payload, token_types=(jwt.ACCESS, jwt.REFRESH))
    except pyjwt.PyJWTError as error:
        raise _jwt_error("token", error) from None
    return user, payload


def deactivate_all_tokens(*, user: User) -> None:
    """Revoke every token issued so far for ``user`` (log out everywhere)."""
    user.jwt_token_key = _new_jwt_key()
    user.save(update_fields=["jwt_token_key", "updated_at"])
