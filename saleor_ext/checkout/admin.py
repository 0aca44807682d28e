"""Carts in the back-office: federation staff only (a cart is a shopper's private data)."""

from __future__ import annotations

from django.contrib import admin

from saleor_ext.core.admin import FederationOnlyAdminMixin

from .models import Checkout, CheckoutDelivery, CheckoutLine, CheckoutVendorDelivery


class CheckoutLineInline(FederationOnlyAdminMixin, admin.TabularInline):
    model = CheckoutLine
    fields = ("variant", "quantity", "created_at")
    readonly_fields = ("created_at",)
    raw_id_fields = ("variant",)
    extra = 0


class CheckoutDeliveryInline(FederationOnlyAdminMixin, admin.TabularInline):
    model = CheckoutDelivery
    fields = ("vendor", "name", "price_amount", "currency", "is_valid")
    readonly_fields = fields
    extra = 0


class CheckoutVendorDeliveryInline(FederationOnlyAdminMixin, admin.TabularInline):
    model = CheckoutVendorDelivery
    fields = ("vendor", "delivery", "collection_point")
    extra = 0


@admin.register(Checkout)
class CheckoutAdmin(FederationOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("token", "email", "channel", "last_change", "charge_status")
    list_filter = ("channel", "charge_status")
    search_fields = ("email", "token")
    raw_id_fields = ("user", "billing_address", "shipping_address")
    inlines = [CheckoutLineInline, CheckoutVendorDeliveryInline, CheckoutDeliveryInline]
