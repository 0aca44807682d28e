"""Fixtures of the order domain tests; the builders live in fixtures.py (tests/graphql uses them too)."""

from __future__ import annotations

import pytest

from .fixtures import Market, build_market, record_order_hooks


@pytest.fixture
def market(db) -> Market:
    return build_market()


@pytest.fixture
def heard(settings):
    """The order hooks plugins hear, in order."""
    return record_order_hooks(settings)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a block as if its transaction committed: hooks, refunds and e-mails follow."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
