from django.apps import AppConfig


class OrderConfig(AppConfig):
    name = "saleor_ext.order"
    label = "order"
