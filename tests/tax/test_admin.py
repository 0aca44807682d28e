"""VAT in the back-office: the federation keeps tax classes, product types and exempt shops."""

from __future__ import annotations

from decimal import Decimal

import pytest

from saleor_ext.product.models import ProductType
from saleor_ext.tax.models import TaxClass
from saleor_ext.vendor.models import Vendor
from tests.admin.conftest import logged_in
from tests.admin.forms import add_inline_row, page_form_data
from tests.factories import make_product_type, make_superuser, make_vendor, make_vendor_staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def federation():
    return logged_in(make_superuser())


def test_federation_staff_add_a_tax_class_with_its_rates(federation):
    data = page_form_data(federation.get("/dashboard/tax/taxclass/add/"))
    data["name"] = "Vélos réparés"
    add_inline_row(data, "country_rates", country="BE", rate="6")
    add_inline_row(data, "country_rates", country="FR", rate="5.5")

    response = federation.post("/dashboard/tax/taxclass/add/", data)

    assert response.status_code == 302
    rates = TaxClass.objects.get(name="Vélos réparés").country_rates.order_by("country")
    assert [(r.country, r.rate) for r in rates] == [("BE", Decimal("6")), ("FR", Decimal("5.5"))]
    listing = federation.get("/dashboard/tax/taxclass/").content.decode()
    assert "BE 6 %, FR 5.5 %" in listing


def test_a_rate_above_100_percent_is_refused(federation):
    data = page_form_data(federation.get("/dashboard/tax/taxclass/add/"))
    data["name"] = "Typo"
    add_inline_row(data, "country_rates", country="BE", rate="210")

    response = federation.post("/dashboard/tax/taxclass/add/", data)

    assert response.status_code == 200
    assert not TaxClass.objects.filter(name="Typo").exists()


def test_vendor_staff_cannot_change_tax_classes():
    client = logged_in(make_vendor_staff(make_vendor()))
    standard = TaxClass.objects.get(name="Standard 21 %")

    assert client.get("/dashboard/tax/taxclass/add/").status_code == 403
    assert client.post(f"/dashboard/tax/taxclass/{standard.pk}/change/", {"name": "Zero"}).status_code == 403
    assert TaxClass.objects.get(pk=standard.pk).name == "Standard 21 %"


def test_a_product_type_gets_its_tax_class_in_the_back_office(federation):
    book = make_product_type("Livre")
    url = f"/dashboard/product/producttype/{book.pk}/change/"
    data = page_form_data(federation.get(url))
    data["tax_class"] = str(TaxClass.objects.get(name="Reduced 6 %").pk)

    response = federation.post(url, data)

    assert response.status_code == 302
    assert ProductType.objects.get(pk=book.pk).tax_class.name == "Reduced 6 %"


def test_federation_staff_mark_a_shop_vat_exempt(federation):
    shop = make_vendor("Petite bouquinerie")
    url = f"/dashboard/vendor/vendor/{shop.pk}/change/"
    data = page_form_data(federation.get(url))
    data["vat_exempt"] = "on"

    response = federation.post(url, data)

    assert response.status_code == 302
    assert Vendor.objects.get(pk=shop.pk).vat_exempt


def test_a_shops_staff_see_but_cannot_change_its_vat_exemption():
    shop = make_vendor("Petite bouquinerie")
    client = logged_in(make_vendor_staff(shop))
    url = f"/dashboard/vendor/vendor/{shop.pk}/change/"
    page = client.get(url)
    assert "vat_exempt" not in page.context["adminform"].form.fields
    assert "VAT exempt" in page.content.decode() or "Vat exempt" in page.content.decode()
    data = page_form_data(page)
    data["vat_exempt"] = "on"

    client.post(url, data)

    assert not Vendor.objects.get(pk=shop.pk).vat_exempt


def test_a_country_given_twice_in_a_class_is_refused_not_a_server_error(federation):
    data = page_form_data(federation.get("/dashboard/tax/taxclass/add/"))
    data["name"] = "Twice"
    add_inline_row(data, "country_rates", country="BE", rate="6")
    add_inline_row(data, "country_rates", country="BE", rate="12")

    response = federation.post("/dashboard/tax/taxclass/add/", data)

    assert response.status_code == 200
    assert not TaxClass.objects.filter(name="Twice").exists()


def test_one_default_rate_per_country(federation):
    first = federation.post("/dashboard/tax/taxclasscountryrate/add/", {"country": "LU", "rate": "16"})
    second = federation.post("/dashboard/tax/taxclasscountryrate/add/", {"country": "LU", "rate": "15"})

    assert first.status_code == 302
    assert second.status_code == 200
    assert second.context["adminform"].form.errors
