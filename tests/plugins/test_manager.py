from decimal import Decimal

import pytest

from saleor_ext.channel.models import Channel
from saleor_ext.plugins.manager import PluginsManager
from saleor_ext.plugins.models import PluginConfiguration

PLUGINS = ["tests.plugins.sample_plugins.MarkupPlugin", "tests.plugins.sample_plugins.RoundingPlugin"]


@pytest.fixture
def channel(db):
    return Channel.objects.create(name="Marketplace", slug="marketplace", is_active=True)


def test_hooks_chain_in_plugins_order_with_previous_value(channel):
    manager = PluginsManager(PLUGINS)
    # 10 % markup on 95 gives 104.5, then the global rounding plugin runs last.
    assert manager.run_method("calculate_price", Decimal("95"), Decimal("95"), channel_slug="marketplace") == 104


def test_order_of_the_setting_decides_the_chain(channel):
    manager = PluginsManager(list(reversed(PLUGINS)))
    # Per-channel plugins still come first, then the global ones: the result is the same.
    assert manager.run_method("calculate_price", Decimal("95"), Decimal("95"), channel_slug="marketplace") == 104


def test_per_channel_configuration_is_read_from_the_database(channel):
    other = Channel.objects.create(name="Shop", slug="shop-x", is_active=True)
    PluginConfiguration.objects.create(
        identifier="tests.markup", name="Markup", channel=other, active=True,
        configuration=[{"name": "percent", "value": "50"}, {"name": "unknown", "value": "dropped"}],
    )
    manager = PluginsManager(PLUGINS)
    assert manager.run_method("calculate_price", 100, 100, channel_slug="shop-x") == 150
    assert manager.run_method("calculate_price", 100, 100, channel_slug="marketplace") == 110
    plugin = manager.get_plugins("shop-x", plugin_ids=["tests.markup"])[0]
    assert {item["name"] for item in plugin.configuration} == {"percent", "enabled_label"}


def test_inactive_plugin_is_skipped(channel):
    PluginConfiguration.objects.create(
        identifier="tests.markup", name="Markup", channel=channel, active=False, configuration=[]
    )
    manager = PluginsManager(PLUGINS)
    assert manager.run_method("calculate_price", Decimal("95.4"), Decimal("95.4"), channel_slug="marketplace") == 95
    assert [p.PLUGIN_ID for p in manager.get_plugins("marketplace", active_only=False)] == [
        "tests.markup",
        "tests.rounding",
    ]


def test_boolean_given_as_text_is_converted(channel):
    PluginConfiguration.objects.create(
        identifier="tests.markup", name="Markup", channel=channel, active=True,
        configuration=[{"name": "enabled_label", "value": "true"}],
    )
    plugin = PluginsManager(PLUGINS).get_plugins("marketplace", plugin_ids=["tests.markup"])[0]
    assert plugin.get_config_value("enabled_label") is True


def test_not_implemented_keeps_previous_value(channel):
    manager = PluginsManager(PLUGINS)
    assert manager.run_method("vendor_created", "kept", object()) == "kept"
    assert manager.run_method("hook_nobody_implements", "default") == "default"
