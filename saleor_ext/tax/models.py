"""VAT: tax classes with rates per country; prices are entered gross (VAT included).

A product type points to a tax class (books: reduced rate); the rate applied is the class's rate
for the delivery country, else that country's default rate (a ``TaxClassCountryRate`` without a
class, as in Saleor, else ``DEFAULT_COUNTRY_RATES``), else Belgium's.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from saleor_ext.core.models import ModelWithMetadata
from saleor_ext.shipping.countries import validate_country_code

# Standard VAT rates, in percent, of Belgium and the countries its shops deliver to.
DEFAULT_COUNTRY_RATES: dict[str, Decimal] = {
    "BE": Decimal("21"),
    "FR": Decimal("20"),
    "NL": Decimal("21"),
    "LU": Decimal("17"),
    "DE": Decimal("19"),
}
# Where a delivery country has no rate at all (click & collect happens in Belgium too).
FALLBACK_COUNTRY = "BE"


class TaxClass(ModelWithMetadata):
    name = models.CharField(max_length=255)

    class Meta:
        ordering = ("name", "pk")
        verbose_name_plural = "tax classes"

    def __str__(self) -> str:
        return self.name


class TaxClassCountryRate(models.Model):
    """A VAT rate in percent (21.000); without a tax class it is the country's default rate."""

    tax_class = models.ForeignKey(
        TaxClass, related_name="country_rates", null=True, blank=True, on_delete=models.CASCADE
    )
    country = models.CharField(max_length=2, validators=[validate_country_code], help_text="ISO code, e.g. BE")
    rate = models.DecimalField(
        max_digits=6,
        decimal_places=3,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text="percent, e.g. 21",
    )

    class Meta:
        ordering = ("country", "tax_class_id", "pk")
        constraints = [
            models.UniqueConstraint(fields=["country", "tax_class"], name="tax_one_rate_per_class_and_country"),
            # NULLs are distinct in a plain unique constraint: one default rate per country needs its own.
            models.UniqueConstraint(
                fields=["country"], condition=models.Q(tax_class__isnull=True), name="tax_one_default_per_country"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country}: {self.rate} %"

    def save(self, *args, **kwargs):
        self.country = (self.country or "").strip().upper()
        super().save(*args, **kwargs)
