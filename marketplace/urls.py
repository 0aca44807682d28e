from django.conf import settings
from django.contrib import admin
from django.urls import path
from django.views.static import serve

from storefront import views as storefront_views

urlpatterns = [
    path("", storefront_views.home, name="home"),
    path("admin/", admin.site.urls),
    path("dashboard/", admin.site.urls),
    path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}),
]
