"""Back-office for the shop-wide settings (one row)."""

from __future__ import annotations

from django.contrib import admin

from saleor_ext.core.admin import GlobalDataAdminMixin

from .models import SiteSettings


@admin.register(SiteSettings)
class SiteSettingsAdmin(GlobalDataAdminMixin, admin.ModelAdmin):
    list_display = ("name", "domain", "track_inventory_by_default", "limit_quantity_per_checkout")

    def has_add_permission(self, request, *args):
        return super().has_add_permission(request) and not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
