"""What the back-office's ERP buttons do (plugins/erp_sync/admin.py only translates requests).

Test connection, load the ERP's categories with suggestions, start a sync in the background,
keep an uploaded file, retry pushes and resolve conflicts. Every function takes objects the admin
already scoped to the user's shop.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import connection as db
from django.utils import timezone
from django.utils.text import get_valid_filename

from . import services
from .connectors import connector_for
from .connectors.base import ConnectionReport, ConnectorError
from .models import (
    CategoryMapping,
    ErpConflict,
    ErpConnection,
    SalePushJob,
    SalePushStatus,
    SyncRun,
    SyncRunStatus,
)
from .sync import connection_lock, record_new_categories, run_sync
from .tasks import sync_vendor_task

logger = logging.getLogger(__name__)

# A run still "running" after this long belongs to a worker that died: it no longer blocks "Sync now".
STALE_RUN_AFTER = timedelta(hours=2)
# How long "Sync now" waits for the background run's row, so it can open the run's own page.
RUN_ROW_WAIT_SECONDS = 5.0
UPLOAD_SUFFIXES = (".csv", ".xlsx")
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


def check_connection(connection: ErpConnection) -> ConnectionReport:
    """Log in to the member's ERP with the saved settings; keeps what the server tells about the
    key's expiry and the point of sale's stock mode. Raises ``ConnectorError`` with a message for
    the user when the server refuses or cannot be reached."""
    try:
        report = connector_for(connection).test_connection()
    except ConnectorError:
        raise
    except Exception as exc:  # a connector bug must still reach the user as a message, not a 500
        logger.exception("Test connection of %s failed", connection)
        raise ConnectorError(f"The connection failed unexpectedly ({type(exc).__name__}: {exc}).") from exc
    connection.key_expires_at = report.key_expires_at
    connection.pos_stock_mode = report.pos_stock_mode
    connection.save(update_fields=["key_expires_at", "pos_stock_mode"])
    return report


def load_categories(connection: ErpConnection) -> tuple[int, int]:
    """Record the ERP's categories for the vendor to map (as a run does, without a run): new ones
    get the marketplace category their name suggests, known ones keep the vendor's choice and
    take the ERP's current name. Returns (new categories, of which suggested)."""
    categories = {c.ref: c for c in connector_for(connection).categories() if c.ref}
    known = {m.erp_ref: m for m in connection.category_mappings.all()}
    new = record_new_categories(connection, categories, known)
    renamed = [m for ref, m in known.items() if ref in categories and m.erp_name != categories[ref].name[:500]]
    for mapping in renamed:
        mapping.erp_name = categories[mapping.erp_ref].name[:500]
    CategoryMapping.objects.bulk_update(renamed, ["erp_name"])
    return len(new), sum(m.category_id is not None for m in new)


def sync_in_progress(connection: ErpConnection) -> bool:
    """A run of this member is going: its lock is held, or a recent run has not finished."""
    with connection_lock(connection.pk) as acquired:
        if not acquired:
            return True
    return connection.runs.filter(status=SyncRunStatus.RUNNING,
                                  started_at__gte=timezone.now() - STALE_RUN_AFTER).exists()


@dataclass(frozen=True)
class SyncStart:
    started: bool  # False: a run of this member was already going
    run_id: int | None = None  # the new run, when it could be seen yet


def start_sync(connection: ErpConnection, *, full: bool = False) -> SyncStart:
    """Start a run in the background and return at once (with the run's id when its row appears
    within a few seconds). On a broker, a Celery task; in-process, a daemon thread with its own
    database connection. With the setting ``ERP_SYNC_INLINE`` (tests whose data the thread could
    not see) the run happens before returning."""
    if sync_in_progress(connection):
        return SyncStart(started=False)
    if getattr(settings, "ERP_SYNC_INLINE", False):
        run = run_sync(connection, full=full)
        return SyncStart(started=run is not None, run_id=run.pk if run else None)
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        last = connection.runs.order_by("-pk").values_list("pk", flat=True).first() or 0
        sync_vendor_task.delay(connection.pk, full)
        return SyncStart(started=True, run_id=_wait_for_run(connection.pk, last, threading.Event(), {}))
    return _start_thread(connection.pk, full)


def _start_thread(connection_id: int, full: bool) -> SyncStart:
    last = SyncRun.objects.filter(connection_id=connection_id).order_by("-pk").values_list("pk", flat=True).first()
    finished = threading.Event()
    outcome: dict[str, object] = {}

    def work() -> None:
        try:
            connection = ErpConnection.objects.select_related("vendor").get(pk=connection_id)
            outcome["run"] = run_sync(connection, full=full)
        except Exception:  # nobody waits on this thread: the log is where a crash can be seen
            logger.exception("Background ERP sync of connection %s crashed", connection_id)
            outcome["crashed"] = True
        finally:
            db.close()  # this thread's own connection, which nothing else would close
            finished.set()

    threading.Thread(target=work, name=f"erp-sync-{connection_id}", daemon=True).start()
    run_id = _wait_for_run(connection_id, last or 0, finished, outcome)
    if run_id is None and finished.is_set() and outcome.get("run") is None and not outcome.get("crashed"):
        return SyncStart(started=False)  # the lock was taken between our check and the run
    return SyncStart(started=True, run_id=run_id)


def _wait_for_run(connection_id: int, after_pk: int, finished: threading.Event, outcome: dict) -> int | None:
    deadline = time.monotonic() + RUN_ROW_WAIT_SECONDS
    while True:
        run_id = (SyncRun.objects.filter(connection_id=connection_id, pk__gt=after_pk).order_by("pk")
                  .values_list("pk", flat=True).first())
        if run_id is not None:
            return run_id
        if finished.is_set():
            run = outcome.get("run")
            return run.pk if run is not None else None
        if time.monotonic() > deadline:
            return None
        finished.wait(0.05)


def upload_dir(connection: ErpConnection) -> Path:
    """Private to the member: outside MEDIA_ROOT, so no URL ever serves it."""
    return Path(settings.VAR_DIR) / "erp-files" / connection.vendor.slug


def store_uploaded_file(connection: ErpConnection, upload: UploadedFile) -> Path:
    """Keep the member's file (timestamped, earlier ones stay for reference) and make it the one
    scheduled runs read."""
    suffix = Path(upload.name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise ValueError(f"Only {', '.join(UPLOAD_SUFFIXES)} files can be imported.")
    folder = upload_dir(connection)
    folder.mkdir(parents=True, exist_ok=True)
    stem = get_valid_filename(Path(upload.name).stem)[:80] or "items"
    path = folder / f"{timezone.now():%Y%m%d-%H%M%S}-{stem}{suffix}"
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    connection.file_path = str(path)
    connection.save(update_fields=["file_path"])
    return path


def template_path(extension: str) -> Path:
    if extension not in ("csv", "xlsx"):
        raise ValueError(extension)
    return TEMPLATE_DIR / f"erp_import_template.{extension}"


@dataclass(frozen=True)
class RetryOutcome:
    done: int
    pending: int
    failed: int
    errors: tuple[str, ...]


def retry_push_jobs(jobs: Iterable[SalePushJob]) -> RetryOutcome:
    """Push again now the selected pending or failed jobs (a failed one after the vendor fixed its
    credentials or rights); the ERP's idempotency key keeps a retry from recording a sale twice."""
    ids = [job.pk for job in jobs if job.status in (SalePushStatus.PENDING, SalePushStatus.FAILED)]
    SalePushJob.objects.filter(pk__in=ids).update(status=SalePushStatus.PENDING, next_attempt_at=timezone.now())
    counts = {SalePushStatus.DONE: 0, SalePushStatus.PENDING: 0, SalePushStatus.FAILED: 0}
    errors = []
    for job_id in ids:
        job = services.run_push_job(job_id)
        if job is None:
            continue
        counts[job.status] = counts.get(job.status, 0) + 1
        if job.status != SalePushStatus.DONE and job.last_error:
            errors.append(f"{job.reference}: {job.last_error}")
    return RetryOutcome(done=counts[SalePushStatus.DONE], pending=counts[SalePushStatus.PENDING],
                        failed=counts[SalePushStatus.FAILED], errors=tuple(errors))


def resolve_conflicts(conflicts: Iterable[ErpConflict], *, resolution: str, user=None) -> int:
    """Resolve the open ones among ``conflicts``; how many were."""
    resolved = 0
    for conflict in conflicts:
        if conflict.resolved_at is None:
            services.resolve_conflict(conflict, resolution=resolution, user=user)
            resolved += 1
    return resolved
