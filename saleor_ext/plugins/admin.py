"""Back-office for plugin configuration (federation staff only: it may hold secrets)."""

from __future__ import annotations

import json

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.module_loading import import_string

from saleor_ext.core.admin import FederationOnlyAdminMixin

from .base_plugin import BasePlugin
from .models import PluginConfiguration


def installed_plugins() -> dict[str, type[BasePlugin]]:
    """The plugins of ``settings.PLUGINS`` by identifier."""
    classes = [import_string(path) for path in settings.PLUGINS]
    return {cls.PLUGIN_ID: cls for cls in classes}


class PluginConfigurationForm(forms.ModelForm):
    identifier = forms.ChoiceField(choices=())

    class Meta:
        model = PluginConfiguration
        fields = ("identifier", "channel", "active", "configuration", "description")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plugins = installed_plugins()
        choices = [(pid, f"{cls.PLUGIN_NAME} ({pid})") for pid, cls in plugins.items()]
        if self.instance.identifier and self.instance.identifier not in plugins:
            choices.append((self.instance.identifier, f"{self.instance.identifier} (not installed)"))
        self.fields["identifier"].choices = choices

    def clean(self):
        cleaned = super().clean()
        plugin = installed_plugins().get(cleaned.get("identifier"))
        if plugin is None:
            return cleaned
        if cleaned.get("channel") is not None and not plugin.CONFIGURATION_PER_CHANNEL:
            self.add_error("channel", "This plugin is configured globally: leave the channel empty.")
        self.instance.name = plugin.PLUGIN_NAME
        self.instance.configuration = cleaned.get("configuration") or []
        try:
            plugin.validate_plugin_configuration(self.instance)
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


@admin.register(PluginConfiguration)
class PluginConfigurationAdmin(FederationOnlyAdminMixin, admin.ModelAdmin):
    form = PluginConfigurationForm
    list_display = ("identifier", "name", "channel", "active")
    list_select_related = ("channel",)
    list_filter = ("active", "identifier")
    search_fields = ("identifier", "name", "channel__slug")
    readonly_fields = ("configuration_help",)
    fields = ("identifier", "channel", "active", "configuration", "configuration_help", "description")

    @admin.display(description="available settings")
    def configuration_help(self, obj):
        plugin = installed_plugins().get(obj.identifier) if obj and obj.identifier else None
        if plugin is None:
            return "-"
        structure = {
            item["name"]: {**plugin.CONFIG_STRUCTURE.get(item["name"], {}), "default": item["value"]}
            for item in plugin.DEFAULT_CONFIGURATION
        }
        return format_html("<pre>{}</pre>", json.dumps(structure, indent=2, ensure_ascii=False, default=str))
