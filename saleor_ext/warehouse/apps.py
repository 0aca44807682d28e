from django.apps import AppConfig


class WarehouseConfig(AppConfig):
    name = "saleor_ext.warehouse"
    label = "warehouse"
