from django.apps import AppConfig


class ChannelConfig(AppConfig):
    name = "saleor_ext.channel"
    label = "channel"
