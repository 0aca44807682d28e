"""Payments and payouts in the back-office: read by federation staff; vendors see their payouts."""

from __future__ import annotations

from django.contrib import admin

from saleor_ext.core.admin import FederationOnlyAdminMixin, VendorScopedAdminMixin

from .models import Payout, ProcessedWebhookEvent, TransactionEvent, TransactionItem


class TransactionEventInline(FederationOnlyAdminMixin, admin.TabularInline):
    model = TransactionEvent
    fields = ("created_at", "type", "amount_value", "currency", "psp_reference", "message")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(TransactionItem)
class TransactionItemAdmin(FederationOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("token", "app_identifier", "psp_reference", "charged_value", "refunded_value", "currency")
    search_fields = ("psp_reference", "token")
    readonly_fields = ("charged_value", "refunded_value", "authorized_value", "canceled_value")
    raw_id_fields = ("checkout", "order", "user")
    inlines = [TransactionEventInline]


@admin.register(Payout)
class PayoutAdmin(VendorScopedAdminMixin, admin.ModelAdmin):
    list_display = ("vendor_order", "vendor", "status", "amount", "commission_amount", "currency", "created_at")
    list_filter = ("status",)
    readonly_fields = ("gross_amount", "commission_amount", "amount", "reversed_amount", "psp_reference")
    raw_id_fields = ("vendor_order",)

    def has_add_permission(self, request, *args):
        return False


@admin.register(ProcessedWebhookEvent)
class ProcessedWebhookEventAdmin(FederationOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("gateway", "event_id", "type", "received_at")
    search_fields = ("event_id",)
