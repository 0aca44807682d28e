from django.apps import AppConfig


class PluginsConfig(AppConfig):
    name = "saleor_ext.plugins"
    label = "plugins"
