"""Public key discovery for clients that verify our tokens themselves."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from .jwt import get_jwks


@require_GET
@cache_control(public=True, max_age=3600)
def jwks_view(request: HttpRequest) -> JsonResponse:
    return JsonResponse(get_jwks())
