"""Back-office for grading: the federation defines schemes, vendor staff grade their own items."""

from __future__ import annotations

from django.contrib import admin

from saleor_ext.core.admin import (
    GlobalDataAdminMixin,
    LargeTablePaginator,
    VendorScopedAdminMixin,
    VendorScopedInlineMixin,
    vendor_list_filter,
)
from saleor_ext.core.backoffice import register_inline
from saleor_ext.product.models import ProductVariant

from .models import Grade, GradingScheme, VariantGrade


class GradeInline(GlobalDataAdminMixin, admin.TabularInline):
    model = Grade
    fields = ("rank", "code", "label_fr", "label_nl", "label_en", "schema_org_condition", "google_condition")
    extra = 0
    show_change_link = True


@admin.register(GradingScheme)
class GradingSchemeAdmin(GlobalDataAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name_en", "name_fr", "name_nl")
    search_fields = ("code", "name_en", "name_fr", "name_nl")
    filter_horizontal = ("categories",)
    inlines = [GradeInline]


@admin.register(Grade)
class GradeAdmin(GlobalDataAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "rank", "label_en", "schema_org_condition", "google_condition")
    list_select_related = ("scheme",)
    list_filter = ("scheme",)
    search_fields = ("code", "label_en", "label_fr", "label_nl", "scheme__code")


class VariantGradeInline(VendorScopedInlineMixin, admin.StackedInline):
    model = VariantGrade
    vendor_path = "variant__vendor"
    autocomplete_fields = ("grade",)
    readonly_fields = ("graded_at",)
    extra = 0


register_inline(ProductVariant, VariantGradeInline)


@admin.register(VariantGrade)
class VariantGradeAdmin(VendorScopedAdminMixin, admin.ModelAdmin):
    vendor_path = "variant__vendor"
    list_display = ("variant", "grade", "graded_at")
    list_select_related = ("variant", "grade__scheme")
    list_filter = (vendor_list_filter("variant__vendor"), "grade__scheme")
    search_fields = ("=variant__sku", "variant__product__name")
    autocomplete_fields = ("variant", "grade")
    readonly_fields = ("graded_at",)
    show_full_result_count = False
    paginator = LargeTablePaginator
