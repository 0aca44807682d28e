"""Watching row locks from the outside: which stock rows a transaction holds while it waits."""

from __future__ import annotations

import threading
import time

from django.db import connection, connections, transaction

from saleor_ext.warehouse.lock_objects import lock_stocks
from saleor_ext.warehouse.models import Stock


def _unlocked(stock_ids: list[int]) -> set[int]:
    """The rows no other transaction holds, seen from this thread's own connection."""
    with transaction.atomic():
        return set(
            Stock.objects.select_for_update(skip_locked=True).filter(pk__in=stock_ids).values_list("pk", flat=True)
        )


def _waiting(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return bool(row and row[0])


def in_thread(target, *args) -> threading.Thread:
    def body():
        try:
            target(*args)
        finally:
            connections.close_all()

    thread = threading.Thread(target=body)
    thread.start()
    return thread


def assert_locks_stock_rows_in_id_order(stock_ids: list[int], lock_all) -> None:
    """``lock_all`` (given the rows highest id first) waits on the middle row holding the lowest only."""
    _low, middle, high = stock_ids
    holding, release, done = threading.Event(), threading.Event(), threading.Event()
    second: dict = {}

    def first():
        with transaction.atomic():
            lock_stocks([middle])
            holding.set()
            release.wait(30)

    def other():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            second["pid"] = cursor.fetchone()[0]
        with transaction.atomic():
            lock_all()
            second["locked"] = True
            done.wait(30)

    threads = [in_thread(first)]
    try:
        assert holding.wait(30)
        threads.append(in_thread(other))
        deadline = time.monotonic() + 30
        while not ("pid" in second and _waiting(second["pid"])):
            assert time.monotonic() < deadline, "the second transaction never waited for the middle row"
            time.sleep(0.02)
        # Waiting for the middle row, it holds the lowest one (taken first) and not the highest.
        assert _unlocked(stock_ids) == {high}
        release.set()
        deadline = time.monotonic() + 30
        while "locked" not in second:
            assert time.monotonic() < deadline
            time.sleep(0.02)
        assert _unlocked(stock_ids) == set()
    finally:
        release.set()
        done.set()
        for thread in threads:
            thread.join(30)
        connection.close()
