"""The ERP sync in the back-office (first cut): every model reachable, scoped to the member's shop.

Pages with actions (test connection, sync now, category suggestions, push retries, conflict
resolution) are the next step; here the secret is never shown (only when it was set).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin

from saleor_ext.core.admin import VendorScopedAdminMixin, VendorScopedInlineMixin

from .models import CategoryMapping, ErpConflict, ErpConnection, ItemLink, SalePushJob, SyncRun, SyncRunIssue


class CategoryMappingInline(VendorScopedInlineMixin, admin.TabularInline):
    model = CategoryMapping
    vendor_path = "connection__vendor"
    extra = 0
    fields = ("erp_ref", "erp_name", "category")


class ErpConnectionForm(forms.ModelForm):
    # Write-only: the stored key or password is never sent back to the browser.
    secret = forms.CharField(
        label="API key or password", required=False, widget=forms.PasswordInput(render_value=False),
        help_text="Leave empty to keep the one already set.",
    )

    class Meta:
        model = ErpConnection
        fields = (
            "vendor", "kind", "url", "database", "login", "file_path", "field_mapping", "online_rule", "online_value",
            "warehouse", "default_category", "interval_minutes", "enabled",
        )


@admin.register(ErpConnection)
class ErpConnectionAdmin(VendorScopedAdminMixin, admin.ModelAdmin):
    form = ErpConnectionForm
    vendor_field = "vendor"
    list_display = ("vendor", "kind", "enabled", "interval_minutes", "last_success_at")
    readonly_fields = ("secret_status", "key_expires_at", "pos_stock_mode", "items_cursor",
                       "stock_cursor", "last_full_reconciliation_at", "last_run_started_at", "last_success_at")
    fields = (*ErpConnectionForm.Meta.fields, "secret", *readonly_fields)
    inlines = [CategoryMappingInline]

    def save_model(self, request, obj, form, change):
        if form.cleaned_data.get("secret"):
            obj.set_secret(form.cleaned_data["secret"])
        super().save_model(request, obj, form, change)


class SyncRunIssueInline(VendorScopedInlineMixin, admin.TabularInline):
    model = SyncRunIssue
    vendor_path = "run__connection__vendor"
    extra = 0
    can_delete = False
    readonly_fields = ("item_ref", "row_number", "reason", "rejected")

    def has_add_permission(self, request, obj=None):
        return False


class _ReadOnly:
    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SyncRun)
class SyncRunAdmin(_ReadOnly, VendorScopedAdminMixin, admin.ModelAdmin):
    vendor_path = "connection__vendor"
    list_display = ("connection", "kind", "status", "started_at", "seen", "created", "updated", "archived",
                    "rejected", "duration_seconds")
    list_filter = ("status", "kind")
    inlines = [SyncRunIssueInline]


@admin.register(ItemLink)
class ItemLinkAdmin(_ReadOnly, VendorScopedAdminMixin, admin.ModelAdmin):
    vendor_path = "connection__vendor"
    list_display = ("erp_ref", "product", "connection", "last_seen_at", "archived")
    search_fields = ("erp_ref",)


@admin.register(SalePushJob)
class SalePushJobAdmin(_ReadOnly, VendorScopedAdminMixin, admin.ModelAdmin):
    vendor_path = "connection__vendor"
    list_display = ("reference", "action", "status", "attempts", "next_attempt_at", "external_ref", "last_error")
    list_filter = ("status", "action")


@admin.register(ErpConflict)
class ErpConflictAdmin(_ReadOnly, VendorScopedAdminMixin, admin.ModelAdmin):
    vendor_path = "vendor_order__vendor"
    list_display = ("vendor_order", "reason", "resolved_at", "resolution")
