"""Back-office view of the thumbnail cache: federation staff may inspect it and clear entries."""

from __future__ import annotations

from django.contrib import admin

from saleor_ext.core.admin import FederationOnlyAdminMixin

from .models import Thumbnail


@admin.register(Thumbnail)
class ThumbnailAdmin(FederationOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "size", "format", "product_media", "category", "collection")
    list_filter = ("format", "size")
    search_fields = ("image",)
    raw_id_fields = ("product_media", "category", "collection")
    show_full_result_count = False

    # Thumbnails are made by the thumbnail view; a deleted one is simply made again on next request.
    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False
