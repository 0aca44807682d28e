"""BasePlugin: optional behaviour joins the core through named hooks.

A plugin takes part in a hook only by defining a method of that name. Every hook method
receives ``previous_value`` (the answer of the plugins before it) as a keyword argument and
returns the new value, or ``NotImplemented`` to keep the previous one.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


class ConfigurationTypeField:
    STRING = "String"
    MULTILINE = "Multiline"
    BOOLEAN = "Boolean"
    SECRET = "Secret"
    SECRET_MULTILINE = "SecretMultiline"
    PASSWORD = "Password"
    OUTPUT = "OUTPUT"


class BasePlugin:
    PLUGIN_ID: str = ""
    PLUGIN_NAME: str = ""
    PLUGIN_DESCRIPTION: str = ""
    CONFIG_STRUCTURE: dict[str, dict[str, Any]] = {}
    DEFAULT_CONFIGURATION: list[dict[str, Any]] = []
    DEFAULT_ACTIVE = False
    CONFIGURATION_PER_CHANNEL = True
    HIDDEN = False
    # The plugin's own URLs are /plugins/<PLUGIN_URL_NAME>/<path>, answered by its ``webhook`` hook
    # (``webhook(request, path, previous_value)`` returning an HttpResponse); "" for none.
    PLUGIN_URL_NAME: str = ""

    # Hooks the core calls (Saleor's names). Declared here for reference only: a plugin
    # joins a hook by defining the method.
    HOOKS = (
        "vendor_created",
        "vendor_updated",
        "channel_created",
        "product_created",
        "product_updated",
        "product_deleted",
        "product_variant_created",
        "product_variant_updated",
        "product_variant_deleted",
        "category_created",
        "collection_created",
        "warehouse_created",
        "get_product_variant_extra",
        "webhook",
    )

    def __init__(self, *, configuration: list[dict[str, Any]] | None, active: bool, channel=None):
        self.active = active
        self.channel = channel
        self.configuration = self._merge_configuration(configuration or [])

    def __str__(self) -> str:
        return self.PLUGIN_NAME

    @classmethod
    def _merge_configuration(cls, stored: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Stored values over the defaults; keys the structure does not know are dropped."""
        values = {item["name"]: item["value"] for item in cls.DEFAULT_CONFIGURATION}
        for item in stored:
            if item.get("name") in values or item.get("name") in cls.CONFIG_STRUCTURE:
                value = item.get("value")
                field_type = cls.CONFIG_STRUCTURE.get(item["name"], {}).get("type")
                if field_type == ConfigurationTypeField.BOOLEAN and isinstance(value, str):
                    value = value.strip().lower() == "true"
                values[item["name"]] = value
        return [{"name": name, "value": value} for name, value in values.items()]

    def get_config_value(self, name: str, default: Any = None) -> Any:
        for item in self.configuration:
            if item["name"] == name:
                return item["value"]
        return default

    @classmethod
    def validate_plugin_configuration(cls, plugin_configuration) -> None:
        """Raise ``ValidationError`` when a stored configuration cannot work."""
        names = {item.get("name") for item in plugin_configuration.configuration or []}
        unknown = names - set(cls.CONFIG_STRUCTURE) - {i["name"] for i in cls.DEFAULT_CONFIGURATION}
        if unknown:
            raise ValidationError({"configuration": f"Unknown fields: {', '.join(sorted(unknown))}"})
