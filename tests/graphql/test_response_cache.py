"""Anonymous catalogue reads are served from a short cache; nothing else is."""

import json

import pytest
from django.core.cache import caches
from django.test import Client

from saleor_ext.channel.models import Channel
from saleor_ext.site.models import SiteSettings


@pytest.fixture
def cache_on(settings):
    settings.GRAPHQL_RESPONSE_CACHE_SECONDS = 60
    caches["graphql"].clear()
    yield
    caches["graphql"].clear()


def post(query, client=None, **headers):
    return (client or Client()).post(
        "/graphql/", json.dumps({"query": query}), content_type="application/json", **headers
    )


def test_anonymous_read_is_served_from_cache_until_it_expires(db, cache_on):
    SiteSettings.get()
    assert post("{ shop { name } }").json()["data"]["shop"]["name"] == "Reuse marketplace"
    SiteSettings.objects.update(name="Renamed")
    assert post("{ shop { name } }").json()["data"]["shop"]["name"] == "Reuse marketplace"
    caches["graphql"].clear()
    assert post("{ shop { name } }").json()["data"]["shop"]["name"] == "Renamed"


def test_language_is_part_of_the_key(db, cache_on):
    SiteSettings.get()
    post("{ shop { name } }", HTTP_ACCEPT_LANGUAGE="fr")
    SiteSettings.objects.update(name="Renamed")
    assert post("{ shop { name } }", HTTP_ACCEPT_LANGUAGE="nl").json()["data"]["shop"]["name"] == "Renamed"


def test_errors_and_private_fields_are_not_cached(db, cache_on):
    Channel.objects.create(name="M", slug="marketplace", is_active=True)
    assert "errors" in post('{ channel(id: "bad") { slug } }').json()
    assert caches["graphql"]._cache == {}
    post("{ me { email } }")
    assert caches["graphql"]._cache == {}


def test_logged_in_users_are_never_served_from_cache(db, cache_on, django_user_model):
    SiteSettings.get()
    post("{ shop { name } }")
    SiteSettings.objects.update(name="Renamed")
    user = django_user_model.objects.create_user("staff@example.com", "pw-123456", is_staff=True)
    client = Client()
    client.force_login(user)
    assert post("{ shop { name } }", client=client).json()["data"]["shop"]["name"] == "Renamed"
