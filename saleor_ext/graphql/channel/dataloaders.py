"""Batch loaders of channels."""

from __future__ import annotations

from saleor_ext.shipping.selectors import channel_countries

from ..core.context import BaseLoader


class CountriesByChannelLoader(BaseLoader):
    """Key: a channel; value: the codes of the countries it sells to."""

    def batch_load(self, keys):
        found = channel_countries(keys)
        return [found[channel.pk] for channel in keys]
