"""Catalogue models with Saleor's names and rules (reference/saleor.md §2)."""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from django_prices.models import MoneyField
from mptt.managers import TreeManager
from mptt.models import MPTTModel
from versatileimagefield.fields import PPOIField, VersatileImageField

from saleor_ext.core.db import DEFAULT_DECIMAL_PLACES, DEFAULT_MAX_DIGITS
from saleor_ext.core.models import (
    ModelWithExternalReference,
    ModelWithMetadata,
    PublishableModel,
    SeoModel,
    SortableModel,
    TranslationModel,
)


class Category(ModelWithMetadata, MPTTModel, SeoModel):
    name = models.CharField(max_length=250)
    slug = models.SlugField(max_length=255, unique=True, allow_unicode=True)
    description = models.JSONField(blank=True, null=True)
    description_plaintext = models.TextField(blank=True, default="")
    parent = models.ForeignKey("self", null=True, blank=True, related_name="children", on_delete=models.CASCADE)
    background_image = VersatileImageField(upload_to="category-backgrounds", blank=True, null=True)
    background_image_alt = models.CharField(max_length=128, blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = models.Manager()
    tree = TreeManager()

    class Meta:
        verbose_name_plural = "categories"

    class MPTTMeta:
        order_insertion_by = ["name"]

    def __str__(self) -> str:
        return self.name


class CategoryTranslation(TranslationModel, SeoModel):
    category = models.ForeignKey(Category, related_name="translations", on_delete=models.CASCADE)
    name = models.CharField(max_length=128, blank=True, null=True)
    slug = models.SlugField(max_length=255, allow_unicode=True, null=True, blank=True)
    description = models.JSONField(blank=True, null=True)

    class Meta:
        unique_together = [("language_code", "category"), ("language_code", "slug")]


class ProductType(ModelWithMetadata):
    name = models.CharField(max_length=250)
    slug = models.SlugField(max_length=255, unique=True, allow_unicode=True)
    kind = models.CharField(max_length=32, default="normal")
    has_variants = models.BooleanField(default=True)
    is_shipping_required = models.BooleanField(default=True)
    weight = models.FloatField(null=True, blank=True, help_text="kg")
    # VAT class of the type's items; empty: the delivery country's standard rate.
    tax_class = models.ForeignKey(
        "tax.TaxClass", related_name="product_types", null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ("slug",)

    def __str__(self) -> str:
        return self.name


class Product(SeoModel, ModelWithMetadata, ModelWithExternalReference):
    product_type = models.ForeignKey(ProductType, related_name="products", on_delete=models.CASCADE)
    # No index of its own for vendor and category: Meta's (vendor, slug) and (category, slug) serve
    # their lookups, and every index is one more write per item an ERP import inserts.
    vendor = models.ForeignKey("vendor.Vendor", related_name="products", on_delete=models.CASCADE, db_index=False)
    name = models.CharField(max_length=250)
    slug = models.SlugField(max_length=255, unique=True, allow_unicode=True)
    description = models.JSONField(blank=True, null=True)
    description_plaintext = models.TextField(blank=True, default="")
    category = models.ForeignKey(Category, related_name="products", null=True, blank=True, on_delete=models.SET_NULL,
                                 db_index=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    weight = models.FloatField(null=True, blank=True, help_text="kg")
    default_variant = models.OneToOneField(
        "ProductVariant", blank=True, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    rating = models.FloatField(null=True, blank=True)
    search_document = models.TextField(blank=True, default="")
    search_vector = SearchVectorField(blank=True, null=True)
    # Names and B text only, for ranking: ts_rank reads every lexeme of the vector it is given,
    # and search_vector's descriptions, stemmed per language, make it ~3x larger.
    search_rank_vector = SearchVectorField(blank=True, null=True)
    search_index_dirty = models.BooleanField(default=True, db_index=True)

    class Meta:
        ordering = ("slug",)
        permissions = (("manage_products", "Manage products."),)
        indexes = [
            GinIndex(fields=["search_vector"], name="product_tsearch"),
            GinIndex(name="product_name_trgm", fields=["name"], opclasses=["gin_trgm_ops"]),
            models.Index(fields=["category", "slug"]),
            models.Index(fields=["vendor", "slug"]),
        ]

    def __str__(self) -> str:
        return self.name


class ProductTranslation(TranslationModel, SeoModel):
    product = models.ForeignKey(Product, related_name="translations", on_delete=models.CASCADE)
    name = models.CharField(max_length=250, blank=True, null=True)
    slug = models.SlugField(max_length=255, allow_unicode=True, null=True, blank=True)
    description = models.JSONField(blank=True, null=True)

    class Meta:
        unique_together = [("language_code", "product"), ("language_code", "slug")]


class ProductChannelListing(PublishableModel):
    # Indexed through unique_together (product, channel) and Meta's indexes led by channel.
    product = models.ForeignKey(Product, related_name="channel_listings", on_delete=models.CASCADE, db_index=False)
    channel = models.ForeignKey("channel.Channel", related_name="product_listings", on_delete=models.CASCADE,
                                db_index=False)
    visible_in_listings = models.BooleanField(default=False)
    available_for_purchase_at = models.DateTimeField(blank=True, null=True)
    currency = models.CharField(max_length=3)
    # Cached minimum variant price in the channel: listings filter and sort on it without joins.
    discounted_price_amount = models.DecimalField(
        max_digits=DEFAULT_MAX_DIGITS, decimal_places=DEFAULT_DECIMAL_PLACES, blank=True, null=True
    )
    discounted_price = MoneyField(amount_field="discounted_price_amount", currency_field="currency")

    class Meta:
        unique_together = [("product", "channel")]
        ordering = ("pk",)
        indexes = [
            models.Index(fields=["channel", "is_published", "visible_in_listings", "product"]),
            models.Index(fields=["channel", "discounted_price_amount"]),
        ]

    def is_available_for_purchase(self) -> bool:
        return self.available_for_purchase_at is not None and self.available_for_purchase_at <= timezone.now()


class ProductVariant(SortableModel, ModelWithMetadata, ModelWithExternalReference):
    product = models.ForeignKey(Product, related_name="variants", on_delete=models.CASCADE)
    # Copied from the product so that a SKU (the member's ERP reference) is unique per vendor.
    # Indexed through the (vendor, sku) unique constraint.
    vendor = models.ForeignKey("vendor.Vendor", related_name="variants", on_delete=models.CASCADE, db_index=False)
    sku = models.CharField(max_length=255, null=True, blank=True)
    name = models.CharField(max_length=255, blank=True)
    track_inventory = models.BooleanField(default=True)
    quantity_limit_per_customer = models.IntegerField(blank=True, null=True)
    weight = models.FloatField(null=True, blank=True, help_text="kg")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ("sort_order", "sku")
        constraints = [
            models.UniqueConstraint(fields=["vendor", "sku"], name="variant_sku_unique_per_vendor"),
        ]
        indexes = [models.Index(fields=["sku"])]

    def __str__(self) -> str:
        return self.name or self.sku or f"ID:{self.pk}"

    def get_ordering_queryset(self):
        return self.product.variants.all()

    def save(self, *args, **kwargs):
        if self.vendor_id is None and self.product_id is not None:
            self.vendor_id = self.product.vendor_id
        super().save(*args, **kwargs)

    def get_weight(self) -> float | None:
        return self.weight or self.product.weight or self.product.product_type.weight


class ProductVariantTranslation(TranslationModel):
    product_variant = models.ForeignKey(ProductVariant, related_name="translations", on_delete=models.CASCADE)
    name = models.CharField(max_length=255, blank=True)

    class Meta:
        unique_together = [("language_code", "product_variant")]


class ProductVariantChannelListing(models.Model):
    """A variant is sold in a channel only when this row exists with a price."""

    # Indexed through unique_together (variant, channel).
    variant = models.ForeignKey(ProductVariant, related_name="channel_listings", on_delete=models.CASCADE,
                                db_index=False)
    channel = models.ForeignKey("channel.Channel", related_name="variant_listings", on_delete=models.CASCADE)
    currency = models.CharField(max_length=3)
    price_amount = models.DecimalField(
        max_digits=DEFAULT_MAX_DIGITS, decimal_places=DEFAULT_DECIMAL_PLACES, blank=True, null=True
    )
    price = MoneyField(amount_field="price_amount", currency_field="currency")
    cost_price_amount = models.DecimalField(
        max_digits=DEFAULT_MAX_DIGITS, decimal_places=DEFAULT_DECIMAL_PLACES, blank=True, null=True
    )
    cost_price = MoneyField(amount_field="cost_price_amount", currency_field="currency")
    prior_price_amount = models.DecimalField(
        max_digits=DEFAULT_MAX_DIGITS, decimal_places=DEFAULT_DECIMAL_PLACES, blank=True, null=True
    )
    prior_price = MoneyField(amount_field="prior_price_amount", currency_field="currency")

    class Meta:
        unique_together = [("variant", "channel")]
        ordering = ("pk",)


class ProductMediaTypes:
    IMAGE = "IMAGE"
    VIDEO = "VIDEO"
    CHOICES = [(IMAGE, "An uploaded image or an URL to an image"), (VIDEO, "A URL to an external video")]


class ProductMedia(SortableModel, ModelWithMetadata):
    product = models.ForeignKey(Product, related_name="media", on_delete=models.CASCADE)
    image = VersatileImageField(upload_to="products", ppoi_field="ppoi", blank=True, null=True)
    ppoi = PPOIField()
    alt = models.CharField(max_length=250, blank=True)
    type = models.CharField(max_length=32, choices=ProductMediaTypes.CHOICES, default=ProductMediaTypes.IMAGE)
    external_url = models.CharField(max_length=256, blank=True, null=True)

    class Meta:
        ordering = ("sort_order", "pk")

    def get_ordering_queryset(self):
        return self.product.media.all()


class VariantMedia(models.Model):
    variant = models.ForeignKey(ProductVariant, related_name="variant_media", on_delete=models.CASCADE)
    media = models.ForeignKey(ProductMedia, related_name="variant_media", on_delete=models.CASCADE)

    class Meta:
        unique_together = [("variant", "media")]


class Collection(SeoModel, ModelWithMetadata):
    name = models.CharField(max_length=250)
    slug = models.SlugField(max_length=255, unique=True, allow_unicode=True)
    products = models.ManyToManyField(
        Product, blank=True, related_name="collections", through="CollectionProduct"
    )
    background_image = VersatileImageField(upload_to="collection-backgrounds", blank=True, null=True)
    background_image_alt = models.CharField(max_length=128, blank=True)
    description = models.JSONField(blank=True, null=True)

    class Meta:
        ordering = ("slug",)

    def __str__(self) -> str:
        return self.name


class CollectionProduct(SortableModel):
    collection = models.ForeignKey(Collection, related_name="collectionproduct", on_delete=models.CASCADE)
    product = models.ForeignKey(Product, related_name="collectionproduct", on_delete=models.CASCADE)

    class Meta:
        unique_together = [("collection", "product")]

    def get_ordering_queryset(self):
        return self.collection.collectionproduct.all()


class CollectionChannelListing(PublishableModel):
    collection = models.ForeignKey(Collection, related_name="channel_listings", on_delete=models.CASCADE)
    channel = models.ForeignKey("channel.Channel", related_name="collection_listings", on_delete=models.CASCADE)

    class Meta:
        unique_together = [("collection", "channel")]
        ordering = ("pk",)


class CollectionTranslation(TranslationModel, SeoModel):
    collection = models.ForeignKey(Collection, related_name="translations", on_delete=models.CASCADE)
    name = models.CharField(max_length=128, blank=True, null=True)
    slug = models.SlugField(max_length=255, allow_unicode=True, null=True, blank=True)
    description = models.JSONField(blank=True, null=True)

    class Meta:
        unique_together = [("language_code", "collection"), ("language_code", "slug")]


