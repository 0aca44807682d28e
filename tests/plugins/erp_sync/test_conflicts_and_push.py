"""Online sales and the ERP: pushes retried without duplicates, cancellations, and an item sold
in the shop and online at once."""

from __future__ import annotations

from decimal import Decimal

import pytest

from plugins.erp_sync import services
from plugins.erp_sync.models import (
    ConflictResolution,
    ErpConflict,
    ItemLink,
    SalePushAction,
    SalePushJob,
    SalePushStatus,
)
from plugins.erp_sync.sync import run_sync
from saleor_ext.order.models import OrderEvent, OrderEvents, VendorOrderStatus
from saleor_ext.order.services import cancel_vendor_order
from saleor_ext.plugins.manager import get_plugins_manager
from saleor_ext.warehouse.management import available_quantities
from saleor_ext.warehouse.models import Stock
from tests.order.factories import Part, line_of, make_order, vendor_order_of


@pytest.fixture
def bike(erp, erp_connection):
    erp.put("B1", name="Vélo Gazelle", price=Decimal("249.00"), quantity=1)
    run_sync(erp_connection, full=True, connector=erp)
    return ItemLink.objects.get(erp_ref="B1").product


def order_for(vendor, product, marketplace):
    return make_order(marketplace, [Part(vendor=vendor, items=[(product, 1)])])


def stock(product) -> Stock:
    return Stock.objects.get(product_variant=product.default_variant)


def test_item_sold_in_the_shop_only_goes_to_zero_without_conflict(erp, erp_connection, bike, marketplace):
    erp.set_stock("B1", 0)
    run = run_sync(erp_connection, connector=erp)
    assert stock(bike).quantity == 0
    assert run.conflicts == 0
    assert available_quantities([bike.default_variant_id], marketplace) == {bike.default_variant_id: 0}


def test_item_sold_in_the_shop_and_online_is_flagged_not_overwritten(erp, erp_connection, bike, vendor,
                                                                     marketplace):
    order = order_for(vendor, bike, marketplace)  # the push has not reached the ERP yet
    erp.set_stock("B1", 0)  # meanwhile the till sold it

    run = run_sync(erp_connection, connector=erp)

    assert run.conflicts == 1
    conflict = ErpConflict.objects.get()
    assert conflict.vendor_order == vendor_order_of(order, vendor)
    assert conflict.line == line_of(order, bike)
    assert "Sold in the shop too" in conflict.reason
    assert stock(bike).quantity_allocated == 1  # the online order keeps its allocation
    assert OrderEvent.objects.filter(order=order, type=OrderEvents.NOTE_ADDED,
                                     parameters__erp_conflict=True).exists()
    # The next run flags nothing twice.
    assert run_sync(erp_connection, full=True, connector=erp).conflicts == 0
    assert ErpConflict.objects.count() == 1

    services.resolve_conflict(conflict, resolution=ConflictResolution.CANCELLED)

    conflict.refresh_from_db()
    assert conflict.resolution == ConflictResolution.CANCELLED and conflict.resolved_at
    assert line_of(order, bike).quantity_cancelled == 1
    assert vendor_order_of(order, vendor).status == VendorOrderStatus.CANCELLED
    assert stock(bike).quantity_allocated == 0


def test_a_sale_the_erp_acknowledged_is_no_conflict(erp, erp_connection, bike, vendor, marketplace):
    order = order_for(vendor, bike, marketplace)
    [job_id] = services.queue_sale_pushes(order)
    services.run_push_job(job_id, connector=erp)  # the ERP reserves the bike: its stock drops to 0

    run = run_sync(erp_connection, connector=erp)

    assert run.conflicts == 0
    assert (stock(bike).quantity, stock(bike).quantity_allocated) == (1, 1)
    assert available_quantities([bike.default_variant_id], marketplace) == {bike.default_variant_id: 0}


def test_push_is_retried_with_back_off_and_records_one_sale(erp, erp_connection, bike, vendor, marketplace):
    order = order_for(vendor, bike, marketplace)
    erp.fail_push = 2

    [job_id] = services.queue_sale_pushes(order)
    assert services.queue_sale_pushes(order) == [job_id]  # queued once per vendor order
    first = services.run_push_job(job_id, connector=erp)
    second = services.run_push_job(job_id, connector=erp)
    assert (second.status, second.attempts) == (SalePushStatus.PENDING, 2)
    assert second.next_attempt_at - first.next_attempt_at > services.retry_delay(1) / 2
    assert "timed out" in second.last_error
    done = services.run_push_job(job_id, connector=erp)
    services.run_push_job(job_id, connector=erp)  # a late duplicate attempt does nothing

    assert (done.status, done.attempts, done.external_ref) == (SalePushStatus.DONE, 3, "S00001")
    assert erp.push_calls == 3
    assert len(erp.sales) == 1
    [sale] = erp.sales.values()
    assert [(line.item_ref, line.quantity, line.unit_price) for line in sale["lines"]] == [
        ("B1", 1, Decimal("249.00"))]
    assert services.retry_delay(20).total_seconds() == 3600


def test_order_placed_queues_a_push_and_cancelling_it_queues_the_cancel(erp, erp_connection, bike, vendor,
                                                                        marketplace,
                                                                        django_capture_on_commit_callbacks):
    order = order_for(vendor, bike, marketplace)
    with django_capture_on_commit_callbacks(execute=True):
        # The eager attempt cannot reach 127.0.0.1:1: the job stays pending for the next try.
        get_plugins_manager().order_created(order)

    job = SalePushJob.objects.get(vendor_order=vendor_order_of(order, vendor))
    assert (job.action, job.status, job.attempts) == (SalePushAction.PUSH, SalePushStatus.PENDING, 1)
    assert job.reference == f"MP-{order.number}-{vendor.pk}"
    services.run_push_job(job.pk, connector=erp)

    with django_capture_on_commit_callbacks(execute=True):
        cancel_vendor_order(vendor_order_of(order, vendor), None, "Plus disponible")

    cancel = SalePushJob.objects.get(action=SalePushAction.CANCEL)
    assert cancel.reference == job.reference
    services.run_push_job(cancel.pk, connector=erp)
    assert erp.sales[job.reference]["state"] == "cancel"


def test_a_line_cancelled_online_lowers_the_recorded_sale_and_the_shop_gets_the_item_back(
        erp, erp_connection, bike, vendor, marketplace, django_capture_on_commit_callbacks):
    from saleor_ext.order.services import cancel_lines

    erp.put("B2", name="Vélo Batavus", price=Decimal("199.00"), quantity=1)
    run_sync(erp_connection, connector=erp)
    other = ItemLink.objects.get(erp_ref="B2").product
    order = make_order(marketplace, [Part(vendor=vendor, items=[(bike, 1), (other, 1)])])
    [push] = services.queue_sale_pushes(order)
    services.run_push_job(push, connector=erp)
    reference = SalePushJob.objects.get(pk=push).reference
    assert (erp.stock.get("B1", 0), erp.stock.get("B2", 0)) == (0, 0)

    with django_capture_on_commit_callbacks(execute=True):
        cancel_lines(order, {str(line_of(order, other).pk): 1}, None, "Abîmé au déballage")

    update = SalePushJob.objects.get(action=SalePushAction.UPDATE)
    assert (update.reference, update.status) == (reference, SalePushStatus.PENDING)
    assert services.run_push_job(update.pk, connector=erp).status == SalePushStatus.DONE
    assert [(line.item_ref, line.quantity) for line in erp.sales[reference]["lines"]] == [("B1", 1)]
    assert (erp.stock.get("B1", 0), erp.stock.get("B2", 0)) == (0, 1)
    assert erp.sales[reference]["state"] == "sale"

    # The rest cancelled later: the sale is cancelled whole and the pending update dropped.
    with django_capture_on_commit_callbacks(execute=True):
        cancel_vendor_order(vendor_order_of(order, vendor), None, "Plus disponible")
    cancel = SalePushJob.objects.get(action=SalePushAction.CANCEL)
    services.run_push_job(cancel.pk, connector=erp)
    assert erp.sales[reference]["state"] == "cancel"


def test_a_sale_cancelled_before_it_reached_the_erp_is_not_pushed(erp, erp_connection, bike, vendor, marketplace,
                                                                   django_capture_on_commit_callbacks):
    order = order_for(vendor, bike, marketplace)
    [job_id] = services.queue_sale_pushes(order)

    with django_capture_on_commit_callbacks(execute=True):
        cancel_vendor_order(vendor_order_of(order, vendor), None, "Erreur")

    assert SalePushJob.objects.get(pk=job_id).status == SalePushStatus.CANCELLED
    assert not SalePushJob.objects.filter(action=SalePushAction.CANCEL).exists()
    assert services.run_push_job(job_id, connector=erp).status == SalePushStatus.CANCELLED
    assert erp.push_calls == 0


def test_shops_without_an_erp_get_no_push(vendor, marketplace, warehouse):
    from tests.factories import make_product

    product = make_product(vendor, channel=marketplace, warehouse=warehouse)
    assert services.queue_sale_pushes(order_for(vendor, product, marketplace)) == []
