from django.apps import AppConfig


class VendorChannelsConfig(AppConfig):
    name = "plugins.vendor_channels"
    label = "vendor_channels"
