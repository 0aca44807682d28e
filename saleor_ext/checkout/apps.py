from django.apps import AppConfig


class CheckoutConfig(AppConfig):
    name = "saleor_ext.checkout"
    label = "checkout"

    def ready(self) -> None:
        from saleor_ext.payment import sources

        from .models import Checkout
        from .payments import before_checkout_payment, checkout_total

        rules = sources.PaymentSource(field="checkout", total=checkout_total, before_payment=before_checkout_payment)
        sources.register(Checkout, rules)
