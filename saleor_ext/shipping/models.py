"""Shipping zones and methods per vendor (home delivery); click & collect lives with warehouses.

Each member shop ships its own items, so a zone belongs to one vendor. A zone lists the countries
it covers and the channels it serves; its methods are priced per channel. A PRICE method applies
to a cart whose subtotal lies within its channel listing's order-price bounds, a WEIGHT method to a
cart whose weight lies within the method's order-weight bounds (kg); an empty bound is open.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django_prices.models import MoneyField

from saleor_ext.core.db import DEFAULT_DECIMAL_PLACES, DEFAULT_MAX_DIGITS
from saleor_ext.core.models import ModelWithMetadata

from .countries import validate_country_codes


class ShippingMethodType:
    PRICE_BASED = "price"
    WEIGHT_BASED = "weight"
    CHOICES = [(PRICE_BASED, "Price based shipping"), (WEIGHT_BASED, "Weight based shipping")]


class ShippingZone(ModelWithMetadata):
    vendor = models.ForeignKey("vendor.Vendor", related_name="shipping_zones", on_delete=models.CASCADE)
    name = models.CharField(max_length=100)
    countries = ArrayField(
        models.CharField(max_length=2),
        blank=True,
        default=list,
        validators=[validate_country_codes],
        help_text="ISO codes of the delivery countries, e.g. BE, FR.",
    )
    channels = models.ManyToManyField("channel.Channel", related_name="shipping_zones", blank=True)
    warehouses = models.ManyToManyField("warehouse.Warehouse", related_name="shipping_zones", blank=True)
    # As in Saleor: the default zone covers every country that none of the vendor's other zones lists.
    default = models.BooleanField(
        default=False, help_text="Also covers every country none of the shop's other zones lists."
    )
    description = models.TextField(blank=True, default="")

    class Meta:
        ordering = ("vendor_id", "name", "pk")
        constraints = [
            models.UniqueConstraint(fields=["vendor"], condition=Q(default=True), name="shipping_one_default_zone"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.countries = sorted({code.strip().upper() for code in self.countries if code and code.strip()})
        super().save(*args, **kwargs)


class ShippingMethod(ModelWithMetadata):
    shipping_zone = models.ForeignKey(ShippingZone, related_name="shipping_methods", on_delete=models.CASCADE)
    name = models.CharField(max_length=100)
    type = models.CharField(max_length=30, choices=ShippingMethodType.CHOICES)
    minimum_order_weight = models.DecimalField(
        max_digits=10, decimal_places=3, null=True, blank=True, help_text="kg; empty: no minimum"
    )
    maximum_order_weight = models.DecimalField(
        max_digits=10, decimal_places=3, null=True, blank=True, help_text="kg; empty: no maximum"
    )
    minimum_delivery_days = models.PositiveIntegerField(null=True, blank=True)
    maximum_delivery_days = models.PositiveIntegerField(null=True, blank=True)
    # Editor.js JSON, as Saleor stores rich text.
    description = models.JSONField(blank=True, null=True)

    class Meta:
        ordering = ("pk",)

    def __str__(self) -> str:
        return self.name

    def clean(self):
        errors = {}
        low, high = self.minimum_order_weight, self.maximum_order_weight
        if low is not None and low < 0:
            errors["minimum_order_weight"] = "A weight cannot be negative."
        if low is not None and high is not None and high < low:
            errors["maximum_order_weight"] = "The maximum weight is below the minimum."
        low, high = self.minimum_delivery_days, self.maximum_delivery_days
        if low is not None and high is not None and high < low:
            errors["maximum_delivery_days"] = "The maximum delivery time is below the minimum."
        if errors:
            raise ValidationError(errors)


class ShippingMethodChannelListing(models.Model):
    """A method is offered in a channel only when this row exists; its price there is gross."""

    shipping_method = models.ForeignKey(ShippingMethod, related_name="channel_listings", on_delete=models.CASCADE)
    channel = models.ForeignKey("channel.Channel", related_name="shipping_method_listings", on_delete=models.CASCADE)
    currency = models.CharField(max_length=3)
    price_amount = models.DecimalField(
        max_digits=DEFAULT_MAX_DIGITS, decimal_places=DEFAULT_DECIMAL_PLACES, default=0
    )
    price = MoneyField(amount_field="price_amount", currency_field="currency")
    minimum_order_price_amount = models.DecimalField(
        max_digits=DEFAULT_MAX_DIGITS, decimal_places=DEFAULT_DECIMAL_PLACES, blank=True, null=True
    )
    minimum_order_price = MoneyField(amount_field="minimum_order_price_amount", currency_field="currency")
    maximum_order_price_amount = models.DecimalField(
        max_digits=DEFAULT_MAX_DIGITS, decimal_places=DEFAULT_DECIMAL_PLACES, blank=True, null=True
    )
    maximum_order_price = MoneyField(amount_field="maximum_order_price_amount", currency_field="currency")

    class Meta:
        unique_together = [("shipping_method", "channel")]
        ordering = ("pk",)

    def clean(self):
        errors = {}
        if self.price_amount is not None and self.price_amount < 0:
            errors["price_amount"] = "A price cannot be negative."
        low, high = self.minimum_order_price_amount, self.maximum_order_price_amount
        if low is not None and low < 0:
            errors["minimum_order_price_amount"] = "An order price cannot be negative."
        if low is not None and high is not None and high < low:
            errors["maximum_order_price_amount"] = "The maximum order price is below the minimum."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if not self.currency and self.channel_id:
            self.currency = self.channel.currency_code
        super().save(*args, **kwargs)
