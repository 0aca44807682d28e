"""Who is calling the API. JWT bearer tokens are decoded by saleor_ext.account.jwt."""

from __future__ import annotations

from django.http import HttpRequest

from .jwt import get_user_from_access_token


def get_token_from_request(request: HttpRequest) -> str | None:
    """Saleor accepts ``Authorization: Bearer <t>``, ``Authorization: JWT <t>`` and ``Authorization-Bearer``."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    prefix, _, token = header.partition(" ")
    if prefix.lower() in {"bearer", "jwt"} and token.strip():
        return token.strip()
    return request.META.get("HTTP_AUTHORIZATION_BEARER") or None


def authenticate_request(request: HttpRequest):
    """The user a bearer token names, or ``None`` when no token is sent (the session user stays)."""
    token = get_token_from_request(request)
    if token is None:
        return None
    return get_user_from_access_token(token)
