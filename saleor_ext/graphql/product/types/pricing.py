"""Catalogue prices as Saleor's ``pricing`` fields.

Prices are entered gross. Their net and VAT are split as the cart splits them (``tax.services``: the
item's rate in the channel's default country, nothing for an exempt shop), and cost their queries
only when a query asks for them: a storefront showing gross prices pays nothing for VAT.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import graphene
from prices import Money as PriceMoney

from saleor_ext.product.selectors import PriceRange
from saleor_ext.tax import services as tax_services

from ...core.context import get_loader
from ...core.futures import then
from ...core.types import TaxedMoney, TaxedMoneyRange, quantize_price
from ..channel import channel_by_slug
from ..dataloaders import VatRateLoader


class CataloguePrice:
    """Root of a ``TaxedMoney``: the gross price, with net and tax split at ``rate()`` when read."""

    def __init__(self, amount: Decimal, currency: str, rate: Callable[[], Any]):
        self.currency = currency
        self.gross = PriceMoney(quantize_price(amount, currency), currency)
        self._rate = rate

    def _split(self):
        return then(self._rate(), lambda rate: tax_services.split_gross(self.gross, rate))

    @property
    def net(self):
        return then(self._split(), lambda taxed: taxed.net)

    @property
    def tax(self):
        return then(self._split(), lambda taxed: taxed.tax)


def vat_rate_of(info, product_id: int, channel_slug: str) -> Callable[[], Any]:
    """The product's rate in the channel's country, to load when asked."""

    def load():
        country = channel_by_slug(info, channel_slug).default_country
        return get_loader(info, VatRateLoader).load((product_id, country))

    return load


class ProductPricingInfo(graphene.ObjectType):
    on_sale = graphene.Boolean()
    discount = graphene.Field(TaxedMoney)
    display_gross_prices = graphene.Boolean(required=True)
    price_range = graphene.Field(TaxedMoneyRange)
    price_range_undiscounted = graphene.Field(TaxedMoneyRange)


class VariantPricingInfo(graphene.ObjectType):
    on_sale = graphene.Boolean()
    discount = graphene.Field(TaxedMoney)
    price = graphene.Field(TaxedMoney)
    price_undiscounted = graphene.Field(TaxedMoney)


def product_pricing(price_range: PriceRange | None, rate: Callable[[], Any]) -> ProductPricingInfo | None:
    if price_range is None:
        return None
    taxed = TaxedMoneyRange(
        start=CataloguePrice(price_range.start, price_range.currency, rate),
        stop=CataloguePrice(price_range.stop, price_range.currency, rate),
    )
    # Promotions do not exist yet: the discounted range is the undiscounted one.
    return ProductPricingInfo(
        on_sale=False, discount=None, display_gross_prices=True, price_range=taxed, price_range_undiscounted=taxed
    )


def variant_pricing(listing, rate: Callable[[], Any]) -> VariantPricingInfo | None:
    if listing is None or listing.price_amount is None:
        return None
    price = CataloguePrice(listing.price_amount, listing.currency, rate)
    return VariantPricingInfo(on_sale=False, discount=None, price=price, price_undiscounted=price)
