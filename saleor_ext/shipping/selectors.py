"""Reads on shipping zones and methods."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet

from saleor_ext.channel.models import Channel

from .models import ShippingMethodChannelListing, ShippingZone


def channel_listings_for_delivery(
    *, vendor_ids: Iterable[int], channel: Channel, country_code: str
) -> QuerySet[ShippingMethodChannelListing]:
    """Channel listings of the vendors' methods whose zone covers the country and serves the channel,
    with their method and zone, in one query. Order-price and weight bounds are not checked here."""
    country_code = (country_code or "").upper()
    other_zone_lists_country = ShippingZone.objects.filter(
        vendor_id=OuterRef("shipping_method__shipping_zone__vendor_id"),
        default=False,
        countries__contains=[country_code],
    )
    zone_channel = ShippingZone.channels.through.objects.filter(
        shippingzone_id=OuterRef("shipping_method__shipping_zone_id"), channel_id=channel.pk
    )
    return (
        ShippingMethodChannelListing.objects.filter(
            channel_id=channel.pk,
            shipping_method__shipping_zone__vendor_id__in=list(vendor_ids),
        )
        .filter(Exists(zone_channel))
        .filter(
            Q(shipping_method__shipping_zone__countries__contains=[country_code])
            | Q(shipping_method__shipping_zone__default=True) & ~Exists(other_zone_lists_country)
        )
        .select_related("shipping_method__shipping_zone")
    )


def shipping_countries_by_channel(channel_ids: Iterable[int]) -> dict[int, set[str]]:
    """Countries some vendor delivers to from each channel (default zones excepted: they have no list),
    in one query."""
    found: dict[int, set[str]] = {pk: set() for pk in channel_ids}
    zones = ShippingZone.channels.through.objects.filter(channel_id__in=list(found))
    for channel_id, countries in zones.values_list("channel_id", "shippingzone__countries"):
        found[channel_id].update(countries)
    return found


def shipping_countries(channel: Channel) -> list[str]:
    return sorted(shipping_countries_by_channel([channel.pk])[channel.pk])


def channel_countries(channels: Iterable[Channel]) -> dict[int, list[str]]:
    """The countries each channel sells to, sorted: its zones' countries and its own default country."""
    channels = list(channels)
    zones = shipping_countries_by_channel(channel.pk for channel in channels)
    return {channel.pk: sorted(zones[channel.pk] | {channel.default_country} - {""}) for channel in channels}
