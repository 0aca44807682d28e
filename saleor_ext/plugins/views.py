"""The one view behind every plugin's URLs (``/plugins/<plugin url name>/<path>``): the site's
URL configuration names no plugin, the manager finds the one that answers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from .manager import get_plugins_manager


# Callers are other systems (payment providers' webhooks), which carry no CSRF token: each
# plugin authenticates its own requests (Stripe: the signature of the body).
@csrf_exempt
def plugin_webhook(request: HttpRequest, plugin_url_name: str, path: str = "") -> HttpResponse:
    return get_plugins_manager().webhook(request, plugin_url_name, path)
