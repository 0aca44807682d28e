"""The ERP sync as production runs it: tasks queued to a Redis broker (CELERY_BROKER_URL, else the
machine's Redis) and run by a Celery worker, against the Odoo test server over HTTP. "Sync now"
queues the member's run; an online sale that Odoo refuses once is retried by the task itself
after its back-off, and recorded once."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun

from marketplace.celery import app
from plugins.erp_sync import backoffice
from plugins.erp_sync.models import (
    ConnectionKind,
    ErpConnection,
    ItemLink,
    SalePushJob,
    SalePushStatus,
    SyncRun,
    SyncRunStatus,
)
from saleor_ext.plugins.manager import get_plugins_manager
from saleor_ext.warehouse.models import Stock
from simulators.odoo import OdooSimulator
from tests.order.factories import Part, make_order

pytestmark = pytest.mark.django_db(transaction=True)

BROKER = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/13"
KEY = "d" * 40


def _close_db_connection(**_kwargs) -> None:
    # The worker's thread keeps a connection of its own; the test database cannot be flushed under it.
    from django.db import connection

    connection.close()


@pytest.fixture
def worker(settings):
    redis.Redis.from_url(BROKER).flushdb()
    settings.CELERY_TASK_ALWAYS_EAGER = False
    saved = {name: app.conf[name] for name in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=BROKER, task_always_eager=False)
    _forget_connections()
    task_postrun.connect(_close_db_connection, weak=False)
    try:
        with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, loglevel="WARNING",
                          shutdown_timeout=15):
            yield
    finally:
        task_postrun.disconnect(_close_db_connection)
        app.conf.update(saved)
        _forget_connections()


def _forget_connections() -> None:
    # The app keeps the broker connection pool it made first: without this, messages would go to
    # the broker configured before the test (or the default one) while the worker listens on ours.
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def odoo(request):
    with OdooSimulator() as sim:
        db = sim.add_database("celery", version=19, items=12, seed=9)
        db.add_api_key(db.add_user("bot", "pw"), KEY, expires=datetime.now(UTC) + timedelta(days=60))
        yield sim, db


@pytest.fixture
def connection(odoo, vendor, warehouse, media_root):
    sim, db = odoo
    erp = ErpConnection(vendor=vendor, kind=ConnectionKind.ODOO_JSON2, url=sim.url_of(db.name), database=db.name,
                        warehouse=warehouse)
    erp.set_secret(KEY)
    erp.save()
    return erp


def wait_for(check, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("not done in time")


def test_sync_now_queues_the_run_for_a_worker(worker, connection):
    started = backoffice.start_sync(connection, full=True)

    assert started.started
    run = wait_for(lambda: SyncRun.objects.filter(connection=connection).exclude(
        status=SyncRunStatus.RUNNING).first())
    assert run.status == SyncRunStatus.SUCCEEDED, run.error
    assert run.created == ItemLink.objects.filter(connection=connection).count() > 0
    assert started.run_id in (None, run.pk)


def test_a_sale_odoo_refuses_once_is_retried_by_the_task_and_recorded_once(worker, connection, odoo, settings,
                                                                         marketplace, vendor):
    from plugins.erp_sync.sync import run_sync

    sim, db = odoo
    settings.ERP_PUSH_FIRST_RETRY_SECONDS = 1
    assert run_sync(connection, full=True).status == SyncRunStatus.SUCCEEDED
    product = Stock.objects.filter(product_variant__product__vendor=vendor, quantity__gte=1).first() \
        .product_variant.product
    order = make_order(marketplace, [Part(vendor=vendor, items=[(product, 1)])])
    db.fail(1, status=503)  # Odoo's next answer is an error

    get_plugins_manager().order_created(order)  # queues the push once the order is committed

    job = wait_for(lambda: SalePushJob.objects.filter(status=SalePushStatus.DONE).first())
    assert job.attempts == 2  # refused, then recorded after the back-off, by the task's own retry
    orders = [o for o in db.records["sale.order"].values() if o.get("client_order_ref") == job.reference]
    assert len(orders) == 1 and orders[0]["state"] == "sale"
