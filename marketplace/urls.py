from django.conf import settings
from django.contrib import admin
from django.urls import path, re_path
from django.views.generic import RedirectView
from django.views.static import serve

from saleor_ext.graphql.views import graphql_view
from storefront import views as storefront_views

urlpatterns = [
    path("", storefront_views.home, name="home"),
    path("graphql/", graphql_view, name="api"),
    path("dashboard/", admin.site.urls),
    re_path(r"^admin/(?P<rest>.*)$", RedirectView.as_view(url="/dashboard/%(rest)s", permanent=False)),
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
]
