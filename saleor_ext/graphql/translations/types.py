"""Translation types: what a shopper reads in FR, NL or EN."""

from __future__ import annotations

import graphene
from django.conf import settings

from ..core.scalars import JSONString
from ..core.types import GlobalId, LanguageCodeEnum, LanguageDisplay


def language_display(code: str) -> LanguageDisplay:
    names = dict(settings.LANGUAGES)
    enum_code = code.upper().replace("-", "_")
    return LanguageDisplay(code=LanguageCodeEnum[enum_code], language=names.get(code.lower()[:2], code))


class _TranslationBase(GlobalId):
    language = graphene.Field(LanguageDisplay, required=True)

    @staticmethod
    def resolve_language(root, _info):
        return language_display(root.language_code)


class ProductTranslation(_TranslationBase):
    seo_title = graphene.String()
    seo_description = graphene.String()
    slug = graphene.String()
    name = graphene.String()
    description = JSONString()


class ProductVariantTranslation(_TranslationBase):
    name = graphene.String(required=True)


class CategoryTranslation(_TranslationBase):
    seo_title = graphene.String()
    seo_description = graphene.String()
    slug = graphene.String()
    name = graphene.String()
    description = JSONString()


class CollectionTranslation(_TranslationBase):
    seo_title = graphene.String()
    seo_description = graphene.String()
    slug = graphene.String()
    name = graphene.String()
    description = JSONString()


class AttributeTranslation(_TranslationBase):
    name = graphene.String(required=True)


class AttributeValueTranslation(_TranslationBase):
    name = graphene.String(required=True)
    plain_text = graphene.String()
