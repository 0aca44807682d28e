"""The ERP sync's own row locks: push jobs and conflicts (the project's lock order:
``saleor_ext.core.locks``).

A conflict is locked before the order its resolution cancels (level 2); a push job, with its
connection row, holds nothing else (level 9, after the stock rows a sync run writes before the
connection's cursors). The sync's stock writes lock stock rows through
``saleor_ext.warehouse.lock_objects``.
"""

from __future__ import annotations

from .models import ErpConflict, SalePushJob


def lock_push_job(job_id) -> SalePushJob | None:
    """The push job, locked with its connection row, or None when another worker holds either
    (SKIP LOCKED): a member's pushes go one at a time, in whichever worker got there first."""
    locked = SalePushJob.objects.select_for_update(skip_locked=True, of=("self", "connection"))
    return locked.select_related("connection").filter(pk=job_id).first()


def lock_conflict(conflict_id) -> ErpConflict:
    """The conflict alone, locked, with its order line loaded (not locked: the order services lock
    it after its order when the resolution cancels it). Raises ``ErpConflict.DoesNotExist``."""
    return ErpConflict.objects.select_for_update(of=("self",)).select_related("line").get(pk=conflict_id)
