"""Vendor channels: every member shop gets its own channel ``shop-<slug>`` listing all its items."""

from __future__ import annotations

from django.db import transaction

from saleor_ext.channel.models import Channel
from saleor_ext.plugins.base_plugin import BasePlugin
from saleor_ext.product.models import ProductChannelListing, ProductVariantChannelListing
from saleor_ext.product.services import refresh_discounted_prices
from saleor_ext.warehouse.models import ChannelWarehouse


def vendor_channel_slug(vendor_slug: str) -> str:
    return f"shop-{vendor_slug}"


class VendorChannelsPlugin(BasePlugin):
    PLUGIN_ID = "marketplace.vendor_channels"
    PLUGIN_NAME = "Vendor channels"
    PLUGIN_DESCRIPTION = "Creates a channel per member shop and lists all its items there."
    DEFAULT_ACTIVE = True
    CONFIGURATION_PER_CHANNEL = False

    def vendor_created(self, vendor, previous_value=None):
        return self.ensure_vendor_channel(vendor)

    def vendor_updated(self, vendor, previous_value=None):
        return self.ensure_vendor_channel(vendor)

    def warehouse_created(self, warehouse, previous_value=None):
        channel = self.ensure_vendor_channel(warehouse.vendor)
        ChannelWarehouse.objects.get_or_create(channel=channel, warehouse=warehouse)
        return previous_value

    def product_variant_created(self, variant, previous_value=None):
        self.list_in_vendor_channel(variant)
        return previous_value

    product_variant_updated = product_variant_created

    @staticmethod
    def ensure_vendor_channel(vendor) -> Channel:
        channel, _ = Channel.objects.update_or_create(
            vendor=vendor,
            defaults={
                "slug": vendor_channel_slug(vendor.slug),
                "name": vendor.name,
                "is_active": vendor.status == "active",
            },
        )
        return channel

    @staticmethod
    @transaction.atomic
    def list_in_vendor_channel(variant) -> None:
        """Mirror the variant's marketplace price into its shop's channel, published."""
        channel = Channel.objects.filter(vendor_id=variant.vendor_id).first()
        if channel is None:
            return
        product = variant.product
        price = (
            ProductVariantChannelListing.objects.filter(variant=variant, price_amount__isnull=False)
            .exclude(channel=channel)
            .values_list("price_amount", flat=True)
            .first()
        )
        if price is None:
            return
        ProductVariantChannelListing.objects.update_or_create(
            variant=variant, channel=channel, defaults={"currency": channel.currency_code, "price_amount": price}
        )
        ProductChannelListing.objects.get_or_create(
            product=product,
            channel=channel,
            defaults={"currency": channel.currency_code, "is_published": True, "visible_in_listings": True},
        )
        refresh_discounted_prices(product)
