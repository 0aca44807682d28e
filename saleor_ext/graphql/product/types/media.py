"""Product media; URLs point at the thumbnail view, which makes each size on first request."""

from __future__ import annotations

import graphene

from saleor_ext.thumbnail.utils import absolute_url, thumbnail_path

from ...core.enums import enum_name
from ...core.ids import to_global_id
from ...core.scalars import JSONString
from ...core.types import GlobalId, MetadataItem, MetadataResolvers, ThumbnailFormatEnum


class ProductMediaType(graphene.Enum):
    IMAGE = "IMAGE"
    VIDEO = "VIDEO"


def has_image(media) -> bool:
    """Whether the media row stores an image; reads the raw column, since the image descriptor builds
    a file object (with its point of interest) on every access."""
    value = media.__dict__.get("image")
    return bool(getattr(value, "name", value))


def media_url(info, media, size, image_format) -> str:
    if not has_image(media):
        return media.external_url or ""
    return absolute_url(info.context, thumbnail_path("media", media.pk, size, enum_name(image_format)))


def image_url(info, kind: str, instance, size, image_format) -> str:
    return absolute_url(info.context, thumbnail_path(kind, instance.pk, size, enum_name(image_format)))


class ProductMedia(MetadataResolvers, GlobalId):
    metadata = graphene.List(graphene.NonNull(MetadataItem), required=True)
    sort_order = graphene.Int()
    alt = graphene.String(required=True)
    type = graphene.Field(ProductMediaType, required=True)
    oembed_data = JSONString(required=True)
    url = graphene.String(
        required=True, size=graphene.Int(), format=graphene.Argument(ThumbnailFormatEnum, default_value="ORIGINAL")
    )
    product_id = graphene.ID()

    @staticmethod
    def resolve_oembed_data(_root, _info):
        return {}

    @staticmethod
    def resolve_url(root, info, size=None, format="ORIGINAL"):
        return media_url(info, root, size, format)

    @staticmethod
    def resolve_product_id(root, _info):
        return to_global_id("Product", root.product_id)
