from django.apps import AppConfig


class PaymentConfig(AppConfig):
    name = "saleor_ext.payment"
    label = "payment"
