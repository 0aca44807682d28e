"""``Channel.countries``: where the channel's shops deliver (their zones' countries) and its own country."""

from __future__ import annotations

import json

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from saleor_ext.shipping.models import ShippingZone
from tests.factories import make_channel, make_user, make_vendor


def _zone(vendor, countries: list[str], *channels, default: bool = False) -> ShippingZone:
    name = "-".join(countries) or "rest"
    zone = ShippingZone.objects.create(vendor=vendor, name=name, countries=countries, default=default)
    zone.channels.add(*channels)
    return zone


def _post(query: str, user=None) -> tuple[dict, int]:
    client = Client()
    if user is not None:
        client.force_login(user)
    body = json.dumps({"query": query})
    with CaptureQueriesContext(connection) as captured:
        response = client.post("/graphql/", body, content_type="application/json")
    result = response.json()
    assert "errors" not in result, result["errors"]
    return result["data"], len(captured.captured_queries)


def test_a_channel_lists_its_zones_countries_sorted_once_with_its_default_country(db):
    marketplace = make_channel("marketplace", default_country="BE")
    other = make_channel("other-channel")
    shop_a, shop_b = make_vendor(), make_vendor()
    _zone(shop_a, ["BE"], marketplace)
    _zone(shop_a, ["NL", "LU"], marketplace)
    _zone(shop_b, ["LU", "BE"], marketplace)
    _zone(shop_b, ["FR"], other)  # serves another channel only
    _zone(shop_b, [], marketplace, default=True)  # a default zone names no country

    data, _ = _post('{ channel(slug: "marketplace") { countries { code country } } }')

    assert data["channel"]["countries"] == [
        {"code": "BE", "country": "Belgium"},
        {"code": "LU", "country": "Luxembourg"},
        {"code": "NL", "country": "Netherlands"},
    ]


def test_the_default_country_is_listed_even_without_a_zone_there(db):
    make_channel("marketplace", default_country="BE")
    _zone(make_vendor(), ["NL"], make_channel("elsewhere"))
    nl_only = make_channel("shop-nl", default_country="BE")
    _zone(make_vendor(), ["NL"], nl_only)

    fields = "countries { code }"
    data, _ = _post(f'{{ a: channel(slug: "marketplace") {{ {fields} }} b: channel(slug: "shop-nl") {{ {fields} }} }}')

    assert data["a"]["countries"] == [{"code": "BE"}]
    assert data["b"]["countries"] == [{"code": "BE"}, {"code": "NL"}]


def test_countries_of_many_channels_cost_one_query(db):
    staff = make_user(is_staff=True)
    _zone(make_vendor(), ["NL"], make_channel("marketplace"))
    few, few_queries = _post("{ channels { slug countries { code } } }", user=staff)
    for index in range(4):
        _zone(make_vendor(), ["LU", "FR"], make_channel(f"shop-{index}"))
    many, many_queries = _post("{ channels { slug countries { code } } }", user=staff)

    assert len(many["channels"]) > len(few["channels"])
    assert {"code": "FR"} in next(c for c in many["channels"] if c["slug"] == "shop-0")["countries"]
    assert many_queries == few_queries
