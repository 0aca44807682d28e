from django.apps import AppConfig


class TaxConfig(AppConfig):
    name = "saleor_ext.tax"
    label = "tax"
