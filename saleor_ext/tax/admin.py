"""Back-office for VAT: tax classes and their rates are the federation's reference data."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from saleor_ext.core.admin import GlobalDataAdminMixin
from saleor_ext.shipping.countries import country_names

from .models import TaxClass, TaxClassCountryRate


class TaxClassCountryRateForm(forms.ModelForm):
    country = forms.ChoiceField(choices=lambda: [("", "---------"), *country_names().items()])

    class Meta:
        model = TaxClassCountryRate
        fields = ("tax_class", "country", "rate")


class TaxClassCountryRateInline(GlobalDataAdminMixin, admin.TabularInline):
    model = TaxClassCountryRate
    form = TaxClassCountryRateForm
    fields = ("country", "rate")
    extra = 0
    verbose_name = "rate in a country"
    verbose_name_plural = "rates per country (percent; a country missing here takes its standard rate)"


@admin.register(TaxClass)
class TaxClassAdmin(GlobalDataAdminMixin, admin.ModelAdmin):
    list_display = ("name", "rates")
    search_fields = ("name",)
    inlines = [TaxClassCountryRateInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("country_rates")

    @admin.display(description="rates")
    def rates(self, obj):
        return ", ".join(f"{rate.country} {rate.rate.normalize():f} %" for rate in obj.country_rates.all()) or "-"


@admin.register(TaxClassCountryRate)
class TaxClassCountryRateAdmin(GlobalDataAdminMixin, admin.ModelAdmin):
    """Every rate; one without a tax class replaces the country's built-in standard rate."""

    form = TaxClassCountryRateForm
    list_display = ("country", "tax_class", "rate")
    list_select_related = ("tax_class",)
    list_filter = ("country", "tax_class")
