"""In the back-office a shop's staff see and change only their own shipping zones and methods."""

from __future__ import annotations

from decimal import Decimal

import pytest

from saleor_ext.shipping.models import ShippingMethod, ShippingMethodChannelListing, ShippingZone
from tests.admin.conftest import logged_in, make_shop
from tests.admin.forms import add_inline_row, page_form_data
from tests.factories import make_superuser, make_vendor_staff

from .conftest import make_method, make_zone

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def shop_a(marketplace):
    shop = make_shop("Alpha")
    shop.zone = make_zone(shop.vendor, marketplace, name="Alpha Belgique")
    shop.method = make_method(shop.zone, "Alpha bpost", "5.95")
    return shop


@pytest.fixture
def shop_b(marketplace):
    shop = make_shop("Bravo")
    shop.zone = make_zone(shop.vendor, marketplace, name="Bravo Belgique")
    shop.method = make_method(shop.zone, "Bravo coursier", "7.00")
    return shop


def test_vendor_staff_list_only_their_own_zones_and_methods(shop_a, shop_b):
    client = logged_in(shop_a.staff)

    zones = client.get("/dashboard/shipping/shippingzone/")
    methods = client.get("/dashboard/shipping/shippingmethod/")

    assert zones.status_code == methods.status_code == 200
    assert "Alpha Belgique" in zones.content.decode() and "Bravo Belgique" not in zones.content.decode()
    assert "Alpha bpost" in methods.content.decode() and "Bravo coursier" not in methods.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/shipping/shippingzone/{b.zone.pk}/change/",
        "/dashboard/shipping/shippingzone/{b.zone.pk}/delete/",
        "/dashboard/shipping/shippingmethod/{b.method.pk}/change/",
        "/dashboard/shipping/shippingmethod/{b.method.pk}/delete/",
    ],
)
def test_another_shops_zones_and_methods_cannot_be_opened(shop_a, shop_b, url):
    response = logged_in(shop_a.staff).get(url.format(b=shop_b))
    assert response.status_code in (403, 404)


def test_another_shops_zone_cannot_be_changed_by_posting_to_it(shop_a, shop_b):
    response = logged_in(shop_a.staff).post(
        f"/dashboard/shipping/shippingzone/{shop_b.zone.pk}/change/", {"name": "Taken over", "countries": ["BE"]}
    )
    assert response.status_code in (403, 404)
    assert ShippingZone.objects.get(pk=shop_b.zone.pk).name == "Bravo Belgique"


def test_vendor_staff_open_their_zone_without_a_vendor_field(shop_a):
    page = logged_in(shop_a.staff).get(f"/dashboard/shipping/shippingzone/{shop_a.zone.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert "vendor" not in form.fields
    assert {c.slug for c in form.fields["channels"].queryset} == {"marketplace", "shop-alpha"}
    assert set(form.fields["warehouses"].queryset) == {shop_a.warehouse}
    assert "Alpha bpost" in page.content.decode() and "marketplace: 5.950 EUR" in page.content.decode()


def _zone_add_data(client, **overrides):
    page = client.get("/dashboard/shipping/shippingzone/add/")
    assert page.status_code == 200
    data = page_form_data(page)
    # A browser sends nothing for an empty multiple choice.
    data.update({"name": "Pays voisins", "countries": ["FR", "NL"], "channels": [], "warehouses": [], **overrides})
    return data


def test_a_zone_added_by_vendor_staff_belongs_to_their_shop_whatever_was_posted(shop_a, shop_b, marketplace):
    client = logged_in(shop_a.staff)
    data = _zone_add_data(client, vendor=str(shop_b.vendor.pk), channels=[str(marketplace.pk)])
    add_inline_row(data, "shipping_methods", name="bpost international", type="weight", maximum_order_weight="30")

    response = client.post("/dashboard/shipping/shippingzone/add/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    zone = ShippingZone.objects.get(name="Pays voisins")
    assert zone.vendor == shop_a.vendor
    assert zone.countries == ["FR", "NL"]
    assert list(zone.channels.all()) == [marketplace]
    assert zone.shipping_methods.get().maximum_order_weight == Decimal("30")


def test_vendor_staff_cannot_link_their_zone_to_another_shops_channel_or_warehouse(shop_a, shop_b):
    client = logged_in(shop_a.staff)
    data = _zone_add_data(
        client, channels=[str(shop_b.vendor.channel.pk)], warehouses=[str(shop_b.warehouse.pk)]
    )

    response = client.post("/dashboard/shipping/shippingzone/add/", data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "channels" in errors and "warehouses" in errors
    assert not ShippingZone.objects.filter(name="Pays voisins").exists()


def test_federation_staff_cannot_mix_shops_either(shop_a, shop_b):
    client = logged_in(make_superuser())
    data = _zone_add_data(
        client,
        vendor=str(shop_a.vendor.pk),
        channels=[str(shop_b.vendor.channel.pk)],
        warehouses=[str(shop_b.warehouse.pk)],
    )

    response = client.post("/dashboard/shipping/shippingzone/add/", data)

    assert response.status_code == 200
    assert {"channels", "warehouses"} <= set(response.context["adminform"].form.errors)


def test_an_unknown_country_code_is_refused(shop_a):
    client = logged_in(shop_a.staff)
    response = client.post("/dashboard/shipping/shippingzone/add/", _zone_add_data(client, countries=["XX"]))
    assert response.status_code == 200
    assert "countries" in response.context["adminform"].form.errors


def test_a_second_default_zone_is_refused_with_a_message(shop_a):
    make_zone(shop_a.vendor, name="Monde", countries=[], default=True)
    client = logged_in(shop_a.staff)

    response = client.post("/dashboard/shipping/shippingzone/add/", _zone_add_data(client, default="on"))

    assert response.status_code == 200
    assert "default" in response.context["adminform"].form.errors


def test_method_zone_choices_are_the_staff_members_own_zones(shop_a, shop_b):
    page = logged_in(shop_a.staff).get("/dashboard/shipping/shippingmethod/add/")
    assert set(page.context["adminform"].form.fields["shipping_zone"].queryset) == {shop_a.zone}


def test_vendor_staff_price_their_method_in_their_channels(shop_a, shop_b, marketplace):
    client = logged_in(shop_a.staff)
    url = f"/dashboard/shipping/shippingmethod/{shop_a.method.pk}/change/"
    data = page_form_data(client.get(url))
    add_inline_row(data, "channel_listings", channel=str(shop_a.vendor.channel.pk), price_amount="4.95")

    response = client.post(url, data)

    assert response.status_code == 302
    listing = ShippingMethodChannelListing.objects.get(shipping_method=shop_a.method, channel=shop_a.vendor.channel)
    assert (listing.price_amount, listing.currency) == (Decimal("4.95"), "EUR")


def test_a_price_in_another_shops_channel_is_refused(shop_a, shop_b):
    client = logged_in(make_superuser())
    url = f"/dashboard/shipping/shippingmethod/{shop_a.method.pk}/change/"
    data = page_form_data(client.get(url))
    add_inline_row(data, "channel_listings", channel=str(shop_b.vendor.channel.pk), price_amount="4.95")

    response = client.post(url, data)

    assert response.status_code == 200
    assert not ShippingMethodChannelListing.objects.filter(channel=shop_b.vendor.channel).exists()


def test_a_maximum_weight_below_the_minimum_is_refused(shop_a):
    client = logged_in(shop_a.staff)
    url = f"/dashboard/shipping/shippingmethod/{shop_a.method.pk}/change/"
    data = page_form_data(client.get(url))
    data.update(minimum_order_weight="10", maximum_order_weight="2")

    response = client.post(url, data)

    assert response.status_code == 200
    assert "maximum_order_weight" in response.context["adminform"].form.errors
    assert ShippingMethod.objects.get(pk=shop_a.method.pk).maximum_order_weight is None


def test_federation_staff_see_every_shops_zones(shop_a, shop_b):
    body = logged_in(make_superuser()).get("/dashboard/shipping/shippingzone/").content.decode()
    assert "Alpha Belgique" in body and "Bravo Belgique" in body


def test_staff_of_two_shops_see_both_and_choose_the_shop(shop_a, shop_b):
    client = logged_in(make_vendor_staff(shop_a.vendor, shop_b.vendor))
    page = client.get("/dashboard/shipping/shippingzone/add/")
    assert set(page.context["adminform"].form.fields["vendor"].queryset) == {shop_a.vendor, shop_b.vendor}
    body = client.get("/dashboard/shipping/shippingzone/").content.decode()
    assert "Alpha Belgique" in body and "Bravo Belgique" in body
