"""Loads the declarative storefront configuration (storefront_config/*.yaml) into the database.

Every loader is idempotent: objects are matched by slug or code and updated in place, so running
it again after editing a file applies the change and nothing else.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import transaction
from slugify import slugify

from plugins.grading.loader import load_grading_schemes
from saleor_ext.attribute.models import (
    Attribute,
    AttributeInputType,
    AttributeProduct,
    AttributeTranslation,
    AttributeValue,
    AttributeValueTranslation,
    AttributeVariant,
)
from saleor_ext.channel.models import Channel
from saleor_ext.core.rich_text import editorjs_from_text
from saleor_ext.product.models import (
    Category,
    CategoryTranslation,
    Collection,
    CollectionChannelListing,
    CollectionTranslation,
    ProductType,
)
from saleor_ext.site.models import SiteSettings

CONFIG_DIR = Path(settings.BASE_DIR) / "storefront_config"
LANGUAGES = ("FR", "NL", "EN")
DEFAULT_LANGUAGE = "FR"
SELECT_COLLECTION_SLUG = "select"


def read_yaml(name: str, config_dir: Path = CONFIG_DIR) -> dict[str, Any]:
    with open(config_dir / name, encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def _names(value: str | dict[str, str]) -> dict[str, str]:
    """A name given once (same in every language) or per language."""
    if isinstance(value, dict):
        return {lang: str(value.get(lang) or value[DEFAULT_LANGUAGE]) for lang in LANGUAGES}
    return dict.fromkeys(LANGUAGES, str(value))


# -- channels, collections, site --------------------------------------------------------------


def load_channels(config: dict[str, Any]) -> list[Channel]:
    channels = []
    for data in config.get("channels", []):
        channel, _ = Channel.objects.update_or_create(
            slug=data["slug"],
            defaults={
                "name": data["name"],
                "currency_code": data.get("currency_code", settings.DEFAULT_CURRENCY),
                "default_country": data.get("default_country", settings.DEFAULT_COUNTRY),
                "is_active": data.get("is_active", True),
                "allocation_strategy": data.get("allocation_strategy", "prioritize-sorting-order"),
            },
        )
        channels.append(channel)
    return channels


def load_collections(config: dict[str, Any]) -> list[Collection]:
    collections = []
    for data in config.get("collections", []):
        description = data.get("description", {})
        collection, _ = Collection.objects.update_or_create(
            slug=data["slug"],
            defaults={
                "name": data["name"],
                "description": editorjs_from_text(description[DEFAULT_LANGUAGE]) if description else None,
            },
        )
        for lang, tr in data.get("translations", {}).items():
            CollectionTranslation.objects.update_or_create(
                collection=collection,
                language_code=lang,
                defaults={
                    "name": tr["name"],
                    "slug": tr.get("slug"),
                    "description": editorjs_from_text(description[lang]) if lang in description else None,
                },
            )
        for channel in Channel.objects.filter(slug__in=data.get("channels", [])):
            CollectionChannelListing.objects.update_or_create(
                collection=collection, channel=channel, defaults={"is_published": True}
            )
        collections.append(collection)
    return collections


def load_site_settings(config: dict[str, Any]) -> SiteSettings:
    site = SiteSettings.get()
    changed = False
    for key, value in config.get("site", {}).items():
        if getattr(site, key) != value:
            setattr(site, key, value)
            changed = True
    if changed:
        site.save()
    return site


# -- attributes, product types, categories -----------------------------------------------------


def _value_slug(names: dict[str, str]) -> str:
    return slugify(names[DEFAULT_LANGUAGE]) or slugify(names["EN"])


def load_attributes(config: dict[str, Any]) -> dict[str, Attribute]:
    attributes = {}
    for data in config.get("attributes", []):
        names = _names(data["name"])
        input_type = data.get("input_type", AttributeInputType.DROPDOWN)
        attribute, _ = Attribute.objects.update_or_create(
            slug=data["slug"],
            defaults={
                "name": names[DEFAULT_LANGUAGE],
                "input_type": input_type,
                "unit": data.get("unit"),
                "filterable_in_storefront": input_type != AttributeInputType.PLAIN_TEXT,
            },
        )
        for lang in LANGUAGES:
            AttributeTranslation.objects.update_or_create(
                attribute=attribute, language_code=lang, defaults={"name": names[lang]}
            )
        for position, raw in enumerate(data.get("values", [])):
            value_names = _names(raw)
            value, created = AttributeValue.objects.get_or_create(
                attribute=attribute,
                slug=_value_slug(value_names),
                defaults={"name": value_names[DEFAULT_LANGUAGE], "sort_order": position},
            )
            if not created and (value.name, value.sort_order) != (value_names[DEFAULT_LANGUAGE], position):
                value.name, value.sort_order = value_names[DEFAULT_LANGUAGE], position
                value.save(update_fields=["name", "sort_order"])
            if isinstance(raw, dict):
                for lang in LANGUAGES:
                    AttributeValueTranslation.objects.update_or_create(
                        attribute_value=value, language_code=lang, defaults={"name": value_names[lang]}
                    )
        attributes[attribute.slug] = attribute
    return attributes


def load_product_types(config: dict[str, Any], attributes: dict[str, Attribute]) -> dict[str, ProductType]:
    product_types = {}
    for data in config.get("product_types", []):
        variant_slugs = data.get("variant_attributes", [])
        product_type, _ = ProductType.objects.update_or_create(
            slug=data["slug"],
            defaults={"name": data["name"], "weight": data.get("weight"), "has_variants": bool(variant_slugs)},
        )
        for position, slug in enumerate(data.get("product_attributes", [])):
            AttributeProduct.objects.update_or_create(
                attribute=attributes[slug], product_type=product_type, defaults={"sort_order": position}
            )
        for position, slug in enumerate(variant_slugs):
            AttributeVariant.objects.update_or_create(
                attribute=attributes[slug],
                product_type=product_type,
                defaults={"sort_order": position, "variant_selection": position == 0},
            )
        product_types[product_type.slug] = product_type
    return product_types


def _load_category(data: dict[str, Any], parent: Category | None, inherited_type: str | None) -> list[Category]:
    names = _names(data["name"])
    product_type = data.get("product_type", inherited_type)
    description = data.get("description", {})
    defaults = {
        "name": names[DEFAULT_LANGUAGE],
        "parent": parent,
        "description": editorjs_from_text(description[DEFAULT_LANGUAGE]) if description else None,
        "description_plaintext": description.get(DEFAULT_LANGUAGE, ""),
        "metadata": {"default_product_type": product_type} if product_type else {},
    }
    category = Category.objects.filter(slug=data["slug"]).first()
    if category is None:
        category = Category.objects.create(slug=data["slug"], **defaults)
    elif any(getattr(category, key) != value for key, value in defaults.items()):
        for key, value in defaults.items():
            setattr(category, key, value)
        category.save()
    slugs = data.get("translated_slug", {})
    for lang in LANGUAGES:
        CategoryTranslation.objects.update_or_create(
            category=category,
            language_code=lang,
            defaults={
                "name": names[lang],
                "slug": slugs.get(lang),
                "description": editorjs_from_text(description[lang]) if lang in description else None,
            },
        )
    loaded = [category]
    for child in data.get("children", []):
        loaded += _load_category(child, category, product_type)
    return loaded


def load_categories(config: dict[str, Any]) -> list[Category]:
    loaded = []
    for root in config.get("categories", []):
        loaded += _load_category(root, None, None)
    return loaded


@transaction.atomic
def load_storefront_config(config_dir: Path = CONFIG_DIR) -> dict[str, int]:
    """Load channels, the catalogue structure, grading schemes, the select collection and site settings."""
    channels_config = read_yaml("channels.yaml", config_dir)
    catalogue_config = read_yaml("categories.yaml", config_dir)
    channels = load_channels(channels_config)
    attributes = load_attributes(catalogue_config)
    product_types = load_product_types(catalogue_config, attributes)
    categories = load_categories(catalogue_config)
    schemes = load_grading_schemes(read_yaml("grading.yaml", config_dir))
    collections = load_collections(channels_config)
    load_site_settings(channels_config)
    return {
        "channels": len(channels),
        "attributes": len(attributes),
        "product_types": len(product_types),
        "categories": len(categories),
        "grading_schemes": len(schemes),
        "collections": len(collections),
    }
