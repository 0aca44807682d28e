from django.apps import AppConfig


class ErpSyncConfig(AppConfig):
    name = "plugins.erp_sync"
    label = "erp_sync"
    verbose_name = "ERP sync"
