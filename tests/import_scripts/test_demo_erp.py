"""`make demo`'s three member back-offices: two Odoo databases on the test server and a CSV file."""

from __future__ import annotations

import pytest

from import_scripts.demo.erp import CSV_ITEMS, ensure_demo_connections, sync_due
from plugins.erp_sync.models import ErpConnection, ItemLink
from saleor_ext.product.models import Product
from simulators.odoo import OdooSimulator
from simulators.odoo import demo as odoo_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def odoo(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    with OdooSimulator() as simulator:
        odoo_demo(simulator, items=15)
        yield simulator


def _items_of(slug: str) -> int:
    return Product.objects.filter(vendor__slug=slug).count()


def test_the_demo_members_items_arrive_by_sync_and_changes_follow(odoo):
    first = ensure_demo_connections(odoo.url)
    again = ensure_demo_connections(odoo.url)

    lines = sync_due()

    assert [c.pk for c in first] == [c.pk for c in again] and ErpConnection.objects.count() == 3
    assert len(lines) == 3 and all("succeeded" in line for line in lines), lines
    recyclerie = len(odoo.db("recyclerie19").records["product.product"])
    assert ItemLink.objects.filter(connection__vendor__slug="la-recyclerie-du-centre").count() == recyclerie
    assert _items_of("kringwinkel-de-schakel") > 0
    assert _items_of("bouquinerie-le-fil") == CSV_ITEMS
    assert sync_due() == []  # nothing is due again within the interval

    template_id = odoo.db("recyclerie19").change_items("name", ids=None, count=1)[0]
    ErpConnection.objects.update(last_run_started_at=None)
    sync_due()

    renamed = odoo.db("recyclerie19").records["product.template"][template_id]["name"]
    assert Product.objects.filter(vendor__slug="la-recyclerie-du-centre", name=renamed).exists()
