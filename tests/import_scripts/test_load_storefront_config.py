"""The declarative configuration loads into a usable catalogue structure, and reloads cleanly."""

from __future__ import annotations

from django.core.management import call_command

from plugins.grading.loader import scheme_for_category
from plugins.grading.models import Grade, GradingScheme
from saleor_ext.attribute.models import Attribute, AttributeProduct, AttributeValue, AttributeVariant
from saleor_ext.channel.models import Channel
from saleor_ext.product.models import Category, CategoryTranslation, Collection, ProductType
from saleor_ext.site.models import SiteSettings

MODELS = (Channel, Category, CategoryTranslation, ProductType, Attribute, AttributeValue, AttributeProduct,
          AttributeVariant, GradingScheme, Grade, Collection, SiteSettings)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_loading_twice_changes_nothing(db):
    call_command("load_storefront_config")
    first = counts()
    grades_before = list(Grade.objects.order_by("pk").values())
    call_command("load_storefront_config")
    assert counts() == first
    assert list(Grade.objects.order_by("pk").values()) == grades_before
    assert first["SiteSettings"] == 1


def test_marketplace_channel_and_published_select_collection(db):
    call_command("load_storefront_config")
    channel = Channel.objects.get(slug="marketplace")
    assert (channel.name, channel.currency_code, channel.default_country, channel.is_active) == (
        "Marketplace", "EUR", "BE", True)
    listing = Collection.objects.get(slug="select").channel_listings.get()
    assert listing.channel == channel and listing.is_published


def test_category_tree_is_translated_in_three_languages(db):
    call_command("load_storefront_config")
    roots = set(Category.objects.filter(parent=None).values_list("slug", flat=True))
    assert roots == {"bikes", "it-phones", "books", "vintage", "building-materials", "textile", "furniture",
                     "appliances", "toys"}
    ebikes = Category.objects.get(slug="e-bikes")
    assert ebikes.parent.slug == "bikes"
    names = dict(ebikes.translations.values_list("language_code", "name"))
    assert names == {"FR": "Vélos électriques", "NL": "Elektrische fietsen", "EN": "E-bikes"}
    assert ebikes.translations.get(language_code="NL").slug == "elektrische-fietsen"
    assert ebikes.metadata["default_product_type"] == "e-bike"


def test_product_types_carry_typed_attributes(db):
    call_command("load_storefront_config")
    laptop = ProductType.objects.get(slug="computer")
    product_attrs = set(AttributeProduct.objects.filter(product_type=laptop).values_list("attribute__slug", flat=True))
    variant_attrs = set(AttributeVariant.objects.filter(product_type=laptop).values_list("attribute__slug", flat=True))
    assert {"it-brand", "keyboard-layout", "screen-size-inch"} <= product_attrs
    assert {"battery-health", "data-wiped"} <= variant_attrs
    assert set(Attribute.objects.get(slug="keyboard-layout").values.values_list("name", flat=True)) >= {
        "AZERTY BE", "QWERTY US"}
    assert Attribute.objects.get(slug="battery-health").unit == "%"
    assert Attribute.objects.get(slug="data-wiped").input_type == "boolean"
    assert Attribute.objects.get(slug="author").input_type == "plain-text"


def test_every_grade_has_labels_and_standard_conditions(db):
    call_command("load_storefront_config")
    assert set(GradingScheme.objects.values_list("code", flat=True)) == {
        "bikes", "it-phones", "books", "textile", "furniture-vintage", "building-materials", "appliances", "toys"}
    for grade in Grade.objects.all():
        assert grade.label_fr and grade.label_nl and grade.label_en
        assert grade.description_fr and grade.description_nl and grade.description_en
        assert grade.schema_org_condition in {"NewCondition", "UsedCondition", "RefurbishedCondition",
                                              "DamagedCondition"}
        assert grade.google_condition in {"new", "used", "refurbished"}
        assert grade.ebay_condition_id
    refurbished = Grade.objects.get(scheme__code="it-phones", code="excellent")
    assert (refurbished.schema_org_condition, refurbished.google_condition) == ("RefurbishedCondition",
                                                                                 "refurbished")
    assert refurbished.label("nl") == "Gereviseerd – uitstekend"
    bikes = GradingScheme.objects.get(code="bikes")
    assert {item["code"] for item in bikes.checklist} >= {"safety-check-date", "brakes-ok", "tyres-ok"}
    assert all(item["label_nl"] for item in bikes.checklist)


def test_schemes_cover_category_subtrees(db):
    call_command("load_storefront_config")
    assert scheme_for_category(Category.objects.get(slug="e-bikes")).code == "bikes"
    assert scheme_for_category(Category.objects.get(slug="vinyl-records")).code == "furniture-vintage"
    assert scheme_for_category(Category.objects.get(slug="sofas")).code == "furniture-vintage"
    assert scheme_for_category(Category.objects.get(slug="toys")).code == "toys"
