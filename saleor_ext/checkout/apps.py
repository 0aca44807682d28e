from django.apps import AppConfig


class CheckoutConfig(AppConfig):
    name = "saleor_ext.checkout"
    label = "checkout"
