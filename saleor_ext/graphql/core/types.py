"""Shared GraphQL types: money, images, enums of Saleor's schema."""

from __future__ import annotations

from decimal import Decimal

import graphene
from babel.numbers import get_currency_precision

from .language_codes import LANGUAGE_CODES

LanguageCodeEnum = graphene.Enum("LanguageCodeEnum", [(code, code) for code in LANGUAGE_CODES])


class OrderDirection(graphene.Enum):
    ASC = "ASC"
    DESC = "DESC"


class ThumbnailFormatEnum(graphene.Enum):
    ORIGINAL = "ORIGINAL"
    AVIF = "AVIF"
    WEBP = "WEBP"


def quantize_price(amount: Decimal, currency: str) -> Decimal:
    return Decimal(amount).quantize(Decimal(1).scaleb(-get_currency_precision(currency)))


class Money(graphene.ObjectType):
    currency = graphene.String(required=True)
    amount = graphene.Float(required=True)
    fractional_amount = graphene.Int(required=True)
    fraction_digits = graphene.Int(required=True)

    @staticmethod
    def resolve_amount(root, _info):
        return float(quantize_price(root.amount, root.currency))

    @staticmethod
    def resolve_fraction_digits(root, _info):
        return get_currency_precision(root.currency)

    @staticmethod
    def resolve_fractional_amount(root, _info):
        digits = get_currency_precision(root.currency)
        return int(quantize_price(root.amount, root.currency) * (10**digits))


class TaxedMoney(graphene.ObjectType):
    currency = graphene.String(required=True)
    gross = graphene.Field(Money, required=True)
    net = graphene.Field(Money, required=True)
    tax = graphene.Field(Money, required=True)


class TaxedMoneyRange(graphene.ObjectType):
    start = graphene.Field(TaxedMoney)
    stop = graphene.Field(TaxedMoney)


class MoneyRange(graphene.ObjectType):
    start = graphene.Field(Money)
    stop = graphene.Field(Money)


class Image(graphene.ObjectType):
    url = graphene.String(required=True)
    alt = graphene.String()


class LanguageDisplay(graphene.ObjectType):
    code = graphene.Field(LanguageCodeEnum, required=True)
    language = graphene.String(required=True)


class MetadataItem(graphene.ObjectType):
    key = graphene.String(required=True)
    value = graphene.String(required=True)


def resolve_metadata(metadata: dict) -> list[MetadataItem]:
    return [MetadataItem(key=k, value=v) for k, v in (metadata or {}).items()]


class MetadataFields(graphene.ObjectType):
    """``metadata`` and ``metafield(key)`` of a model with metadata, wrapped in a ChannelContext or not."""

    class Meta:
        abstract = True

    metadata = graphene.List(graphene.NonNull(MetadataItem), required=True)
    metafield = graphene.String(key=graphene.String(required=True))

    @staticmethod
    def resolve_metadata(root, _info):
        return resolve_metadata(_node(root).metadata)

    @staticmethod
    def resolve_metafield(root, _info, key):
        return (_node(root).metadata or {}).get(key)


def _node(root):
    from .context import ChannelContext

    return root.node if isinstance(root, ChannelContext) else root
