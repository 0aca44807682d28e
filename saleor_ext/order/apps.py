from django.apps import AppConfig


class OrderConfig(AppConfig):
    name = "saleor_ext.order"
    label = "order"

    def ready(self) -> None:
        from saleor_ext.account.signals import email_proven
        from saleor_ext.payment import sources

        from .models import Order
        from .payments import order_total
        from .receivers import on_email_proven

        # account sits below order: it announces a proven e-mail, order attaches the guest orders.
        email_proven.connect(on_email_proven, dispatch_uid="order.attach_guest_orders")
        sources.register(Order, sources.PaymentSource(field="order", total=order_total))
