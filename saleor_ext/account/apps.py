from django.apps import AppConfig


class AccountConfig(AppConfig):
    name = "saleor_ext.account"
    label = "account"
