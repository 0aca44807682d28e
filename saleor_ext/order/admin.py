"""Orders in the back-office. Federation staff see whole orders; a shop's staff see only their
vendor orders (their own lines). Changes of status go through the order services (GraphQL), so
the admin shows orders read-only."""

from __future__ import annotations

from django.contrib import admin

from saleor_ext.core.admin import FederationOnlyAdminMixin, VendorScopedAdminMixin, VendorScopedInlineMixin

from .models import Fulfillment, FulfillmentLine, Order, OrderEvent, OrderLine, VendorOrder


class ReadOnlyInlineMixin:
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class VendorOrderInline(ReadOnlyInlineMixin, FederationOnlyAdminMixin, admin.TabularInline):
    model = VendorOrder
    fields = ("vendor", "status", "shipping_method_name", "collection_point_name", "total_gross_amount")
    readonly_fields = fields


class OrderEventInline(ReadOnlyInlineMixin, FederationOnlyAdminMixin, admin.TabularInline):
    model = OrderEvent
    fields = ("date", "type", "vendor_order", "user", "parameters")
    readonly_fields = fields


@admin.register(Order)
class OrderAdmin(FederationOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("number", "user_email", "channel", "status", "charge_status", "total_gross_amount", "created_at")
    list_filter = ("status", "charge_status", "channel")
    search_fields = ("number", "user_email")
    readonly_fields = [f.name for f in Order._meta.concrete_fields if f.name not in ("metadata", "private_metadata")]
    inlines = [VendorOrderInline, OrderEventInline]

    def has_add_permission(self, request, *args):
        # Orders come from checkouts (their number from the database's sequence).
        return False


class OrderLineInline(ReadOnlyInlineMixin, VendorScopedInlineMixin, admin.TabularInline):
    model = OrderLine
    fk_name = "vendor_order"
    fields = ("product_name", "product_sku", "quantity", "quantity_fulfilled", "quantity_cancelled",
              "total_price_gross_amount")
    readonly_fields = fields


class FulfillmentLineInline(ReadOnlyInlineMixin, VendorScopedInlineMixin, admin.TabularInline):
    model = FulfillmentLine
    vendor_path = "fulfillment__vendor_order__vendor"
    fields = ("order_line", "quantity", "stock")
    readonly_fields = fields


@admin.register(Fulfillment)
class FulfillmentAdmin(VendorScopedAdminMixin, admin.ModelAdmin):
    vendor_path = "vendor_order__vendor"
    list_display = ("order", "fulfillment_order", "status", "tracking_number", "created_at")
    readonly_fields = ("order", "vendor_order", "fulfillment_order", "status", "created_at")
    inlines = [FulfillmentLineInline]

    def has_add_permission(self, request, *args):
        return False


@admin.register(VendorOrder)
class VendorOrderAdmin(VendorScopedAdminMixin, admin.ModelAdmin):
    list_display = ("order", "vendor", "status", "total_gross_amount", "created_at")
    list_filter = ("status",)
    search_fields = ("order__number",)
    readonly_fields = [f.name for f in VendorOrder._meta.concrete_fields]
    inlines = [OrderLineInline]

    def has_add_permission(self, request, *args):
        return False
