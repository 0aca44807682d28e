from django.apps import AppConfig


class ErpSyncConfig(AppConfig):
    name = "plugins.erp_sync"
    label = "erp_sync"
    verbose_name = "ERP sync"

    def ready(self) -> None:
        from saleor_ext.vendor.services import VENDOR_STAFF_PERMISSIONS

        # A member's staff set up their connection and mapping; runs, links, pushes and conflicts are
        # read-only (the page's buttons act on them). Migration 0002 grants the same to the group.
        VENDOR_STAFF_PERMISSIONS.update({
            ("erp_sync", "erpconnection"): ("view", "add", "change"),
            ("erp_sync", "categorymapping"): ("view", "add", "change", "delete"),
            **{("erp_sync", model): ("view",) for model in ("syncrun", "syncrunissue", "itemlink", "salepushjob",
                                                             "erpconflict")},
        })
