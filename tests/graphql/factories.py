"""A small real catalogue for the GraphQL read API: products with variants, grades, attributes,
media, translations, stock in the channel's warehouses, collections and categories."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.text import slugify
from PIL import Image

from plugins.grading.models import Grade, GradingScheme, VariantGrade
from saleor_ext.attribute.models import (
    AssignedProductAttributeValue,
    AssignedVariantAttribute,
    AssignedVariantAttributeValue,
    Attribute,
    AttributeProduct,
    AttributeTranslation,
    AttributeValue,
    AttributeVariant,
)
from saleor_ext.channel.models import Channel
from saleor_ext.product.models import (
    Category,
    CategoryTranslation,
    Collection,
    CollectionChannelListing,
    CollectionProduct,
    Product,
    ProductChannelListing,
    ProductMedia,
    ProductTranslation,
    ProductType,
    ProductVariant,
    ProductVariantChannelListing,
    ProductVariantTranslation,
)
from saleor_ext.vendor.models import Vendor
from saleor_ext.warehouse.models import ChannelWarehouse, Stock, Warehouse
from tests.factories import make_address, make_channel, make_vendor


def png_file(name: str = "photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@dataclass
class Catalogue:
    channel: Channel
    vendor_a: Vendor
    vendor_b: Vendor
    bikes: Category
    city_bikes: Category
    computers: Category
    product_type: ProductType
    grades: dict[str, Grade]
    attributes: dict[str, Attribute]
    warehouses: dict[int, Warehouse] = field(default_factory=dict)
    products: dict[str, Product] = field(default_factory=dict)
    select: Collection | None = None


def make_grades() -> dict[str, Grade]:
    scheme = GradingScheme.objects.create(code="bikes", name_fr="Vélos", name_nl="Fietsen", name_en="Bikes")
    labels = {
        "A": ("Comme neuf", "Als nieuw", "Like new", "RefurbishedCondition", "refurbished"),
        "B": ("Très bon état", "Zeer goede staat", "Very good", "UsedCondition", "used"),
        "C": ("État correct", "Redelijke staat", "Fair", "UsedCondition", "used"),
    }
    grades = {}
    for rank, (code, (fr, nl, en, schema_org, google)) in enumerate(labels.items(), start=1):
        grades[code] = Grade.objects.create(
            scheme=scheme, code=code, rank=rank, label_fr=fr, label_nl=nl, label_en=en,
            schema_org_condition=schema_org, google_condition=google,
        )
    return grades


def make_attributes(product_type: ProductType) -> dict[str, Attribute]:
    specs = [
        ("bestseller", "Bestseller", "boolean", "product"),
        ("material", "Matière", "plain-text", "product"),
        ("frame-size-cm", "Taille du cadre", "numeric", "product"),
        ("brand", "Marque", "dropdown", "product"),
        ("colors", "Couleurs", "multiselect", "product"),
        ("size", "Taille", "dropdown", "variant"),
    ]
    attributes = {}
    for slug, name, input_type, level in specs:
        attribute = Attribute.objects.create(slug=slug, name=name, input_type=input_type)
        attributes[slug] = attribute
        if level == "product":
            AttributeProduct.objects.create(attribute=attribute, product_type=product_type)
        else:
            AttributeVariant.objects.create(attribute=attribute, product_type=product_type, variant_selection=True)
    AttributeTranslation.objects.create(attribute=attributes["size"], language_code="NL", name="Maat")
    return attributes


def make_catalogue() -> Catalogue:
    channel = make_channel("marketplace")
    vendor_a = make_vendor("Recyclerie Alpha", address=make_address(city="Namur"), opening_hours={"mon": "10-18"})
    vendor_b = make_vendor("Ressourcerie Beta", address=make_address(city="Liège"))
    bikes = Category.objects.create(name="Vélos", slug="velos", background_image=png_file("bg.png"))
    city_bikes = Category.objects.create(name="Vélos de ville", slug="velos-de-ville", parent=bikes)
    computers = Category.objects.create(name="Informatique", slug="informatique")
    CategoryTranslation.objects.create(category=bikes, language_code="NL", name="Fietsen", slug="fietsen")
    CategoryTranslation.objects.create(category=bikes, language_code="EN", name="Bikes", slug="bikes")
    product_type = ProductType.objects.create(name="Vélo", slug="velo")
    catalogue = Catalogue(
        channel=channel, vendor_a=vendor_a, vendor_b=vendor_b, bikes=bikes, city_bikes=city_bikes,
        computers=computers, product_type=product_type, grades=make_grades(),
        attributes=make_attributes(product_type),
    )
    for vendor in (vendor_a, vendor_b):
        warehouse = Warehouse.objects.create(
            vendor=vendor, name=f"{vendor.name} shop", slug=f"{vendor.slug}-shop", address=make_address()
        )
        ChannelWarehouse.objects.get_or_create(channel=channel, warehouse=warehouse)
        catalogue.warehouses[vendor.pk] = warehouse
    return catalogue


def value_of(attribute: Attribute, name: str, **fields) -> AttributeValue:
    value, _ = AttributeValue.objects.get_or_create(
        attribute=attribute, slug=slugify(name), defaults={"name": name, **fields}
    )
    return value


def make_item(
    catalogue: Catalogue,
    name: str,
    *,
    vendor: Vendor | None = None,
    category: Category | None = None,
    prices: list[str] = ("10.00",),
    quantities: list[int] | None = None,
    grade: str | None = "B",
    published: bool = True,
    visible_in_listings: bool = True,
    with_media: bool = True,
    rating: float | None = None,
    translations: dict[str, str] | None = None,
) -> Product:
    """A product listed in the catalogue's channel with one variant per price."""
    vendor = vendor or catalogue.vendor_a
    quantities = list(quantities) if quantities is not None else [1] * len(prices)
    channel = catalogue.channel
    attrs = catalogue.attributes
    product = Product.objects.create(
        vendor=vendor, name=name, slug=slugify(name), product_type=catalogue.product_type,
        category=category or catalogue.city_bikes, rating=rating,
        description={"blocks": [{"type": "paragraph", "data": {"text": f"{name}, bon état"}}]},
        seo_title=name, weight=12.5,
    )
    sizes = ["S", "M", "L", "XL"]
    for index, (price, quantity) in enumerate(zip(prices, quantities)):
        variant = ProductVariant.objects.create(
            product=product, vendor=vendor, sku=f"{product.slug}-{index}", name=sizes[index % 4]
        )
        ProductVariantChannelListing.objects.create(
            variant=variant, channel=channel, currency="EUR", price_amount=Decimal(price)
        )
        Stock.objects.create(product_variant=variant, warehouse=catalogue.warehouses[vendor.pk], quantity=quantity)
        assignment = AssignedVariantAttribute.objects.create(
            variant=variant, assignment=AttributeVariant.objects.get(attribute=attrs["size"])
        )
        AssignedVariantAttributeValue.objects.create(
            assignment=assignment, value=value_of(attrs["size"], sizes[index % 4])
        )
        if grade:
            VariantGrade.objects.create(variant=variant, grade=catalogue.grades[grade])
        if index == 0:
            product.default_variant = variant
            product.save(update_fields=["default_variant"])
    ProductChannelListing.objects.create(
        product=product, channel=channel, currency="EUR", is_published=published,
        visible_in_listings=visible_in_listings, discounted_price_amount=min(Decimal(p) for p in prices),
    )
    for value in (
        value_of(attrs["bestseller"], f"bestseller-{product.pk}", boolean=True),
        value_of(attrs["material"], f"material-{product.pk}", plain_text="Acier"),
        value_of(attrs["frame-size-cm"], f"frame-{product.pk}", numeric=54.0),
        value_of(attrs["brand"], "Gazelle"),
        value_of(attrs["colors"], "Rouge"),
        value_of(attrs["colors"], "Noir"),
    ):
        AssignedProductAttributeValue.objects.create(product=product, value=value)
    if with_media:
        ProductMedia.objects.create(product=product, image=png_file(), alt=f"Photo de {name}")
    for code, translated in (translations or {}).items():
        ProductTranslation.objects.create(
            product=product, language_code=code, name=translated, slug=slugify(translated)
        )
        for variant in product.variants.all():
            ProductVariantTranslation.objects.create(
                product_variant=variant, language_code=code, name=f"{translated} {variant.name}"
            )
    catalogue.products[name] = product
    return product


def make_select_collection(catalogue: Catalogue, products: list[Product]) -> Collection:
    collection = Collection.objects.create(name="Sélection", slug="select")
    CollectionChannelListing.objects.create(collection=collection, channel=catalogue.channel, is_published=True)
    for product in products:
        CollectionProduct.objects.create(collection=collection, product=product)
    catalogue.select = collection
    return collection


def make_standard_catalogue() -> Catalogue:
    """The scenario most tests read: two shops, published and hidden items, a collection."""
    catalogue = make_catalogue()
    gazelle = make_item(
        catalogue, "Vélo de ville Gazelle", prices=["120.00"], grade="A", rating=4.5,
        translations={"NL": "Stadsfiets Gazelle", "EN": "Gazelle city bike"},
    )
    brompton = make_item(
        catalogue, "Vélo pliant Brompton", vendor=catalogue.vendor_b, prices=["450.00", "480.00"],
        quantities=[2, 0], grade="B", rating=4.9,
    )
    make_item(catalogue, "Laptop ThinkPad", category=catalogue.computers, prices=["200.00"], quantities=[0],
              grade="C", rating=3.0)
    make_item(catalogue, "Brouillon Alpha", published=False)
    make_item(catalogue, "Brouillon Beta", vendor=catalogue.vendor_b, published=False)
    make_item(catalogue, "Vélo caché Beta", vendor=catalogue.vendor_b, visible_in_listings=False)
    make_select_collection(catalogue, [brompton, gazelle])
    return catalogue
