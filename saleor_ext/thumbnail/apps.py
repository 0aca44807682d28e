from django.apps import AppConfig


class ThumbnailConfig(AppConfig):
    name = "saleor_ext.thumbnail"
    label = "thumbnail"
