from __future__ import annotations

from django.db import models


class SiteSettings(models.Model):
    """One row: the shop-wide settings that Saleor's `shop` query exposes."""

    name = models.CharField(max_length=255, default="Reuse marketplace")
    description = models.CharField(max_length=500, blank=True, default="")
    domain = models.CharField(max_length=255, default="127.0.0.1:8000")
    header_text = models.CharField(max_length=200, blank=True, default="")
    track_inventory_by_default = models.BooleanField(default=True)
    default_weight_unit = models.CharField(max_length=30, default="kg")
    limit_quantity_per_checkout = models.IntegerField(default=50)
    reserve_stock_duration_anonymous_user = models.IntegerField(blank=True, null=True)
    reserve_stock_duration_authenticated_user = models.IntegerField(blank=True, null=True)
    enable_account_confirmation_by_email = models.BooleanField(default=False)
    allow_login_without_confirmation = models.BooleanField(default=True)

    class Meta:
        permissions = (
            ("manage_settings", "Manage settings."),
            ("manage_translations", "Manage translations."),
        )

    def __str__(self) -> str:
        return self.name

    @classmethod
    def get(cls) -> SiteSettings:
        obj, _ = cls.objects.get_or_create(pk=1)
        return obj
