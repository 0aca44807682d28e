"""Two syncs of one member started at once: the second one does not run."""

from __future__ import annotations

import threading

import pytest
from django.db import connection as db

from plugins.erp_sync.models import SyncRun
from plugins.erp_sync.sync import run_sync


@pytest.mark.django_db(transaction=True)
def test_two_syncs_at_once_never_overlap(erp, erp_connection):
    erp.put("B1", quantity=1)
    erp.block = threading.Event()
    results = {}

    def first():
        try:
            results["first"] = run_sync(erp_connection, connector=erp)
        finally:
            db.close()

    def second():
        try:
            results["second"] = run_sync(erp_connection, connector=erp)
        finally:
            db.close()

    thread = threading.Thread(target=first)
    thread.start()
    assert erp.started.wait(10)  # the first run holds the lock and waits inside the ERP call
    other = threading.Thread(target=second)
    other.start()
    other.join(10)
    erp.block.set()
    thread.join(10)

    assert results["second"] is None
    assert results["first"].status == "succeeded"
    assert SyncRun.objects.count() == 1
    # Released: the next run goes.
    assert run_sync(erp_connection, connector=erp) is not None
