"""PluginsManager: loads the plugins of ``settings.PLUGINS`` and chains their hooks."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.utils.module_loading import import_string

from .base_plugin import BasePlugin
from .models import PluginConfiguration


class PluginsManager:
    """Built per request or task; configuration rows are read lazily, once per channel."""

    def __init__(self, plugins: list[str]):
        self.plugin_classes: list[type[BasePlugin]] = [import_string(path) for path in plugins]
        self._global_plugins: list[BasePlugin] | None = None
        self._channel_plugins: dict[str | None, list[BasePlugin]] = {}

    # -- loading -----------------------------------------------------------------------
    def _load_configs(self, channel_slug: str | None) -> dict[str, PluginConfiguration]:
        identifiers = [cls.PLUGIN_ID for cls in self.plugin_classes]
        qs = PluginConfiguration.objects.filter(identifier__in=identifiers)
        qs = qs.filter(channel__slug=channel_slug) if channel_slug else qs.filter(channel__isnull=True)
        return {conf.identifier: conf for conf in qs}

    def _build(self, cls: type[BasePlugin], conf: PluginConfiguration | None, channel=None) -> BasePlugin:
        if conf is None:
            return cls(configuration=None, active=cls.DEFAULT_ACTIVE, channel=channel)
        return cls(configuration=conf.configuration, active=conf.active, channel=channel)

    def _global(self) -> list[BasePlugin]:
        if self._global_plugins is None:
            global_classes = [cls for cls in self.plugin_classes if not cls.CONFIGURATION_PER_CHANNEL]
            configs = self._load_configs(None) if global_classes else {}
            self._global_plugins = [self._build(cls, configs.get(cls.PLUGIN_ID)) for cls in global_classes]
        return self._global_plugins

    def get_plugins(
        self, channel_slug: str | None = None, active_only: bool = True, plugin_ids: list[str] | None = None
    ) -> list[BasePlugin]:
        """A channel's per-channel plugins in ``PLUGINS`` order, then the global ones."""
        if channel_slug not in self._channel_plugins:
            per_channel = [cls for cls in self.plugin_classes if cls.CONFIGURATION_PER_CHANNEL]
            configs = self._load_configs(channel_slug) if per_channel and channel_slug else {}
            self._channel_plugins[channel_slug] = [
                self._build(cls, configs.get(cls.PLUGIN_ID)) for cls in per_channel
            ]
        plugins = self._channel_plugins[channel_slug] + self._global()
        if active_only:
            plugins = [p for p in plugins if p.active]
        if plugin_ids is not None:
            plugins = [p for p in plugins if p.PLUGIN_ID in plugin_ids]
        return plugins

    # -- hooks -------------------------------------------------------------------------
    def run_method(
        self, method_name: str, default_value: Any, *args: Any, channel_slug: str | None = None, **kwargs: Any
    ) -> Any:
        """Chain ``method_name`` over active plugins: each gets the previous answer."""
        value = default_value
        for plugin in self.get_plugins(channel_slug):
            method = getattr(plugin, method_name, NotImplemented)
            if method is NotImplemented:
                continue
            returned = method(*args, previous_value=value, **kwargs)
            if returned is not NotImplemented:
                value = returned
        return value

    def vendor_created(self, vendor) -> None:
        self.run_method("vendor_created", None, vendor)

    def vendor_updated(self, vendor) -> None:
        self.run_method("vendor_updated", None, vendor)

    def product_created(self, product) -> None:
        self.run_method("product_created", None, product)

    def product_updated(self, product) -> None:
        self.run_method("product_updated", None, product)

    def product_variant_created(self, variant) -> None:
        self.run_method("product_variant_created", None, variant)

    def product_variant_updated(self, variant) -> None:
        self.run_method("product_variant_updated", None, variant)

    def channel_created(self, channel) -> None:
        self.run_method("channel_created", None, channel)

    # -- buying: each gets the object after its transaction committed ------------------------
    def checkout_updated(self, checkout) -> None:
        self.run_method("checkout_updated", None, checkout, channel_slug=checkout.channel.slug)

    def order_created(self, order) -> None:
        self.run_method("order_created", None, order, channel_slug=order.channel.slug)

    def order_updated(self, order) -> None:
        self.run_method("order_updated", None, order, channel_slug=order.channel.slug)

    def order_fully_paid(self, order) -> None:
        self.run_method("order_fully_paid", None, order, channel_slug=order.channel.slug)

    def order_cancelled(self, order) -> None:
        self.run_method("order_cancelled", None, order, channel_slug=order.channel.slug)

    def order_lines_cancelled(self, order, lines, amount) -> None:
        """Lines a vendor cancelled; ``amount`` (gross Money) is what the shopper gets back."""
        self.run_method("order_lines_cancelled", None, order, lines, amount, channel_slug=order.channel.slug)

    def vendor_order_updated(self, vendor_order) -> None:
        self.run_method("vendor_order_updated", None, vendor_order, channel_slug=vendor_order.order.channel.slug)

    def vendor_order_fulfilled(self, vendor_order) -> None:
        """The vendor handed its part over (shipped or collected): its payout may go."""
        self.run_method("vendor_order_fulfilled", None, vendor_order, channel_slug=vendor_order.order.channel.slug)

    # -- the plugins' own URLs -------------------------------------------------------------------
    def webhook(self, request: HttpRequest, plugin_url_name: str, path: str) -> HttpResponse:
        """The answer of the plugin whose URLs are ``/plugins/<plugin_url_name>/``; 404 when none.
        Inactive plugins answer too: a payment provider switched off still reports on payments
        already under way (late successes, refunds)."""
        not_found = HttpResponseNotFound()
        for plugin in self.get_plugins(active_only=False):
            if plugin.PLUGIN_URL_NAME and plugin.PLUGIN_URL_NAME == plugin_url_name:
                response = plugin.webhook(request, path, previous_value=not_found)
                return not_found if response is NotImplemented else response
        return not_found

    def plugin_status(self) -> dict[str, list[str]]:
        status: dict[str, list[str]] = defaultdict(list)
        for plugin in self.get_plugins(active_only=False):
            status["active" if plugin.active else "inactive"].append(plugin.PLUGIN_ID)
        return dict(status)


def get_plugins_manager() -> PluginsManager:
    return PluginsManager(settings.PLUGINS)
