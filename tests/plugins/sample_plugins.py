"""Two small plugins used to prove the manager's chaining and configuration rules."""

from saleor_ext.plugins.base_plugin import BasePlugin, ConfigurationTypeField


class MarkupPlugin(BasePlugin):
    PLUGIN_ID = "tests.markup"
    PLUGIN_NAME = "Markup"
    DEFAULT_ACTIVE = True
    CONFIGURATION_PER_CHANNEL = True
    CONFIG_STRUCTURE = {
        "percent": {"type": ConfigurationTypeField.STRING, "label": "Percent"},
        "enabled_label": {"type": ConfigurationTypeField.BOOLEAN, "label": "Label"},
    }
    DEFAULT_CONFIGURATION = [{"name": "percent", "value": "10"}, {"name": "enabled_label", "value": False}]

    def calculate_price(self, price, previous_value):
        return previous_value * (100 + int(self.get_config_value("percent"))) / 100


class RoundingPlugin(BasePlugin):
    PLUGIN_ID = "tests.rounding"
    PLUGIN_NAME = "Rounding"
    DEFAULT_ACTIVE = True
    CONFIGURATION_PER_CHANNEL = False

    def calculate_price(self, price, previous_value):
        return round(previous_value)

    def vendor_created(self, vendor, previous_value):
        # Declines to answer: the previous value must be kept.
        return NotImplemented
