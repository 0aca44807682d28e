from django.conf import settings
from django.contrib import admin
from django.urls import path, re_path
from django.views.generic import RedirectView
from django.views.static import serve

from saleor_ext.account.views import jwks_view
from saleor_ext.graphql.views import graphql_view
from saleor_ext.plugins.views import plugin_webhook
from saleor_ext.thumbnail.views import thumbnail_view
from storefront import views as storefront_views

urlpatterns = [
    path("", storefront_views.home, name="home"),
    path("graphql/", graphql_view, name="api"),
    path(".well-known/jwks.json", jwks_view, name="jwks"),
    # Each plugin's own URLs (Stripe's webhooks: /plugins/stripe/webhooks/), answered through the manager.
    path("plugins/<slug:plugin_url_name>/<path:path>", plugin_webhook, name="plugin-webhook"),
    re_path(
        r"^thumbnail/(?P<kind>media|category|collection)/(?P<instance_id>\d{1,18})/(?P<size>\d{1,5})/"
        r"(?P<image_format>original|webp|avif)/$",
        thumbnail_view,
        name="thumbnail",
    ),
    path("dashboard/", admin.site.urls),
    re_path(r"^admin/(?P<rest>.*)$", RedirectView.as_view(url="/dashboard/%(rest)s", permanent=False)),
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
]
