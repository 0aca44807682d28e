from django.apps import AppConfig


class AttributeConfig(AppConfig):
    name = "saleor_ext.attribute"
    label = "attribute"
