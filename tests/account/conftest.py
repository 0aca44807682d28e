from __future__ import annotations

import pytest

from saleor_ext.account.models import User

# The tests of this package import these helpers from here.
from .helpers import PASSWORD, bearer, graphql, login, make_shopper  # noqa: F401


@pytest.fixture
def shopper(db) -> User:
    return make_shopper()
