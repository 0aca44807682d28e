"""Back-office for shop locations and their stock, scoped to the vendor's own."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from saleor_ext.account.admin import ADDRESS_FIELDSET, EmbeddedAddressFormMixin
from saleor_ext.core.admin import (
    LargeTablePaginator,
    VendorScopedAdminMixin,
    VendorScopedInlineMixin,
    request_is_federation,
    vendor_list_filter,
)
from saleor_ext.plugins.manager import get_plugins_manager

from .models import Allocation, ChannelWarehouse, Reservation, Stock, Warehouse

WRONG_SHOP = "The warehouse belongs to another shop than the item."


class StockInlineFormSet(forms.BaseInlineFormSet):
    """An item is stocked only in its own shop's warehouses."""

    def clean(self):
        super().clean()
        for form in self.forms:
            warehouse = getattr(form, "cleaned_data", {}).get("warehouse")
            if warehouse is not None and warehouse.vendor_id != self.instance.vendor_id:
                form.add_error("warehouse", WRONG_SHOP)


class StockInline(VendorScopedInlineMixin, admin.TabularInline):
    model = Stock
    vendor_path = "warehouse__vendor"
    formset = StockInlineFormSet
    fields = ("warehouse", "quantity", "quantity_allocated")
    # Allocations move this counter; a person editing it would desynchronise orders and stock.
    readonly_fields = ("quantity_allocated",)
    extra = 0


class StockForm(forms.ModelForm):
    class Meta:
        model = Stock
        fields = ("product_variant", "warehouse", "quantity")

    def clean(self):
        cleaned = super().clean()
        warehouse, variant = cleaned.get("warehouse"), cleaned.get("product_variant")
        if warehouse is not None and variant is not None and warehouse.vendor_id != variant.vendor_id:
            self.add_error("warehouse", WRONG_SHOP)
        return cleaned


class AllocationInline(VendorScopedInlineMixin, admin.TabularInline):
    """What orders hold of this stock; moved only by orders, never by hand."""

    model = Allocation
    vendor_path = "stock__warehouse__vendor"
    fields = ("order_line", "quantity_allocated")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ReservationInline(VendorScopedInlineMixin, admin.TabularInline):
    model = Reservation
    vendor_path = "stock__warehouse__vendor"
    fields = ("checkout_line", "quantity_reserved", "reserved_until")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Stock)
class StockAdmin(VendorScopedAdminMixin, admin.ModelAdmin):
    vendor_path = "warehouse__vendor"
    form = StockForm
    inlines = [AllocationInline, ReservationInline]
    list_display = ("product_variant", "product", "warehouse", "quantity", "quantity_allocated")
    list_select_related = ("product_variant__product", "warehouse")
    list_filter = (vendor_list_filter("warehouse__vendor"), "warehouse")
    search_fields = ("=product_variant__sku", "product_variant__product__name")
    autocomplete_fields = ("product_variant",)
    readonly_fields = ("quantity_allocated",)
    show_full_result_count = False
    paginator = LargeTablePaginator
    list_per_page = 50

    @admin.display(description="product", ordering="product_variant__product__name")
    def product(self, obj):
        return obj.product_variant.product

    def get_list_filter(self, request):
        # The warehouse filter lists every warehouse; vendor staff only need theirs.
        filters = super().get_list_filter(request)
        if not request_is_federation(request):
            filters = [f for f in filters if f != "warehouse"]
        return filters


class ChannelWarehouseInline(VendorScopedInlineMixin, admin.TabularInline):
    model = ChannelWarehouse
    vendor_path = "warehouse__vendor"
    extra = 0
    verbose_name = "channel served"
    verbose_name_plural = "channels served"


class WarehouseForm(EmbeddedAddressFormMixin):
    address_required = True

    class Meta:
        model = Warehouse
        exclude = ("address", "channels")


@admin.register(Warehouse)
class WarehouseAdmin(VendorScopedAdminMixin, admin.ModelAdmin):
    vendor_path = "vendor"
    vendor_field = "vendor"
    form = WarehouseForm
    list_display = ("name", "vendor", "town", "click_and_collect_option", "is_private")
    list_select_related = ("vendor", "address")
    list_filter = (vendor_list_filter("vendor"), "click_and_collect_option", "is_private")
    search_fields = ("name", "slug", "address__city")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [ChannelWarehouseInline]
    fieldsets = (
        (None, {"fields": ["vendor", "name", "slug", "email", "is_private", "click_and_collect_option"]}),
        ADDRESS_FIELDSET,
        ("Advanced", {"classes": ["collapse"], "fields": ["external_reference", "metadata", "private_metadata"]}),
    )

    @admin.display(description="town", ordering="address__city")
    def town(self, obj):
        return obj.address.city

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change:
            # The vendor channels plugin lets the shop's own channel sell from the new location.
            get_plugins_manager().run_method("warehouse_created", None, form.instance)
