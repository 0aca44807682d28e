from django.apps import AppConfig


class ShippingConfig(AppConfig):
    name = "saleor_ext.shipping"
    label = "shipping"
