"""ERP sync plugin: online sales reach the member's ERP as soon as the order is placed, and a
cancellation cancels them there (see services.py; the pull side is sync/)."""

from __future__ import annotations

import logging

from django.db import transaction

from saleor_ext.plugins.base_plugin import BasePlugin

from . import services, tasks

logger = logging.getLogger(__name__)


def _enqueue(task, ids: list[int]) -> None:
    for pk in ids:
        transaction.on_commit(lambda pk=pk: task.delay(pk))


class ErpSyncPlugin(BasePlugin):
    PLUGIN_ID = "marketplace.erp_sync"
    PLUGIN_NAME = "ERP sync"
    PLUGIN_DESCRIPTION = "Members' Odoo or CSV/XLSX feed the catalogue; online sales are recorded in their Odoo."
    DEFAULT_ACTIVE = True
    CONFIGURATION_PER_CHANNEL = False

    def order_created(self, order, previous_value=None):
        # The order is committed already: a failing push is the job's business, never the shopper's.
        try:
            _enqueue(tasks.push_sale_task, services.queue_sale_pushes(order))
        except Exception:
            logger.exception("Queuing the ERP pushes of order %s failed", order.pk)
        return previous_value

    def order_lines_cancelled(self, order, lines, amount, previous_value=None):
        try:
            _enqueue(tasks.push_sale_task, services.queue_sale_cancels(list({line.vendor_order_id for line in lines})))
        except Exception:
            logger.exception("Queuing the ERP cancellations of order %s failed", order.pk)
        return previous_value
