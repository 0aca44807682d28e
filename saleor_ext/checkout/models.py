"""The cart and its way to an order: lines, addresses, and the delivery chosen for each vendor.

A marketplace cart holds items of several member shops. Each shop ships (or hands over) its own
items, so the delivery is chosen per vendor: ``CheckoutDelivery`` rows are the offers computed
for the cart (one vendor's home-delivery methods), and ``CheckoutVendorDelivery`` records, per
vendor, the chosen offer or the click-and-collect warehouse. With one vendor in the cart this is
exactly Saleor's single delivery method.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone

from saleor_ext.core.db import DEFAULT_DECIMAL_PLACES, DEFAULT_MAX_DIGITS
from saleor_ext.core.models import ModelWithMetadata


class CheckoutChargeStatus:
    NONE = "none"
    PARTIAL = "partial"
    FULL = "full"
    OVERCHARGED = "overcharged"
    CHOICES = [(NONE, "None"), (PARTIAL, "Partial"), (FULL, "Full"), (OVERCHARGED, "Overcharged")]


class CheckoutAuthorizeStatus:
    NONE = "none"
    PARTIAL = "partial"
    FULL = "full"
    CHOICES = [(NONE, "None"), (PARTIAL, "Partial"), (FULL, "Full")]


class Checkout(ModelWithMetadata):
    token = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_change = models.DateTimeField(auto_now=True, db_index=True)
    # Set while checkoutComplete runs: other changes are refused until it ends.
    completing_started_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="checkouts", null=True, blank=True, on_delete=models.CASCADE
    )
    email = models.EmailField(null=True, blank=True)
    channel = models.ForeignKey("channel.Channel", related_name="checkouts", on_delete=models.PROTECT)
    # Private copies: editing the user's address book never changes a cart's address.
    billing_address = models.ForeignKey(
        "account.Address", related_name="+", null=True, blank=True, on_delete=models.SET_NULL
    )
    shipping_address = models.ForeignKey(
        "account.Address", related_name="+", null=True, blank=True, on_delete=models.SET_NULL
    )
    save_billing_address = models.BooleanField(default=True)
    save_shipping_address = models.BooleanField(default=True)
    note = models.TextField(blank=True, default="")
    currency = models.CharField(max_length=3)
    country = models.CharField(max_length=2, default=settings.DEFAULT_COUNTRY)
    language_code = models.CharField(max_length=35, default=settings.LANGUAGE_CODE)
    redirect_url = models.URLField(blank=True, null=True)
    tracking_code = models.CharField(max_length=255, blank=True, null=True)
    charge_status = models.CharField(
        max_length=32, choices=CheckoutChargeStatus.CHOICES, default=CheckoutChargeStatus.NONE, db_index=True
    )
    authorize_status = models.CharField(
        max_length=32, choices=CheckoutAuthorizeStatus.CHOICES, default=CheckoutAuthorizeStatus.NONE, db_index=True
    )

    class Meta:
        ordering = ("-last_change", "pk")
        permissions = (("manage_checkouts", "Manage checkouts"),)

    def __str__(self) -> str:
        return f"Checkout {self.token}"


class CheckoutLine(ModelWithMetadata):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    checkout = models.ForeignKey(Checkout, related_name="lines", on_delete=models.CASCADE)
    variant = models.ForeignKey("product.ProductVariant", related_name="checkout_lines", on_delete=models.CASCADE)
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"{self.quantity} × {self.variant_id}"


class CheckoutDelivery(models.Model):
    """One home-delivery offer computed for a cart and one of its vendors (Saleor's ``Delivery``).

    The method's name, price and delay are copied so the shopper pays what was shown; a later
    recalculation marks offers that no longer apply ``is_valid = False``.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    checkout = models.ForeignKey(Checkout, related_name="deliveries", on_delete=models.CASCADE)
    vendor = models.ForeignKey("vendor.Vendor", related_name="+", on_delete=models.CASCADE)
    built_in_shipping_method_id = models.IntegerField()
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True, default="")
    currency = models.CharField(max_length=3)
    price_amount = models.DecimalField(max_digits=DEFAULT_MAX_DIGITS, decimal_places=DEFAULT_DECIMAL_PLACES)
    minimum_delivery_days = models.PositiveIntegerField(null=True, blank=True)
    maximum_delivery_days = models.PositiveIntegerField(null=True, blank=True)
    active = models.BooleanField(default=True)
    message = models.TextField(blank=True, default="")
    is_valid = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ("price_amount", "name", "id")
        indexes = [models.Index(fields=["checkout", "vendor"])]


class CheckoutVendorDelivery(models.Model):
    """The delivery a shopper chose for one vendor's items: a home-delivery offer or a pickup point."""

    checkout = models.ForeignKey(Checkout, related_name="vendor_deliveries", on_delete=models.CASCADE)
    vendor = models.ForeignKey("vendor.Vendor", related_name="+", on_delete=models.CASCADE)
    delivery = models.ForeignKey(CheckoutDelivery, null=True, blank=True, on_delete=models.SET_NULL)
    collection_point = models.ForeignKey(
        "warehouse.Warehouse", null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["checkout", "vendor"], name="one_delivery_choice_per_vendor"),
            models.CheckConstraint(
                condition=models.Q(delivery__isnull=True) | models.Q(collection_point__isnull=True),
                name="delivery_or_collection_point",
            ),
        ]
