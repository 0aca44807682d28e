"""Member shops of the federation (DESIGN.md §4)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from saleor_ext.core.models import ModelWithMetadata


class VendorStatus:
    ONBOARDING = "onboarding"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    CHOICES = [(ONBOARDING, "Onboarding"), (ACTIVE, "Active"), (SUSPENDED, "Suspended")]


class Vendor(ModelWithMetadata):
    name = models.CharField(max_length=250)
    slug = models.SlugField(max_length=255, unique=True)
    enterprise_number = models.CharField(max_length=20, blank=True, help_text="BCE/KBO number")
    vat_number = models.CharField(max_length=20, blank=True)
    address = models.ForeignKey("account.Address", null=True, blank=True, on_delete=models.PROTECT)
    opening_hours = models.JSONField(
        blank=True, default=dict, help_text='e.g. {"mon": "10:00-18:00", "sun": ""}'
    )
    description = models.TextField(blank=True)
    logo = models.ImageField(upload_to="vendor-logos", blank=True, null=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=32, blank=True)
    website = models.URLField(blank=True)
    commission_rate = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal("10.00"), help_text="Federation commission, %"
    )
    stripe_account_id = models.CharField(max_length=255, blank=True)
    vat_exempt = models.BooleanField(
        default=False, help_text="Franchise regime: the shop charges no VAT, on items or delivery."
    )
    status = models.CharField(max_length=20, choices=VendorStatus.CHOICES, default=VendorStatus.ONBOARDING)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("name", "pk")
        permissions = (("manage_vendors", "Manage member shops."),)

    def __str__(self) -> str:
        return self.name

    @property
    def town(self) -> str:
        return self.address.city if self.address_id else ""


class VendorRole:
    OWNER = "owner"
    MANAGER = "manager"
    STAFF = "staff"
    CHOICES = [(OWNER, "Owner"), (MANAGER, "Manager"), (STAFF, "Staff")]


class VendorStaff(models.Model):
    """A user's membership of a vendor's team; what scopes their back-office access."""

    vendor = models.ForeignKey(Vendor, related_name="staff_memberships", on_delete=models.CASCADE)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="vendor_memberships", on_delete=models.CASCADE
    )
    role = models.CharField(max_length=20, choices=VendorRole.CHOICES, default=VendorRole.STAFF)

    class Meta:
        unique_together = [("vendor", "user")]
        verbose_name_plural = "vendor staff"

    def __str__(self) -> str:
        return f"{self.user} @ {self.vendor} ({self.role})"
