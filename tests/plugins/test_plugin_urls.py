"""Plugins' own URLs go through the plugin manager: /plugins/<plugin url name>/<path>."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_stripe_webhooks_keep_their_url_and_need_no_csrf_token(settings):
    settings.STRIPE_WEBHOOK_SECRET = ""
    client = Client(enforce_csrf_checks=True)

    answer = client.post("/plugins/stripe/webhooks/", data="{}", content_type="application/json")

    # Reached the Stripe plugin's view (not a CSRF refusal): it says webhooks are not configured.
    assert answer.status_code == 404
    assert answer.json() == {"error": "Stripe webhooks are not configured."}
    assert client.get("/plugins/stripe/webhooks/").status_code == 405


def test_a_path_no_plugin_answers_is_not_found():
    client = Client(enforce_csrf_checks=True)

    assert client.post("/plugins/stripe/elsewhere/").status_code == 404
    assert client.post("/plugins/no-such-plugin/webhooks/").status_code == 404
