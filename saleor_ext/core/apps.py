from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "saleor_ext.core"
    label = "core"
