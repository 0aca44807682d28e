"""Category: not channel-scoped; its ``products`` take their own ``channel`` argument."""

from __future__ import annotations

import graphene
from django.db.models import Q

from saleor_ext.product.models import Category as CategoryModel

from ...core.connection import connection_args, countable_connection, paginate
from ...core.context import get_loader
from ...core.enums import enum_value
from ...core.scalars import DateTime, JSONString
from ...core.types import GlobalId, Image, LanguageCodeEnum, MetadataFields, ThumbnailFormatEnum
from ...translations import types as translation_types
from ...translations.dataloaders import CategoryTranslationLoader
from ..dataloaders import CategoryByIdLoader
from ..resolvers import resolve_products
from .media import image_url
from .product_connection import ProductCountableConnection, product_list_args


class Category(GlobalId, MetadataFields):
    seo_title = graphene.String()
    seo_description = graphene.String()
    name = graphene.String(required=True)
    description = JSONString()
    slug = graphene.String(required=True)
    parent = graphene.Field(lambda: Category)
    level = graphene.Int(required=True)
    updated_at = DateTime(required=True)
    ancestors = graphene.Field(lambda: CategoryCountableConnection, **connection_args())
    products = graphene.Field(
        ProductCountableConnection,
        description="Products of the category and its subcategories visible in the channel.",
        **product_list_args(channel=True),
    )
    children = graphene.Field(lambda: CategoryCountableConnection, **connection_args())
    background_image = graphene.Field(
        Image, size=graphene.Int(), format=graphene.Argument(ThumbnailFormatEnum, default_value="ORIGINAL")
    )
    translation = graphene.Field(
        translation_types.CategoryTranslation, language_code=graphene.Argument(LanguageCodeEnum, required=True)
    )

    @staticmethod
    def resolve_parent(root, info):
        return get_loader(info, CategoryByIdLoader).load(root.parent_id) if root.parent_id else None

    @staticmethod
    def resolve_ancestors(root, _info, **kwargs):
        ancestors = CategoryModel.objects.filter(tree_id=root.tree_id, lft__lt=root.lft, rght__gt=root.rght)
        return paginate(ancestors, sort_keys=["lft", "pk"], connection_name="ancestors", **kwargs)

    @staticmethod
    def resolve_children(root, _info, **kwargs):
        children = CategoryModel.objects.filter(parent_id=root.pk)
        return paginate(children, sort_keys=["lft", "pk"], connection_name="children", **kwargs)

    @staticmethod
    def resolve_products(root, info, channel=None, **kwargs):
        subtree = Q(category__tree_id=root.tree_id, category__lft__gte=root.lft, category__rght__lte=root.rght)
        return resolve_products(info, channel=channel, scope=subtree, **kwargs)

    @staticmethod
    def resolve_background_image(root, info, size=None, format="ORIGINAL"):
        if not root.background_image:
            return None
        return Image(url=image_url(info, "category", root, size, format), alt=root.background_image_alt or None)

    @staticmethod
    def resolve_translation(root, info, language_code):
        return get_loader(info, CategoryTranslationLoader).load((root.pk, enum_value(language_code)))


CategoryCountableConnection = countable_connection(Category, "Category")
