"""Back-office for channels: reference data of the federation."""

from __future__ import annotations

from django.contrib import admin

from saleor_ext.core.admin import GlobalDataAdminMixin

from .models import Channel


@admin.register(Channel)
class ChannelAdmin(GlobalDataAdminMixin, admin.ModelAdmin):
    list_display = ("slug", "name", "is_active", "currency_code", "default_country", "vendor")
    list_select_related = ("vendor",)
    list_filter = ("is_active", "currency_code")
    search_fields = ("slug", "name", "vendor__name")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("vendor",)
