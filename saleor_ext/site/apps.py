from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "saleor_ext.site"
    label = "site"
