"""Back-office for attributes (reference data) and their assignment to items (vendor data)."""

from __future__ import annotations

from django.contrib import admin

from saleor_ext.core.admin import GlobalDataAdminMixin, VendorScopedAdminMixin, VendorScopedInlineMixin

from .models import (
    AssignedVariantAttribute,
    AssignedVariantAttributeValue,
    Attribute,
    AttributeProduct,
    AttributeTranslation,
    AttributeValue,
    AttributeValueTranslation,
    AttributeVariant,
)


class AttributeValueInline(GlobalDataAdminMixin, admin.TabularInline):
    model = AttributeValue
    fields = ("name", "slug", "value", "boolean", "numeric", "date_time", "file_url", "external_reference")
    prepopulated_fields = {"slug": ("name",)}
    extra = 0
    show_change_link = True


class AttributeTranslationInline(GlobalDataAdminMixin, admin.TabularInline):
    model = AttributeTranslation
    extra = 0
    classes = ["collapse"]


@admin.register(Attribute)
class AttributeAdmin(GlobalDataAdminMixin, admin.ModelAdmin):
    list_display = ("name", "slug", "type", "input_type", "unit", "filterable_in_storefront", "visible_in_storefront")
    list_filter = ("type", "input_type", "filterable_in_storefront", "visible_in_storefront")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [AttributeValueInline, AttributeTranslationInline]


class AttributeValueTranslationInline(GlobalDataAdminMixin, admin.TabularInline):
    model = AttributeValueTranslation
    extra = 0


@admin.register(AttributeValue)
class AttributeValueAdmin(GlobalDataAdminMixin, admin.ModelAdmin):
    list_display = ("name", "slug", "attribute", "value")
    list_select_related = ("attribute",)
    list_filter = ("attribute",)
    search_fields = ("name", "slug", "attribute__name")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [AttributeValueTranslationInline]
    show_full_result_count = False


class AttributeProductInline(GlobalDataAdminMixin, admin.TabularInline):
    model = AttributeProduct
    extra = 0
    verbose_name = "product attribute"


class AttributeVariantInline(GlobalDataAdminMixin, admin.TabularInline):
    model = AttributeVariant
    extra = 0
    verbose_name = "variant attribute"


class AssignedVariantAttributeValueInline(VendorScopedInlineMixin, admin.TabularInline):
    model = AssignedVariantAttributeValue
    vendor_path = "assignment__variant__vendor"
    autocomplete_fields = ("value",)
    extra = 0


@admin.register(AssignedVariantAttribute)
class AssignedVariantAttributeAdmin(VendorScopedAdminMixin, admin.ModelAdmin):
    vendor_path = "variant__vendor"
    list_display = ("variant", "assignment")
    list_select_related = ("variant", "assignment__attribute")
    search_fields = ("=variant__sku", "variant__product__name")
    autocomplete_fields = ("variant",)
    inlines = [AssignedVariantAttributeValueInline]
    show_full_result_count = False

    def has_module_permission(self, request):
        # Reached from a variant's page; no entry of its own in the menu.
        return False
