"""Member shops as the storefront shows them (marketplace addition)."""

from __future__ import annotations

import graphene

from saleor_ext.channel.models import Channel as ChannelModel

from ..channel.types import Channel, country_display
from ..channel.types import CountryDisplay as CountryDisplayType
from ..core.context import get_loader
from ..core.scalars import JSON
from ..core.types import GlobalId, Image
from ..product.channel import get_viewer, resolve_channel
from ..product.dataloaders import ProductCountByVendorLoader


class VendorAddress(graphene.ObjectType):
    street_address_1 = graphene.String(required=True)
    street_address_2 = graphene.String(required=True)
    postal_code = graphene.String(required=True)
    city = graphene.String(required=True)
    country = graphene.Field(CountryDisplayType, required=True)

    @staticmethod
    def resolve_country(root, _info):
        return country_display(root.country)


class Vendor(GlobalId):
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    description = graphene.String(required=True)
    town = graphene.String(required=True)
    address = graphene.Field(VendorAddress)
    opening_hours = graphene.Field(JSON, required=True, description='e.g. {"mon": "10:00-18:00"}')
    website = graphene.String()
    logo = graphene.Field(Image, size=graphene.Int(description="Accepted for symmetry; the original is served."))
    channel = graphene.Field(Channel, description="The shop's own channel (shop-<slug>).")
    product_count = graphene.Int(
        channel=graphene.String(), required=True, description="Items the caller sees in the channel."
    )

    @staticmethod
    def resolve_address(root, _info):
        return root.address if root.address_id else None

    @staticmethod
    def resolve_website(root, _info):
        return root.website or None

    @staticmethod
    def resolve_logo(root, info, size=None):
        if not root.logo:
            return None
        return Image(url=info.context.build_absolute_uri(root.logo.url), alt=root.name)

    @staticmethod
    def resolve_channel(root, _info):
        try:
            channel = root.channel
        except ChannelModel.DoesNotExist:
            return None
        return channel if channel.is_active else None

    @staticmethod
    def resolve_product_count(root, info, channel=None):
        channel_obj = resolve_channel(info, channel)
        key = (root.pk, channel_obj.slug if channel_obj else None, get_viewer(info))
        return get_loader(info, ProductCountByVendorLoader).load(key)
