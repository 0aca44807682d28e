"""Attributes as Saleor models them: typed attributes, their values and assignments."""

from __future__ import annotations

from django.db import models

from saleor_ext.core.models import ModelWithExternalReference, ModelWithMetadata, SortableModel, TranslationModel


class AttributeInputType:
    DROPDOWN = "dropdown"
    MULTISELECT = "multiselect"
    NUMERIC = "numeric"
    BOOLEAN = "boolean"
    PLAIN_TEXT = "plain-text"
    RICH_TEXT = "rich-text"
    SWATCH = "swatch"
    DATE = "date"
    DATE_TIME = "date-time"
    FILE = "file"
    REFERENCE = "reference"
    CHOICES = [
        (DROPDOWN, "Dropdown"),
        (MULTISELECT, "Multi select"),
        (NUMERIC, "Numeric"),
        (BOOLEAN, "Boolean"),
        (PLAIN_TEXT, "Plain text"),
        (RICH_TEXT, "Rich text"),
        (SWATCH, "Swatch"),
        (DATE, "Date"),
        (DATE_TIME, "Date time"),
        (FILE, "File"),
        (REFERENCE, "Reference"),
    ]
    # Types whose values are shared between objects; the others get one value per object.
    CHOICE_TYPES = {DROPDOWN, MULTISELECT, SWATCH}
    VARIANT_SELECTION_TYPES = {DROPDOWN, BOOLEAN, SWATCH, NUMERIC}


class AttributeType:
    PRODUCT_TYPE = "product-type"
    PAGE_TYPE = "page-type"
    CHOICES = [(PRODUCT_TYPE, "Product type"), (PAGE_TYPE, "Page type")]


class Attribute(ModelWithMetadata, ModelWithExternalReference):
    slug = models.SlugField(max_length=250, unique=True, allow_unicode=True)
    name = models.CharField(max_length=255)
    type = models.CharField(max_length=50, choices=AttributeType.CHOICES, default=AttributeType.PRODUCT_TYPE)
    input_type = models.CharField(
        max_length=50, choices=AttributeInputType.CHOICES, default=AttributeInputType.DROPDOWN
    )
    unit = models.CharField(max_length=100, blank=True, null=True)
    value_required = models.BooleanField(default=False)
    visible_in_storefront = models.BooleanField(default=True)
    filterable_in_storefront = models.BooleanField(default=True)
    filterable_in_dashboard = models.BooleanField(default=True)
    available_in_grid = models.BooleanField(default=True)
    storefront_search_position = models.IntegerField(default=0)

    class Meta:
        ordering = ("storefront_search_position", "slug")
        permissions = (
            ("manage_product_types_and_attributes", "Manage product types and attributes."),
        )

    def __str__(self) -> str:
        return self.name


class AttributeTranslation(TranslationModel):
    attribute = models.ForeignKey(Attribute, related_name="translations", on_delete=models.CASCADE)
    name = models.CharField(max_length=255)

    class Meta:
        unique_together = [("language_code", "attribute")]


class AttributeValue(ModelWithExternalReference, SortableModel):
    attribute = models.ForeignKey(Attribute, related_name="values", on_delete=models.CASCADE)
    name = models.CharField(max_length=250)
    slug = models.SlugField(max_length=255, allow_unicode=True)
    value = models.CharField(max_length=255, blank=True, default="")
    plain_text = models.TextField(blank=True, null=True)
    rich_text = models.JSONField(blank=True, null=True)
    boolean = models.BooleanField(blank=True, null=True)
    numeric = models.FloatField(blank=True, null=True)
    date_time = models.DateTimeField(blank=True, null=True)
    file_url = models.URLField(blank=True, null=True)

    class Meta:
        ordering = ("sort_order", "pk")
        unique_together = [("slug", "attribute")]

    def __str__(self) -> str:
        return self.name

    def get_ordering_queryset(self):
        return self.attribute.values.all()


class AttributeValueTranslation(TranslationModel):
    attribute_value = models.ForeignKey(AttributeValue, related_name="translations", on_delete=models.CASCADE)
    name = models.CharField(max_length=250)
    plain_text = models.TextField(blank=True, null=True)

    class Meta:
        unique_together = [("language_code", "attribute_value")]


class AttributeProduct(SortableModel):
    """An attribute that a product type's products carry."""

    attribute = models.ForeignKey(Attribute, related_name="attributeproduct", on_delete=models.CASCADE)
    product_type = models.ForeignKey(
        "product.ProductType", related_name="attributeproduct", on_delete=models.CASCADE
    )

    class Meta:
        unique_together = [("attribute", "product_type")]
        ordering = ("sort_order", "pk")

    def get_ordering_queryset(self):
        return self.product_type.attributeproduct.all()


class AttributeVariant(SortableModel):
    """An attribute that a product type's variants carry; ``variant_selection`` ones pick a variant."""

    attribute = models.ForeignKey(Attribute, related_name="attributevariant", on_delete=models.CASCADE)
    product_type = models.ForeignKey(
        "product.ProductType", related_name="attributevariant", on_delete=models.CASCADE
    )
    variant_selection = models.BooleanField(default=False)

    class Meta:
        unique_together = [("attribute", "product_type")]
        ordering = ("sort_order", "pk")

    def get_ordering_queryset(self):
        return self.product_type.attributevariant.all()


class AssignedProductAttributeValue(SortableModel):
    value = models.ForeignKey(AttributeValue, related_name="productvalueassignment", on_delete=models.CASCADE)
    product = models.ForeignKey(
        "product.Product", related_name="attributevalues", on_delete=models.CASCADE
    )

    class Meta:
        unique_together = [("value", "product")]
        ordering = ("sort_order", "pk")
        indexes = [models.Index(fields=["product", "value"])]

    def get_ordering_queryset(self):
        return self.product.attributevalues.all()


class AssignedVariantAttribute(models.Model):
    variant = models.ForeignKey("product.ProductVariant", related_name="attributes", on_delete=models.CASCADE)
    assignment = models.ForeignKey(AttributeVariant, related_name="variantassignments", on_delete=models.CASCADE)
    values = models.ManyToManyField(
        AttributeValue, through="AssignedVariantAttributeValue", related_name="variantassignments"
    )

    class Meta:
        unique_together = [("variant", "assignment")]


class AssignedVariantAttributeValue(SortableModel):
    value = models.ForeignKey(AttributeValue, related_name="variantvalueassignment", on_delete=models.CASCADE)
    assignment = models.ForeignKey(
        AssignedVariantAttribute, related_name="variantvalueassignment", on_delete=models.CASCADE
    )

    class Meta:
        unique_together = [("value", "assignment")]
        ordering = ("sort_order", "pk")

    def get_ordering_queryset(self):
        return self.assignment.variantvalueassignment.all()
