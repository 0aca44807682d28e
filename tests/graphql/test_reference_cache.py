"""Channels, categories, vendors and grades come from memory between short refreshes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saleor_ext.core import reference_cache
from saleor_ext.vendor.models import Vendor
from saleor_ext.warehouse.models import ChannelWarehouse, Warehouse

from .conftest import data_of, gql
from .factories import make_address, make_item

LISTING = """
{ products(first: 10, channel: "marketplace") {
    edges { node { name category { name } vendor { name }
      productVariants(first: 1) { edges { node { grade { code } } } } } } } }
"""


@pytest.fixture
def reference_cache_on(settings):
    settings.REFERENCE_CACHE_SECONDS = 60
    reference_cache.clear()
    yield
    reference_cache.clear()


def test_second_listing_skips_reference_queries_and_edits_show_after_refresh(catalogue, reference_cache_on):
    with CaptureQueriesContext(connection) as first:
        first_names = {e["node"]["vendor"]["name"] for e in data_of(gql(LISTING))["products"]["edges"]}
    with CaptureQueriesContext(connection) as second:
        data_of(gql(LISTING))
    tables = " ".join(q["sql"] for q in second.captured_queries)
    assert len(second.captured_queries) < len(first.captured_queries)
    assert "vendor_vendor" not in tables and "channel_channel" not in tables and "product_category" not in tables
    assert "Recyclerie Alpha" in first_names

    Vendor.objects.filter(name="Recyclerie Alpha").update(name="Recyclerie Alpha (renamed)")
    stale = {e["node"]["vendor"]["name"] for e in data_of(gql(LISTING))["products"]["edges"]}
    assert "Recyclerie Alpha" in stale
    reference_cache.clear()
    fresh = {e["node"]["vendor"]["name"] for e in data_of(gql(LISTING))["products"]["edges"]}
    assert "Recyclerie Alpha (renamed)" in fresh


def test_rows_created_after_the_snapshot_are_still_found(catalogue, reference_cache_on):
    data_of(gql(LISTING))
    new_vendor = Vendor.objects.create(name="Nouvelle boutique", slug="nouvelle-boutique", status="active")
    warehouse = Warehouse.objects.create(vendor=new_vendor, name="Boutique", slug="nb-shop", address=make_address())
    ChannelWarehouse.objects.create(channel=catalogue.channel, warehouse=warehouse)
    catalogue.warehouses[new_vendor.pk] = warehouse
    make_item(catalogue, "Chaise bistrot", vendor=new_vendor, prices=["25.00"])
    names = {e["node"]["vendor"]["name"] for e in data_of(gql(LISTING))["products"]["edges"]}
    assert "Nouvelle boutique" in names
