"""Shared test settings."""

import pytest


@pytest.fixture(autouse=True)
def _fresh_responses(settings):
    # Tests change data between requests; the anonymous response cache is tested on its own.
    settings.GRAPHQL_RESPONSE_CACHE_SECONDS = 0
    settings.REFERENCE_CACHE_SECONDS = 0
    # Payment tests pay with the dummy gateway whatever database the run uses.
    settings.PAYMENTS_DUMMY_ENABLED = True


@pytest.fixture(scope="module")
def odoo_sim():
    """The Odoo protocol test server (simulators/odoo/), one per test module; tests add their databases."""
    from simulators.odoo import OdooSimulator

    with OdooSimulator() as simulator:
        yield simulator
