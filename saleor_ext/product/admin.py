"""Back-office for the catalogue: vendor staff manage their own items, federation staff everything."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.files.storage import default_storage
from django.db.models import OuterRef, Subquery
from django.utils.html import format_html
from mptt.admin import DraggableMPTTAdmin
from mptt.forms import TreeNodeChoiceField

from saleor_ext.attribute.admin import AttributeProductInline, AttributeVariantInline
from saleor_ext.attribute.models import (
    AssignedProductAttributeValue,
    AssignedVariantAttribute,
)
from saleor_ext.core.admin import (
    DescriptionFormMixin,
    GlobalDataAdminMixin,
    LargeTablePaginator,
    VendorScopedAdminMixin,
    VendorScopedInlineMixin,
    vendor_list_filter,
)
from saleor_ext.plugins.manager import get_plugins_manager
from saleor_ext.product.services import product_search_index_touch, refresh_discounted_prices
from saleor_ext.warehouse.admin import StockInline

from .models import (
    Category,
    CategoryTranslation,
    Collection,
    CollectionChannelListing,
    CollectionProduct,
    CollectionTranslation,
    Product,
    ProductChannelListing,
    ProductMedia,
    ProductTranslation,
    ProductType,
    ProductVariant,
    ProductVariantChannelListing,
    ProductVariantTranslation,
    VariantMedia,
)

# Search bookkeeping is written by the indexer, never typed in.
SEARCH_FIELDS = ("search_document", "search_vector", "search_rank_vector", "search_index_dirty")


def image_preview(media: ProductMedia | None, height: int = 80) -> str:
    if media is None:
        return "-"
    url = media.image.url if media.image else media.external_url
    if not url:
        return "-"
    return format_html('<img src="{}" alt="{}" style="max-height:{}px;max-width:160px">', url, media.alt, height)


class ListingCurrencyForm(forms.ModelForm):
    """A listing's currency is its channel's: filled in when left blank."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "currency" in self.fields:
            self.fields["currency"].required = False

    def clean(self):
        cleaned = super().clean()
        channel = cleaned.get("channel")
        if channel is not None and not cleaned.get("currency"):
            cleaned["currency"] = channel.currency_code
            self.instance.currency = channel.currency_code
        elif channel is not None and cleaned.get("currency") != channel.currency_code:
            self.add_error("currency", f"The channel {channel.slug} sells in {channel.currency_code}.")
        return cleaned


# -- categories, product types, collections: shared reference data -----------------------------
class CategoryTranslationInline(GlobalDataAdminMixin, admin.StackedInline):
    model = CategoryTranslation
    extra = 0
    classes = ["collapse"]


class CategoryForm(DescriptionFormMixin):
    class Meta:
        model = Category
        exclude = ("description", "description_plaintext")


@admin.register(Category)
class CategoryAdmin(GlobalDataAdminMixin, DraggableMPTTAdmin):
    form = CategoryForm
    list_display = ("tree_actions", "indented_title", "slug", "updated_at")
    list_display_links = ("indented_title",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [CategoryTranslationInline]
    mptt_level_indent = 20


@admin.register(ProductType)
class ProductTypeAdmin(GlobalDataAdminMixin, admin.ModelAdmin):
    list_display = ("name", "slug", "kind", "has_variants", "is_shipping_required", "weight", "tax_class")
    list_select_related = ("tax_class",)
    list_filter = ("has_variants", "is_shipping_required", "tax_class")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}

    inlines = [AttributeProductInline, AttributeVariantInline]


class CollectionProductInline(GlobalDataAdminMixin, admin.TabularInline):
    model = CollectionProduct
    extra = 0
    autocomplete_fields = ("product",)


class CollectionChannelListingInline(GlobalDataAdminMixin, admin.TabularInline):
    model = CollectionChannelListing
    extra = 0


class CollectionTranslationInline(GlobalDataAdminMixin, admin.StackedInline):
    model = CollectionTranslation
    extra = 0
    classes = ["collapse"]


class CollectionForm(DescriptionFormMixin):
    class Meta:
        model = Collection
        exclude = ("description",)


@admin.register(Collection)
class CollectionAdmin(GlobalDataAdminMixin, admin.ModelAdmin):
    form = CollectionForm
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [CollectionChannelListingInline, CollectionProductInline, CollectionTranslationInline]


# -- products --------------------------------------------------------------------------------
class ProductVariantInlineFormSet(forms.BaseInlineFormSet):
    """SKUs are unique per vendor: report a clash as a form error rather than a database error."""

    def clean(self):
        super().clean()
        vendor_id = self.instance.vendor_id
        seen: set[str] = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            sku = form.cleaned_data.get("sku")
            if not sku:
                continue
            clash = ProductVariant.objects.filter(vendor_id=vendor_id, sku=sku).exclude(pk=form.instance.pk).exists()
            if sku in seen or clash:
                form.add_error("sku", "This shop already has an item with this SKU.")
            seen.add(sku)


class ProductVariantInline(VendorScopedInlineMixin, admin.TabularInline):
    model = ProductVariant
    formset = ProductVariantInlineFormSet
    fields = ("sku", "name", "track_inventory", "quantity_limit_per_customer", "weight")
    extra = 0
    show_change_link = True


class ProductChannelListingInline(VendorScopedInlineMixin, admin.TabularInline):
    model = ProductChannelListing
    vendor_path = "product__vendor"
    form = ListingCurrencyForm
    fields = (
        "channel",
        "is_published",
        "published_at",
        "visible_in_listings",
        "available_for_purchase_at",
        "currency",
        "discounted_price_amount",
    )
    readonly_fields = ("discounted_price_amount",)
    extra = 0


class ProductMediaInline(VendorScopedInlineMixin, admin.TabularInline):
    model = ProductMedia
    vendor_path = "product__vendor"
    fields = ("preview", "image", "alt", "type", "external_url")
    readonly_fields = ("preview",)
    extra = 0

    @admin.display(description="preview")
    def preview(self, obj):
        return image_preview(obj if obj.pk else None)


class AssignedProductAttributeValueInline(VendorScopedInlineMixin, admin.TabularInline):
    model = AssignedProductAttributeValue
    vendor_path = "product__vendor"
    autocomplete_fields = ("value",)
    extra = 0
    verbose_name = "attribute value"


class ProductTranslationInline(VendorScopedInlineMixin, admin.StackedInline):
    model = ProductTranslation
    vendor_path = "product__vendor"
    extra = 0
    classes = ["collapse"]


class ProductForm(DescriptionFormMixin):
    class Meta:
        model = Product
        exclude = ("description", "description_plaintext", *SEARCH_FIELDS)

    def clean_default_variant(self):
        variant = self.cleaned_data.get("default_variant")
        if variant is not None and variant.product_id != self.instance.pk:
            raise forms.ValidationError("The default variant must be one of this product's variants.")
        return variant


@admin.register(Product)
class ProductAdmin(VendorScopedAdminMixin, admin.ModelAdmin):
    vendor_path = "vendor"
    vendor_field = "vendor"
    form = ProductForm
    list_display = ("name", "thumbnail", "vendor", "category", "product_type", "updated_at")
    list_select_related = ("vendor", "category", "product_type")
    list_filter = (vendor_list_filter("vendor"), "product_type", "category")
    search_fields = ("name", "slug", "=variants__sku", "external_reference")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("created_at", "updated_at")
    # A full COUNT(*) of a million products on every page is not worth its cost.
    show_full_result_count = False
    paginator = LargeTablePaginator
    list_per_page = 50
    inlines = [
        ProductVariantInline,
        ProductChannelListingInline,
        ProductMediaInline,
        AssignedProductAttributeValueInline,
        ProductTranslationInline,
    ]

    def get_queryset(self, request):
        # The first image comes with the row, so a page of products costs one query.
        first_image = ProductMedia.objects.filter(product=OuterRef("pk")).order_by("sort_order", "pk")
        return (
            super()
            .get_queryset(request)
            .defer("search_vector", "search_rank_vector", "search_document")
            .annotate(first_image=Subquery(first_image.values("image")[:1]))
        )

    @admin.display(description="image")
    def thumbnail(self, obj):
        name = getattr(obj, "first_image", None)
        if not name:
            return "-"
        return format_html('<img src="{}" alt="" style="max-height:40px;max-width:80px">', default_storage.url(name))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "category":
            kwargs.setdefault("queryset", Category.tree.all())
            kwargs.setdefault("form_class", TreeNodeChoiceField)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        product = form.instance
        # A product moved to another shop takes its variants along (SKUs are per vendor).
        product.variants.exclude(vendor_id=product.vendor_id).update(vendor_id=product.vendor_id)
        if product.default_variant_id is None:
            first = product.variants.order_by("sort_order", "pk").first()
            if first is not None:
                product.default_variant = first
                product.save(update_fields=["default_variant"])
        refresh_discounted_prices(product)
        product_search_index_touch(product)
        manager = get_plugins_manager()
        for formset in formsets:
            if formset.model is ProductVariant:
                for variant in formset.new_objects:
                    manager.product_variant_created(variant)
                for variant, _fields in formset.changed_objects:
                    manager.product_variant_updated(variant)
        (manager.product_updated if change else manager.product_created)(product)


# -- variants --------------------------------------------------------------------------------
class ProductVariantChannelListingInline(VendorScopedInlineMixin, admin.TabularInline):
    model = ProductVariantChannelListing
    vendor_path = "variant__vendor"
    form = ListingCurrencyForm
    fields = ("channel", "currency", "price_amount", "cost_price_amount", "prior_price_amount")
    extra = 0


class VariantMediaInline(VendorScopedInlineMixin, admin.TabularInline):
    model = VariantMedia
    vendor_path = "variant__vendor"
    extra = 0
    verbose_name = "media of the variant"


class AssignedVariantAttributeInline(VendorScopedInlineMixin, admin.TabularInline):
    model = AssignedVariantAttribute
    vendor_path = "variant__vendor"
    extra = 0
    show_change_link = True
    verbose_name = "attribute"


class ProductVariantTranslationInline(VendorScopedInlineMixin, admin.TabularInline):
    model = ProductVariantTranslation
    vendor_path = "product_variant__vendor"
    extra = 0
    classes = ["collapse"]


class ProductVariantForm(forms.ModelForm):
    class Meta:
        model = ProductVariant
        # Not the vendor: it is always the product's.
        fields = (
            "product",
            "sku",
            "name",
            "track_inventory",
            "quantity_limit_per_customer",
            "weight",
            "external_reference",
            "metadata",
            "private_metadata",
        )

    def clean(self):
        cleaned = super().clean()
        product, sku = cleaned.get("product"), cleaned.get("sku")
        if product is not None and sku:
            clash = ProductVariant.objects.filter(vendor_id=product.vendor_id, sku=sku).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("sku", "This shop already has an item with this SKU.")
        return cleaned


@admin.register(ProductVariant)
class ProductVariantAdmin(VendorScopedAdminMixin, admin.ModelAdmin):
    vendor_path = "vendor"
    form = ProductVariantForm
    list_display = ("__str__", "sku", "product", "vendor", "track_inventory", "updated_at")
    list_select_related = ("product", "vendor")
    list_filter = (vendor_list_filter("vendor"), "track_inventory")
    search_fields = ("=sku", "product__name")
    autocomplete_fields = ("product",)
    readonly_fields = ("created_at", "updated_at")
    show_full_result_count = False
    paginator = LargeTablePaginator
    list_per_page = 50

    inlines = [
        ProductVariantChannelListingInline,
        StockInline,
        AssignedVariantAttributeInline,
        VariantMediaInline,
        ProductVariantTranslationInline,
    ]
    # Plugins' sections (the grading plugin: the grade) come after the prices and the stock.
    plugin_inlines_at = 2

    def save_form(self, request, form, change):
        variant = super().save_form(request, form, change)
        # The vendor is the product's, always: a variant cannot be moved to another shop by hand.
        variant.vendor_id = variant.product.vendor_id
        return variant

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        variant = form.instance
        refresh_discounted_prices(variant.product)
        product_search_index_touch(variant.product_id)
        manager = get_plugins_manager()
        (manager.product_variant_updated if change else manager.product_variant_created)(variant)
        manager.product_updated(variant.product)


@admin.register(ProductMedia)
class ProductMediaAdmin(VendorScopedAdminMixin, admin.ModelAdmin):
    vendor_path = "product__vendor"
    list_display = ("preview", "product", "alt", "type", "sort_order")
    list_select_related = ("product",)
    list_filter = (vendor_list_filter("product__vendor"), "type")
    search_fields = ("product__name", "alt")
    autocomplete_fields = ("product",)
    readonly_fields = ("preview",)
    show_full_result_count = False
    paginator = LargeTablePaginator

    @admin.display(description="preview")
    def preview(self, obj):
        return image_preview(obj)
