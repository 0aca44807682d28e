from django.apps import AppConfig


class VendorConfig(AppConfig):
    name = "saleor_ext.vendor"
    label = "vendor"

    def ready(self) -> None:
        from saleor_ext.core.admin import set_vendor_scope

        from .selectors import vendor_ids_for_user

        # The back-office's building blocks live in core, below vendor: vendor tells them who works where.
        set_vendor_scope(vendor_ids_for_user)
