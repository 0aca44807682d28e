from django.apps import AppConfig


class VendorConfig(AppConfig):
    name = "saleor_ext.vendor"
    label = "vendor"
