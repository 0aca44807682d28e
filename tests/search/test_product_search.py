"""Shoppers find items whatever their accents, case, typos or language (FR/NL)."""

from __future__ import annotations

import pytest

from saleor_ext.attribute.models import AssignedProductAttributeValue, Attribute, AttributeValue
from saleor_ext.product.models import (
    Category,
    Product,
    ProductTranslation,
    ProductType,
    ProductVariant,
)
from saleor_ext.product.search import search_products, update_products_search_vector
from saleor_ext.product.services import product_search_index_touch
from saleor_ext.vendor.models import Vendor


@pytest.fixture
def catalogue(db):
    vendor = Vendor.objects.create(name="Ressourcerie du Val de Sambre", slug="val-de-sambre")
    bikes = Category.objects.create(name="Vélos", slug="velos")
    ebikes = Category.objects.create(name="Vélos électriques", slug="velos-electriques", parent=bikes)
    books = Category.objects.create(name="Livres", slug="livres")
    product_type = ProductType.objects.create(name="Objet", slug="objet")

    def make(name: str, description: str, category: Category, slug: str, sku: str) -> Product:
        product = Product.objects.create(
            name=name,
            slug=slug,
            description_plaintext=description,
            category=category,
            vendor=vendor,
            product_type=product_type,
        )
        ProductVariant.objects.create(product=product, vendor=vendor, sku=sku)
        return product

    items = {
        "ebike": make(
            "Vélo électrique Gazelle Orange C7",
            "Batterie 400 Wh révisée, freins neufs.",
            ebikes,
            "velo-electrique-gazelle",
            "VEL-0001",
        ),
        "bicycle_in_text": make(
            "Sacoche de porte-bagages",
            "Se fixe sur tout vélo de ville, idéale pour la bicyclette du quotidien.",
            bikes,
            "sacoche",
            "ACC-0002",
        ),
        "novel": make(
            "Roman policier Simenon",
            "Maigret et le corps sans tête, édition de poche.",
            books,
            "simenon",
            "LIV-0003",
        ),
    }
    ProductTranslation.objects.create(
        product=items["ebike"], language_code="NL", name="Elektrische fiets Gazelle Orange C7"
    )
    brand = Attribute.objects.create(slug="marque", name="Marque", input_type="dropdown")
    gazelle = AttributeValue.objects.create(attribute=brand, name="Gazelle", slug="gazelle")
    AssignedProductAttributeValue.objects.create(value=gazelle, product=items["ebike"])
    update_products_search_vector(Product.objects.all())
    return items


def found(value: str) -> list[str]:
    return list(
        search_products(Product.objects.all(), value).order_by("-search_rank", "pk").values_list("slug", flat=True)
    )


def test_search_ignores_accents_and_case(catalogue):
    assert "velo-electrique-gazelle" in found("velo")
    assert "velo-electrique-gazelle" in found("VÉLO ÉLECTRIQUE")
    assert found("maigret") == ["simenon"]


def test_search_tolerates_typos(catalogue):
    assert found("velo electirque") == ["velo-electrique-gazelle"]
    assert "sacoche" in found("biciclette")
    assert found("simenom") == ["simenon"]


def test_search_finds_dutch_translation(catalogue):
    assert found("fiets") == ["velo-electrique-gazelle"]
    assert found("elektrische fietsen") == ["velo-electrique-gazelle"]


def test_search_finds_french_plural_and_category_path(catalogue):
    # "vélos" stems to the same word as "vélo"; the e-bike's parent category is "Vélos".
    assert found("vélos")[0] == "velo-electrique-gazelle"
    assert "sacoche" in found("vélos")


def test_search_matches_sku_vendor_and_attribute(catalogue):
    assert found("LIV-0003") == ["simenon"]
    assert set(found("sambre")) == {"velo-electrique-gazelle", "sacoche", "simenon"}
    assert "velo-electrique-gazelle" in found("gazelle")


def test_name_match_ranks_above_description_match(catalogue):
    results = found("vélo")
    assert results.index("velo-electrique-gazelle") < results.index("sacoche")
    ranks = dict(
        search_products(Product.objects.all(), "vélo").values_list("slug", "search_rank")
    )
    assert ranks["velo-electrique-gazelle"] > ranks["sacoche"] > 0


def _add_product(catalogue, name: str, description: str, slug: str, sku: str) -> Product:
    novel = catalogue["novel"]
    product = Product.objects.create(
        name=name,
        slug=slug,
        description_plaintext=description,
        category=novel.category,
        vendor=novel.vendor,
        product_type=novel.product_type,
    )
    ProductVariant.objects.create(product=product, vendor=novel.vendor, sku=sku)
    update_products_search_vector([product])
    return product


def test_name_match_ranks_above_description_only_match_even_through_a_stem(catalogue):
    # "lampes" is in the wardrobe's description only; the lamp's name has the singular, which
    # only the French stem ("lamp") connects to the query.
    _add_product(catalogue, "Lampe de chevet en laiton", "Abat-jour en tissu, ampoule E27.", "lampe", "LAM-0004")
    _add_product(catalogue, "Armoire normande", "Livrée avec deux lampes de chevet assorties.", "armoire", "ARM-0005")
    assert found("lampes") == ["lampe", "armoire"]
    ranks = dict(search_products(Product.objects.all(), "lampes").values_list("slug", "search_rank"))
    assert ranks["lampe"] > ranks["armoire"] == 0.0


def test_whole_word_ranks_above_a_longer_word_it_starts(catalogue):
    _add_product(catalogue, "Fauteuil en velours", "Assise profonde.", "fauteuil", "FAU-0006")
    _add_product(catalogue, "Vélo de course", "Cadre acier.", "course", "VEL-0007")
    results = found("velo")
    assert results.index("course") < results.index("fauteuil")


def test_product_not_yet_reindexed_for_ranking_is_found_with_zero_rank(catalogue):
    Product.objects.filter(pk=catalogue["ebike"].pk).update(search_rank_vector=None)
    ranks = dict(search_products(Product.objects.all(), "gazelle").values_list("slug", "search_rank"))
    assert ranks == {"velo-electrique-gazelle": 0.0}


def test_blank_search_returns_everything_with_zero_rank(catalogue):
    results = search_products(Product.objects.all(), "   ")
    assert results.count() == 3
    assert {p.search_rank for p in results} == {0.0}


def test_unmatched_and_unsearchable_values_find_nothing(catalogue):
    assert found("frigo") == []
    assert found("!!!") == []


def test_every_word_must_match(catalogue):
    assert found("vélo simenon") == []


def test_touching_a_product_refreshes_its_index_after_commit(catalogue, django_capture_on_commit_callbacks):
    novel = catalogue["novel"]
    with django_capture_on_commit_callbacks(execute=True):
        Product.objects.filter(pk=novel.pk).update(name="Bande dessinée Tintin")
        product_search_index_touch(novel)
    assert found("tintin") == ["simenon"]
    novel.refresh_from_db()
    assert novel.search_index_dirty is False


def test_index_task_rebuilds_only_dirty_products_up_to_its_limit(catalogue):
    from saleor_ext.product.services import mark_products_search_vector_as_dirty
    from saleor_ext.product.tasks import update_products_search_vector_task

    ids = sorted(p.pk for p in catalogue.values())
    assert mark_products_search_vector_as_dirty(ids) == 3
    assert update_products_search_vector_task(limit=2) == 2
    assert Product.objects.filter(search_index_dirty=True).count() == 1
    assert update_products_search_vector_task() == 1
    assert update_products_search_vector_task() == 0


def test_search_indexes_are_back_after_a_bulk_load(catalogue):
    from django.db import connection

    from saleor_ext.product.search import BULK_REBUILT_INDEXES, search_indexes_suspended

    def index_names() -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'product_product'")
            return {row[0] for row in cursor.fetchall()}

    with search_indexes_suspended():
        assert not index_names() & set(BULK_REBUILT_INDEXES)
        update_products_search_vector(Product.objects.all())
    assert set(BULK_REBUILT_INDEXES) <= index_names()
    assert found("gazelle") == ["velo-electrique-gazelle"]
