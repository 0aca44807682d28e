"""Home-delivery offers of a vendor for a cart: what the checkout shows and charges.

A method is offered when its zone belongs to the vendor, covers the delivery country and serves
the channel, the method has a price in the channel, and the cart fits its bounds: the subtotal
(gross) within the listing's order-price bounds for a PRICE method, the weight within the
method's order-weight bounds for a WEIGHT method. Bounds are inclusive; an empty bound is open.
Offers are sorted by price, then name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

import prices

from saleor_ext.channel.models import Channel

from .models import ShippingMethod, ShippingMethodChannelListing, ShippingMethodType
from .selectors import channel_listings_for_delivery


@dataclass(frozen=True)
class ShippingMethodOffer:
    """A method offered to one vendor's part of a cart, at its gross price in the channel.

    ``channel_id`` names the channel the price comes from, so the API can show the listing's
    order-price bounds; offers rebuilt from a stored delivery may leave it empty.
    """

    method: ShippingMethod
    price: prices.Money
    minimum_delivery_days: int | None
    maximum_delivery_days: int | None
    channel_id: int | None = None


def _within(value: Decimal | None, low: Decimal | None, high: Decimal | None) -> bool:
    if value is None:
        # An unknown weight or subtotal only fits bounds that exclude nothing.
        return high is None and (low is None or low <= 0)
    return (low is None or value >= low) and (high is None or value <= high)


def _applies(listing: ShippingMethodChannelListing, weight_kg: Decimal | None, subtotal: prices.Money | None) -> bool:
    method = listing.shipping_method
    if subtotal is not None and subtotal.currency != listing.currency:
        return False
    if method.type == ShippingMethodType.PRICE_BASED:
        amount = subtotal.amount if subtotal is not None else None
        return _within(amount, listing.minimum_order_price_amount, listing.maximum_order_price_amount)
    if method.type == ShippingMethodType.WEIGHT_BASED:
        weight = Decimal(str(weight_kg)) if weight_kg is not None else None
        return _within(weight, method.minimum_order_weight, method.maximum_order_weight)
    return False


def _offer(listing: ShippingMethodChannelListing) -> ShippingMethodOffer:
    method = listing.shipping_method
    return ShippingMethodOffer(
        method=method,
        price=prices.Money(listing.price_amount, listing.currency),
        minimum_delivery_days=method.minimum_delivery_days,
        maximum_delivery_days=method.maximum_delivery_days,
        channel_id=listing.channel_id,
    )


def _sort_key(offer: ShippingMethodOffer):
    return (offer.price.amount, offer.method.name, offer.method.pk)


def applicable_shipping_methods_for_vendors(
    *,
    vendor_ids: Iterable[int],
    channel: Channel,
    country_code: str,
    weights_kg: dict[int, Decimal | None],
    subtotals: dict[int, prices.Money],
) -> dict[int, list[ShippingMethodOffer]]:
    """Every vendor's offers for its part of the cart, in one query whatever the number of vendors.

    Each vendor of ``vendor_ids`` gets a key, with an empty list when nothing applies.
    """
    vendor_ids = list(dict.fromkeys(vendor_ids))
    result: dict[int, list[ShippingMethodOffer]] = {vendor_id: [] for vendor_id in vendor_ids}
    if not vendor_ids or not country_code:
        return result
    listings = channel_listings_for_delivery(vendor_ids=vendor_ids, channel=channel, country_code=country_code)
    for listing in listings:
        vendor_id = listing.shipping_method.shipping_zone.vendor_id
        if _applies(listing, weights_kg.get(vendor_id), subtotals.get(vendor_id)):
            result[vendor_id].append(_offer(listing))
    for offers in result.values():
        offers.sort(key=_sort_key)
    return result


def applicable_shipping_methods(
    *,
    vendor_id: int,
    channel: Channel,
    country_code: str,
    weight_kg: Decimal | None,
    subtotal: prices.Money,
) -> list[ShippingMethodOffer]:
    """The vendor's offers for a cart part of ``weight_kg`` and gross ``subtotal``, cheapest first."""
    return applicable_shipping_methods_for_vendors(
        vendor_ids=[vendor_id],
        channel=channel,
        country_code=country_code,
        weights_kg={vendor_id: weight_kg},
        subtotals={vendor_id: subtotal},
    )[vendor_id]


def shipping_method_offer(
    *,
    method_id: int,
    vendor_id: int,
    channel: Channel,
    country_code: str,
    weight_kg: Decimal | None,
    subtotal: prices.Money,
) -> ShippingMethodOffer | None:
    """The offer of one method if it applies to this cart now (else ``None``): checks a chosen method."""
    offers = applicable_shipping_methods(
        vendor_id=vendor_id, channel=channel, country_code=country_code, weight_kg=weight_kg, subtotal=subtotal
    )
    return next((offer for offer in offers if offer.method.pk == method_id), None)
