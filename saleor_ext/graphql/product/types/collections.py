"""Collection: read in the channel it was fetched for (a ``ChannelContext`` root)."""

from __future__ import annotations

import graphene
from django.db.models import Q

from ...core.context import ChannelContextType, get_loader
from ...core.enums import enum_value
from ...core.scalars import JSONString
from ...core.types import GlobalId, Image, LanguageCodeEnum, MetadataFields, ThumbnailFormatEnum
from ...translations import types as translation_types
from ...translations.dataloaders import CollectionTranslationLoader
from ..resolvers import resolve_products
from .media import image_url
from .product_connection import ProductCountableConnection, product_list_args


class Collection(GlobalId, MetadataFields, ChannelContextType):
    seo_title = graphene.String()
    seo_description = graphene.String()
    name = graphene.String(required=True)
    description = JSONString()
    slug = graphene.String(required=True)
    channel = graphene.String()
    products = graphene.Field(
        ProductCountableConnection,
        description="Products of the collection visible in the collection's channel.",
        **product_list_args(channel=False),
    )
    background_image = graphene.Field(
        Image, size=graphene.Int(), format=graphene.Argument(ThumbnailFormatEnum, default_value="ORIGINAL")
    )
    translation = graphene.Field(
        translation_types.CollectionTranslation, language_code=graphene.Argument(LanguageCodeEnum, required=True)
    )

    @staticmethod
    def resolve_channel(root, _info):
        return root.channel_slug

    @staticmethod
    def resolve_products(root, info, **kwargs):
        return resolve_products(
            info,
            channel=root.channel_slug,
            scope=Q(collectionproduct__collection_id=root.node.pk),
            collection_id=root.node.pk,
            **kwargs,
        )

    @staticmethod
    def resolve_background_image(root, info, size=None, format="ORIGINAL"):
        if not root.node.background_image:
            return None
        alt = root.node.background_image_alt or None
        return Image(url=image_url(info, "collection", root.node, size, format), alt=alt)

    @staticmethod
    def resolve_translation(root, info, language_code):
        return get_loader(info, CollectionTranslationLoader).load((root.node.pk, enum_value(language_code)))
