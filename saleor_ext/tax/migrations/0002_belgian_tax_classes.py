"""Belgium's VAT classes. Books take the reduced rate; for the neighbours it ships to, their own
reduced rate on books, so a parcel to France is taxed as France taxes books."""

from decimal import Decimal

from django.db import migrations

CLASSES = {
    "Standard 21 %": {"BE": "21"},
    "Reduced 6 %": {"BE": "6", "FR": "5.5", "NL": "9", "LU": "3", "DE": "7"},
    "Intermediate 12 %": {"BE": "12"},
    "Exempt 0 %": {"BE": "0", "FR": "0", "NL": "0", "LU": "0", "DE": "0"},
}


def create_classes(apps, schema_editor):
    TaxClass = apps.get_model("tax", "TaxClass")
    TaxClassCountryRate = apps.get_model("tax", "TaxClassCountryRate")
    for name, rates in CLASSES.items():
        tax_class, _ = TaxClass.objects.get_or_create(name=name)
        for country, rate in rates.items():
            TaxClassCountryRate.objects.get_or_create(
                tax_class=tax_class, country=country, defaults={"rate": Decimal(rate)}
            )


def remove_classes(apps, schema_editor):
    apps.get_model("tax", "TaxClass").objects.filter(name__in=list(CLASSES)).delete()


class Migration(migrations.Migration):
    dependencies = [("tax", "0001_initial")]

    operations = [migrations.RunPython(create_classes, remove_classes)]
