"""Back-office for shipping: each shop keeps its own zones, methods and delivery prices.

A zone's page lists its methods; a method's page holds its price in each channel. Vendor staff
see and change only their shop's zones (the shop is set for them); federation staff see all.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.utils.html import format_html_join

from saleor_ext.core.admin import (
    DescriptionFormMixin,
    VendorScopedAdminMixin,
    VendorScopedInlineMixin,
    request_vendor_ids,
    vendor_list_filter,
)
from saleor_ext.product.admin import ListingCurrencyForm

from .countries import country_names
from .models import ShippingMethod, ShippingMethodChannelListing, ShippingZone

OTHER_SHOPS_CHANNEL = "The channel {channel} belongs to another shop."


def _check_channel(form: forms.BaseForm, field: str, channel, vendor_id: int | None) -> None:
    # A shop's zones and prices may serve the marketplace and its own channel, never another shop's.
    if channel is not None and vendor_id is not None and channel.vendor_id not in (None, vendor_id):
        form.add_error(field, OTHER_SHOPS_CHANNEL.format(channel=channel.slug))


class ShippingZoneForm(forms.ModelForm):
    countries = forms.MultipleChoiceField(
        choices=lambda: list(country_names().items()),
        widget=FilteredSelectMultiple("countries", is_stacked=False),
        required=False,
    )
    # The shop of a single shop's staff, who do not see the vendor field (set by the admin).
    request_vendor_id: int | None = None

    class Meta:
        model = ShippingZone
        fields = (
            "vendor", "name", "countries", "default", "channels", "warehouses", "description", "metadata",
            "private_metadata",
        )

    def clean(self):
        cleaned = super().clean()
        vendor = cleaned.get("vendor")
        vendor_id = vendor.pk if vendor else self.instance.vendor_id or self.request_vendor_id
        if vendor_id is None:
            return cleaned
        for channel in cleaned.get("channels") or []:
            _check_channel(self, "channels", channel, vendor_id)
        wrong = [w.name for w in cleaned.get("warehouses") or [] if w.vendor_id != vendor_id]
        if wrong:
            self.add_error("warehouses", f"Warehouses of another shop: {', '.join(wrong)}.")
        if cleaned.get("default"):
            other = ShippingZone.objects.filter(vendor_id=vendor_id, default=True).exclude(pk=self.instance.pk)
            if other.exists():
                self.add_error("default", f"The shop already has a default zone: {other.first().name}.")
        return cleaned


class ShippingMethodInline(VendorScopedInlineMixin, admin.TabularInline):
    model = ShippingMethod
    vendor_path = "shipping_zone__vendor"
    fields = (
        "name",
        "type",
        "minimum_order_weight",
        "maximum_order_weight",
        "minimum_delivery_days",
        "maximum_delivery_days",
        "prices",
    )
    readonly_fields = ("prices",)
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("channel_listings__channel")

    @admin.display(description="prices (open the method to change them)")
    def prices(self, obj):
        if obj.pk is None:
            return "-"
        listings = obj.channel_listings.all()
        return format_html_join(
            ", ", "{}: {} {}", ((lst.channel.slug, lst.price_amount, lst.currency) for lst in listings)
        ) or "-"


@admin.register(ShippingZone)
class ShippingZoneAdmin(VendorScopedAdminMixin, admin.ModelAdmin):
    vendor_path = "vendor"
    vendor_field = "vendor"
    form = ShippingZoneForm
    list_display = ("name", "vendor", "country_list", "default")
    list_select_related = ("vendor",)
    list_filter = (vendor_list_filter("vendor"), "default")
    search_fields = ("name", "vendor__name")
    filter_horizontal = ("channels", "warehouses")
    inlines = [ShippingMethodInline]
    fieldsets = (
        (None, {"fields": ["vendor", "name", "countries", "default", "channels", "warehouses", "description"]}),
        ("Advanced", {"classes": ["collapse"], "fields": ["metadata", "private_metadata"]}),
    )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request_vendor_id = self.single_vendor_id(request)
        return form

    @admin.display(description="countries")
    def country_list(self, obj):
        return ", ".join(obj.countries) or ("every other country" if obj.default else "-")


class ShippingMethodChannelListingForm(ListingCurrencyForm):
    class Meta:
        model = ShippingMethodChannelListing
        fields = ("channel", "currency", "price_amount", "minimum_order_price_amount", "maximum_order_price_amount")


class ShippingMethodChannelListingFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        zone = self.instance.shipping_zone if self.instance.shipping_zone_id else None
        for form in self.forms:
            channel = getattr(form, "cleaned_data", {}).get("channel")
            _check_channel(form, "channel", channel, zone.vendor_id if zone else None)


class ShippingMethodChannelListingInline(VendorScopedInlineMixin, admin.TabularInline):
    model = ShippingMethodChannelListing
    vendor_path = "shipping_method__shipping_zone__vendor"
    form = ShippingMethodChannelListingForm
    formset = ShippingMethodChannelListingFormSet
    extra = 0
    verbose_name = "price in a channel"
    verbose_name_plural = "prices per channel (gross; order-price bounds apply to price-based methods)"


class ShippingMethodForm(DescriptionFormMixin):
    class Meta:
        model = ShippingMethod
        exclude = ("description",)


@admin.register(ShippingMethod)
class ShippingMethodAdmin(VendorScopedAdminMixin, admin.ModelAdmin):
    vendor_path = "shipping_zone__vendor"
    form = ShippingMethodForm
    list_display = ("name", "shipping_zone", "vendor", "type", "minimum_order_weight", "maximum_order_weight")
    list_select_related = ("shipping_zone__vendor",)
    list_filter = (vendor_list_filter("shipping_zone__vendor"), "type")
    search_fields = ("name", "shipping_zone__name")
    inlines = [ShippingMethodChannelListingInline]
    fieldsets = (
        (None, {"fields": ["shipping_zone", "name", "type", "description_text"]}),
        ("Bounds", {"fields": ["minimum_order_weight", "maximum_order_weight"]}),
        ("Delivery time (days)", {"fields": ["minimum_delivery_days", "maximum_delivery_days"]}),
        ("Advanced", {"classes": ["collapse"], "fields": ["metadata", "private_metadata"]}),
    )

    @admin.display(description="vendor", ordering="shipping_zone__vendor__name")
    def vendor(self, obj):
        return obj.shipping_zone.vendor

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        vendor_ids = request_vendor_ids(request)
        if db_field.name == "shipping_zone" and vendor_ids is not None:
            # Zones are not among the shared vendor-owned relations: scope the choices here.
            field.queryset = field.queryset.filter(vendor_id__in=vendor_ids)
        return field
