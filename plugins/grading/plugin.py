"""Grading plugin: exposes a variant's grade to the rest of the system through hooks."""

from __future__ import annotations

from saleor_ext.plugins.base_plugin import BasePlugin


class GradingPlugin(BasePlugin):
    PLUGIN_ID = "marketplace.grading"
    PLUGIN_NAME = "Second-hand grading"
    PLUGIN_DESCRIPTION = "Condition grades per category family, mapped to schema.org and Google conditions."
    DEFAULT_ACTIVE = True
    CONFIGURATION_PER_CHANNEL = False
    # Grade field, filters, sort and facet of the product API.
    CATALOGUE_EXTENSION = "plugins.grading.graphql.catalogue_extension"
