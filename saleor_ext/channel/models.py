from __future__ import annotations

from django.conf import settings
from django.db import models


class AllocationStrategy:
    PRIORITIZE_SORTING_ORDER = "prioritize-sorting-order"
    PRIORITIZE_HIGH_STOCK = "prioritize-high-stock"
    CHOICES = [
        (PRIORITIZE_SORTING_ORDER, "Prioritize warehouses by sorting order"),
        (PRIORITIZE_HIGH_STOCK, "Prioritize warehouses with highest stock"),
    ]


class Channel(models.Model):
    name = models.CharField(max_length=250)
    slug = models.SlugField(max_length=255, unique=True)
    is_active = models.BooleanField(default=False)
    currency_code = models.CharField(max_length=3, default=settings.DEFAULT_CURRENCY)
    default_country = models.CharField(max_length=2, default=settings.DEFAULT_COUNTRY)
    allocation_strategy = models.CharField(
        max_length=255,
        choices=AllocationStrategy.CHOICES,
        default=AllocationStrategy.PRIORITIZE_SORTING_ORDER,
    )
    # Orders may be placed before they are paid (pay at pickup settles them in the shop).
    allow_unpaid_orders = models.BooleanField(default=False)
    # Minutes a checkout holds its items once payment starts (Saleor keeps this on SiteSettings).
    checkout_reservation_minutes = models.PositiveIntegerField(default=15)
    # Marketplace extension: a vendor channel belongs to one member shop (vendor channels plugin).
    vendor = models.OneToOneField(
        "vendor.Vendor", null=True, blank=True, on_delete=models.CASCADE, related_name="channel"
    )

    class Meta:
        ordering = ("slug",)
        permissions = (("manage_channels", "Manage channels."),)

    def __str__(self) -> str:
        return self.slug
