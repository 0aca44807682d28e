import json

from django.test import Client

from saleor_ext.channel.models import Channel


def post(query: str, variables: dict | None = None, **headers):
    body = json.dumps({"query": query, "variables": variables or {}})
    return Client().post("/graphql/", body, content_type="application/json", **headers)


def test_public_channel_by_slug(db):
    Channel.objects.create(name="Marketplace", slug="marketplace", is_active=True)
    response = post('{ channel(slug: "marketplace") { slug currencyCode defaultCountry { code } countries { code } } }')
    assert response.status_code == 200
    assert response.json()["data"]["channel"] == {
        "slug": "marketplace",
        "currencyCode": "EUR",
        "defaultCountry": {"code": "BE"},
        "countries": [{"code": "BE"}],
    }


def test_channels_list_needs_staff(db):
    body = post("{ channels { slug } }").json()
    assert body["data"] is None or body["data"]["channels"] is None
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"


def test_syntax_error_is_a_graphql_error_not_a_500(db):
    response = post("{ channel(slug: ")
    assert response.status_code == 400
    assert "Syntax Error" in response.json()["errors"][0]["message"]


def test_malformed_json_body(db):
    response = Client().post("/graphql/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"]


def test_bad_channel_id_is_an_error(db):
    body = post('{ channel(id: "not-an-id") { slug } }').json()
    assert body["errors"][0]["message"].startswith("Invalid ID: not-an-id")


def test_batch_request_returns_a_list(db):
    response = Client().post(
        "/graphql/",
        json.dumps([{"query": "{ shop { name } }"}, {"query": "{ shop { languages { code } } }"}]),
        content_type="application/json",
    )
    results = response.json()
    assert results[0]["data"]["shop"]["name"] == "Reuse marketplace"
    assert [lang["code"] for lang in results[1]["data"]["shop"]["languages"]] == ["FR", "NL", "EN"]


def test_graphiql_on_get(db):
    response = Client().get("/graphql/")
    assert response.status_code == 200
    assert b"graphiql" in response.content.lower()


def test_every_field_error_is_reported(db):
    body = post("{ a: channels { slug } b: channels { slug } }").json()
    assert body["data"] == {"a": None, "b": None}
    assert [error["path"] for error in body["errors"]] == [["a"], ["b"]]
