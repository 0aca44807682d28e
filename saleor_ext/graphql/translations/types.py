"""Translation types: what a shopper reads in FR, NL or EN."""

from __future__ import annotations

import graphene
from django.conf import settings

from ..core.ids import to_global_id
from ..core.scalars import JSONString
from ..core.types import LanguageCodeEnum, LanguageDisplay


def language_display(code: str) -> LanguageDisplay:
    names = dict(settings.LANGUAGES)
    enum_code = code.upper().replace("-", "_")
    return LanguageDisplay(code=LanguageCodeEnum[enum_code], language=names.get(code.lower()[:2], code))


class _TranslationBase(graphene.ObjectType):
    id = graphene.ID(required=True)
    language = graphene.Field(LanguageDisplay, required=True)

    @staticmethod
    def resolve_language(root, _info):
        return language_display(root.language_code)


def _with_id(type_name: str):
    def resolve_id(root, _info):
        return to_global_id(type_name, root.pk)

    return staticmethod(resolve_id)


class ProductTranslation(_TranslationBase):
    seo_title = graphene.String()
    seo_description = graphene.String()
    slug = graphene.String()
    name = graphene.String()
    description = JSONString()

    resolve_id = _with_id("ProductTranslation")


class ProductVariantTranslation(_TranslationBase):
    name = graphene.String(required=True)

    resolve_id = _with_id("ProductVariantTranslation")


class CategoryTranslation(_TranslationBase):
    seo_title = graphene.String()
    seo_description = graphene.String()
    slug = graphene.String()
    name = graphene.String()
    description = JSONString()

    resolve_id = _with_id("CategoryTranslation")


class CollectionTranslation(_TranslationBase):
    seo_title = graphene.String()
    seo_description = graphene.String()
    slug = graphene.String()
    name = graphene.String()
    description = JSONString()

    resolve_id = _with_id("CollectionTranslation")


class AttributeTranslation(_TranslationBase):
    name = graphene.String(required=True)

    resolve_id = _with_id("AttributeTranslation")


class AttributeValueTranslation(_TranslationBase):
    name = graphene.String(required=True)
    plain_text = graphene.String()

    resolve_id = _with_id("AttributeValueTranslation")
