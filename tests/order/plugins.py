"""A plugin that writes down the order hooks it hears, to prove when and with what they are called."""

from __future__ import annotations

from saleor_ext.plugins.base_plugin import BasePlugin

HEARD: list[tuple] = []


class RecordingPlugin(BasePlugin):
    PLUGIN_ID = "tests.order.recording"
    PLUGIN_NAME = "Records order hooks"
    DEFAULT_ACTIVE = True
    CONFIGURATION_PER_CHANNEL = False

    def vendor_order_updated(self, vendor_order, previous_value=None):
        HEARD.append(("vendor_order_updated", vendor_order.pk, vendor_order.status))
        return previous_value

    def vendor_order_fulfilled(self, vendor_order, previous_value=None):
        HEARD.append(("vendor_order_fulfilled", vendor_order.pk, vendor_order.status))
        return previous_value

    def order_updated(self, order, previous_value=None):
        HEARD.append(("order_updated", order.pk, order.status))
        return previous_value

    def order_cancelled(self, order, previous_value=None):
        HEARD.append(("order_cancelled", order.pk, order.status))
        return previous_value

    def order_lines_cancelled(self, order, lines, amount, previous_value=None):
        HEARD.append(("order_lines_cancelled", order.pk, sorted(str(line.pk) for line in lines), amount))
        return previous_value
