"""The member's sync lock: one run per ERP connection at a time, across processes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection as db

# First key of the two-int advisory lock: "ERPS", so our locks never meet another feature's.
LOCK_NAMESPACE = 0x45525053


@contextmanager
def connection_lock(connection_id: int) -> Iterator[bool]:
    """Hold the member's sync lock for the block; yields False when another session holds it.
    A session-level lock: it outlives the per-batch transactions and dies with a crashed worker."""
    with db.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, connection_id])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with db.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, connection_id])
