"""Celery tasks of the ERP sync: thin wrappers around sync/ and services.py.

In-process unless ``CELERY_BROKER_URL`` is set. A push that fails is retried with exponential
back-off (30 s doubling to 1 h): by the task itself on a broker, and by the per-minute tick in
every case (the job row keeps its next attempt, so the vendor sees pending pushes).
"""

from __future__ import annotations

from celery import shared_task

from . import services
from .models import ErpConnection, SalePushStatus
from .sync import due_connections, run_sync


@shared_task(name="plugins.erp_sync.tasks.sync_vendor_task")
def sync_vendor_task(connection_id: int, full: bool = False) -> int | None:
    """The run's id; None when the member was already syncing."""
    connection = ErpConnection.objects.select_related("vendor").filter(pk=connection_id).first()
    if connection is None:
        return None
    run = run_sync(connection, full=full)
    return run.pk if run else None


@shared_task(name="plugins.erp_sync.tasks.push_sale_task", bind=True, max_retries=None)
def push_sale_task(self, job_id: int) -> str | None:
    job = services.run_push_job(job_id)
    if job is None:
        return None
    if job.status == SalePushStatus.PENDING and not self.request.is_eager:
        raise self.retry(countdown=services.retry_delay(job.attempts).total_seconds())
    return job.status


@shared_task(name="plugins.erp_sync.tasks.erp_sync_tick_task")
def erp_sync_tick_task() -> dict:
    """Every minute (beat): the members whose interval has passed, and the pushes to retry."""
    due = due_connections()
    for connection_id in due:
        sync_vendor_task.delay(connection_id)
    jobs = services.due_push_jobs()
    for job_id in jobs:
        push_sale_task.delay(job_id)
    return {"syncs": len(due), "pushes": len(jobs)}
