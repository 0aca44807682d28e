"""Shared GraphQL types: money, images, enums of Saleor's schema."""

from __future__ import annotations

from decimal import Decimal

import graphene
from babel.numbers import get_currency_precision
from django.conf import settings

from .context import unwrap
from .errors import PermissionDenied
from .ids import to_global_id
from .language_codes import LANGUAGE_CODES
from .scalars import Metadata

LanguageCodeEnum = graphene.Enum("LanguageCodeEnum", [(code, code) for code in LANGUAGE_CODES])


class OrderDirection(graphene.Enum):
    ASC = "ASC"
    DESC = "DESC"


class ThumbnailFormatEnum(graphene.Enum):
    ORIGINAL = "ORIGINAL"
    AVIF = "AVIF"
    WEBP = "WEBP"


def language_code_enum(code: str | None):
    """The ``LanguageCodeEnum`` of a stored code (``fr``, ``nl-be``): the code itself, else its language,
    else the site's language."""
    name = (code or settings.LANGUAGE_CODE).replace("-", "_").upper()
    if name not in LANGUAGE_CODES:
        name = name[:2] if name[:2] in LANGUAGE_CODES else settings.LANGUAGE_CODE.replace("-", "_").upper()
    return LanguageCodeEnum[name]


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


def metadata_items(metadata: dict | None) -> list[MetadataItem]:
    return [MetadataItem(key=k, value=v) for k, v in (metadata or {}).items()]


def _pick(metadata: dict, keys: list[str] | None) -> dict:
    return dict(metadata) if keys is None else {k: v for k, v in metadata.items() if k in keys}


class MetadataResolvers:
    """The one resolver set of Saleor's metadata fields, for the mixins below (and a type that declares
    only some of the fields). ``metadata_owner`` names the row holding the columns; a row without them
    reads as empty, and private metadata is shown only once ``check_private_metadata`` lets it."""

    @staticmethod
    def metadata_owner(root):
        return unwrap(root)

    @staticmethod
    def check_private_metadata(_root, _info) -> None:
        raise PermissionDenied()

    @classmethod
    def _public(cls, root) -> dict:
        return getattr(cls.metadata_owner(root), "metadata", None) or {}

    @classmethod
    def _private(cls, root, info) -> dict:
        owner = cls.metadata_owner(root)
        if not hasattr(owner, "private_metadata"):
            return {}  # nothing kept, nothing to hide
        cls.check_private_metadata(root, info)
        return owner.private_metadata or {}

    @classmethod
    def resolve_metadata(cls, root, _info):
        return metadata_items(cls._public(root))

    @classmethod
    def resolve_metafield(cls, root, _info, key):
        return cls._public(root).get(key)

    @classmethod
    def resolve_metafields(cls, root, _info, keys=None):
        return _pick(cls._public(root), keys)

    @classmethod
    def resolve_private_metadata(cls, root, info):
        return metadata_items(cls._private(root, info))

    @classmethod
    def resolve_private_metafield(cls, root, info, key):
        return cls._private(root, info).get(key)

    @classmethod
    def resolve_private_metafields(cls, root, info, keys=None):
        return _pick(cls._private(root, info), keys)


def _metadata():
    return graphene.List(graphene.NonNull(MetadataItem), required=True)


def _metafield():
    return graphene.String(key=graphene.String(required=True))


def _metafields():
    return graphene.Field(Metadata, keys=graphene.List(graphene.NonNull(graphene.String)))


class MetadataFields(MetadataResolvers, graphene.ObjectType):
    """``metadata`` and ``metafield(key)``."""

    class Meta:
        abstract = True

    metadata = _metadata()
    metafield = _metafield()


class KeyedMetadataFields(MetadataResolvers, graphene.ObjectType):
    """``metadata``, ``metafield(key)`` and ``metafields(keys)``."""

    class Meta:
        abstract = True

    metadata = _metadata()
    metafield = _metafield()
    metafields = _metafields()


class PrivateMetadataFields(MetadataResolvers, graphene.ObjectType):
    """Saleor's six metadata fields, the private ones first."""

    class Meta:
        abstract = True

    private_metadata = _metadata()
    private_metafield = _metafield()
    private_metafields = _metafields()
    metadata = _metadata()
    metafield = _metafield()
    metafields = _metafields()


class GlobalId(graphene.ObjectType):
    """``id``: the global id of the root's row under the type's name.

    graphene lists the fields of base classes before a type's own, a later base's before an earlier
    one's: put this base last to print ``id`` first, or before a metadata mixin to print it after.
    """

    class Meta:
        abstract = True

    id = graphene.ID(required=True)

    @staticmethod
    def resolve_id(root, info):
        return to_global_id(info.parent_type.name, unwrap(root).pk)
