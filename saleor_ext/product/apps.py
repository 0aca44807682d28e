from django.apps import AppConfig


class ProductConfig(AppConfig):
    name = "saleor_ext.product"
    label = "product"
