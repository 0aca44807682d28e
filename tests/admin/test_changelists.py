"""Changelists stay cheap and speak the back-office user's language."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saleor_ext.core.admin import LargeTablePaginator
from tests.factories import make_category, make_product

from .conftest import logged_in

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/product/product/",
        "/dashboard/product/productvariant/",
        "/dashboard/warehouse/stock/",
        "/dashboard/warehouse/warehouse/",
        "/dashboard/grading/variantgrade/",
    ],
)
def test_changelist_query_count_does_not_grow_with_rows(shop_a, url):
    client = logged_in(shop_a.staff)
    client.get(url)  # warm the session and content types
    few = _queries(client, url)
    for _ in range(5):
        make_product(shop_a.vendor, warehouse=shop_a.warehouse, category=make_category())
    assert _queries(client, url) == few


def test_large_unfiltered_changelist_counts_from_table_statistics(federation_client, shop_a, shop_b, monkeypatch):
    monkeypatch.setattr(LargeTablePaginator, "EXACT_BELOW", 1)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE product_product")
    with CaptureQueriesContext(connection) as captured:
        response = federation_client.get("/dashboard/product/product/")
    assert response.context["cl"].result_count == 2
    assert any("pg_class" in q["sql"] for q in captured.captured_queries)
    assert not any("COUNT(*)" in q["sql"] and "product_product" in q["sql"] for q in captured.captured_queries)


def test_vendor_staff_browse_the_category_tree_read_only(shop_a):
    make_category("Bikes")
    response = logged_in(shop_a.staff).get("/dashboard/product/category/")
    assert response.status_code == 200
    assert "Bikes" in response.content.decode()
    assert not response.context["has_add_permission"]


@pytest.mark.parametrize(("language", "text"), [("fr", "Déconnexion"), ("nl", "Afmelden"), ("en", "Log out")])
def test_back_office_speaks_the_users_language(shop_a, language, text):
    response = logged_in(shop_a.staff).get("/dashboard/", HTTP_ACCEPT_LANGUAGE=language)
    assert text in response.content.decode()


def test_product_page_previews_its_images(shop_a):
    from saleor_ext.product.models import ProductMedia

    ProductMedia.objects.create(product=shop_a.product, external_url="https://img.example.org/bike.jpg", alt="bike")
    client = logged_in(shop_a.staff)

    page = client.get(f"/dashboard/product/product/{shop_a.product.pk}/change/").content.decode()

    assert '<img src="https://img.example.org/bike.jpg" alt="bike"' in page
