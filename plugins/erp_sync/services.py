"""Writes of the ERP sync beyond a run: online sales pushed back to the member's ERP (and their
cancellations), and the vendor's resolution of a conflict (an item sold in the shop and online)."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone

from saleor_ext.order.models import Order, OrderEvent, OrderEvents, OrderLine, VendorOrder, VendorOrderStatus
from saleor_ext.order.services import cancel_lines

from .connectors import connector_for
from .connectors.base import Connector, ConnectorError, SaleLine, SalePush
from .lock_objects import lock_conflict, lock_push_job
from .models import (
    ConflictResolution,
    ConnectionKind,
    ErpConflict,
    ErpConnection,
    SalePushAction,
    SalePushJob,
    SalePushStatus,
    SyncRun,
)

logger = logging.getLogger(__name__)
MAX_RETRY_DELAY = timedelta(hours=1)


def retry_delay(attempts: int) -> timedelta:
    """30 s (ERP_PUSH_FIRST_RETRY_SECONDS), 1 min, 2 min, … doubling up to one hour."""
    first = timedelta(seconds=settings.ERP_PUSH_FIRST_RETRY_SECONDS)
    return min(first * 2 ** max(attempts - 1, 0), MAX_RETRY_DELAY)


def sale_reference(order_number: int, vendor_id: int) -> str:
    """Our vendor order's number as the ERP sees it (its idempotency key)."""
    return f"MP-{order_number}-{vendor_id}"


def queue_sale_pushes(order: Order) -> list[int]:
    """One push job per vendor order of ``order`` whose shop syncs with an ERP; the pending ids."""
    rows = list(
        VendorOrder.objects.filter(order_id=order.pk, vendor__erp_connection__enabled=True)
        .exclude(vendor__erp_connection__kind=ConnectionKind.FILE)
        .values_list("pk", "vendor_id", "vendor__erp_connection__pk")
    )
    if not rows:
        return []
    SalePushJob.objects.bulk_create(
        [SalePushJob(vendor_order_id=pk, connection_id=connection_id, reference=sale_reference(order.number, vendor_id))
         for pk, vendor_id, connection_id in rows],
        ignore_conflicts=True,
    )
    return list(SalePushJob.objects.filter(vendor_order_id__in=[r[0] for r in rows], action=SalePushAction.PUSH,
                                           status=SalePushStatus.PENDING).values_list("pk", flat=True))


def queue_sale_cancels(vendor_order_ids: list) -> list[int]:
    """Vendor orders cancelled whole: their recorded sale is cancelled in the ERP; one never
    recorded is simply not pushed any more. Vendor orders with some lines cancelled (a refund,
    a conflict resolved): their recorded sale's quantities are lowered to what is still sold;
    one not recorded yet is pushed with those quantities anyway. Returns the pending job ids."""
    cancelled = list(VendorOrder.objects.filter(pk__in=vendor_order_ids, status=VendorOrderStatus.CANCELLED)
                     .values_list("pk", flat=True))
    updates = _queue_sale_updates([pk for pk in vendor_order_ids if pk not in set(cancelled)])
    SalePushJob.objects.filter(vendor_order_id__in=cancelled, action=SalePushAction.UPDATE,
                               status=SalePushStatus.PENDING).update(status=SalePushStatus.CANCELLED)
    jobs = list(SalePushJob.objects.filter(vendor_order_id__in=cancelled, action=SalePushAction.PUSH))
    SalePushJob.objects.filter(pk__in=[j.pk for j in jobs if j.status != SalePushStatus.DONE]).update(
        status=SalePushStatus.CANCELLED)
    SalePushJob.objects.bulk_create(
        [SalePushJob(vendor_order_id=j.vendor_order_id, connection_id=j.connection_id, reference=j.reference,
                     action=SalePushAction.CANCEL) for j in jobs if j.status == SalePushStatus.DONE],
        ignore_conflicts=True,
    )
    return updates + list(SalePushJob.objects.filter(vendor_order_id__in=cancelled, action=SalePushAction.CANCEL,
                                                     status=SalePushStatus.PENDING).values_list("pk", flat=True))


def _queue_sale_updates(vendor_order_ids: list) -> list[int]:
    """One update job per vendor order whose sale the ERP recorded; pending again (attempts
    reset) when more lines are cancelled later, as it always sends the current quantities."""
    recorded = list(SalePushJob.objects.filter(vendor_order_id__in=vendor_order_ids, action=SalePushAction.PUSH,
                                               status=SalePushStatus.DONE))
    if not recorded:
        return []
    SalePushJob.objects.bulk_create(
        [SalePushJob(vendor_order_id=j.vendor_order_id, connection_id=j.connection_id, reference=j.reference,
                     action=SalePushAction.UPDATE) for j in recorded],
        update_conflicts=True, unique_fields=["vendor_order", "action"],
        update_fields=["status", "attempts", "next_attempt_at", "last_error"],
    )
    return list(SalePushJob.objects.filter(vendor_order_id__in=[j.vendor_order_id for j in recorded],
                                           action=SalePushAction.UPDATE, status=SalePushStatus.PENDING)
                .values_list("pk", flat=True))


def build_sale(job: SalePushJob) -> SalePush:
    vendor_order = VendorOrder.objects.select_related("order__billing_address").get(pk=job.vendor_order_id)
    order = vendor_order.order
    links = dict(job.connection.item_links.values_list("variant_id", "erp_ref"))
    lines = []
    for line in vendor_order.lines.all():
        quantity = line.quantity - line.quantity_cancelled
        if quantity > 0:
            ref = links.get(line.variant_id) or line.product_sku or ""
            lines.append(SaleLine(item_ref=ref, quantity=quantity, unit_price=line.unit_price_gross_amount))
    address = order.billing_address
    name = f"{address.first_name} {address.last_name}".strip() if address else ""
    return SalePush(reference=job.reference, customer_name=name or order.user_email,
                    customer_email=order.user_email, lines=lines, currency=order.currency)


def run_push_job(job_id: int, *, connector: Connector | None = None) -> SalePushJob | None:
    """One attempt at a push (or cancel) job: done when the ERP acknowledges it, otherwise the
    error is kept and the next attempt set (back-off), or the job fails for good when retrying
    cannot help (credentials, rights). A job another worker holds is left alone (None)."""
    with transaction.atomic():
        job = lock_push_job(job_id)
        if job is None or job.status != SalePushStatus.PENDING:
            return job
        job.attempts += 1
        try:
            connector = connector or connector_for(job.connection)
            if job.action == SalePushAction.PUSH:
                job.external_ref = connector.push_sale(build_sale(job)).external_ref
            elif job.action == SalePushAction.UPDATE:
                connector.update_sale(build_sale(job))
            else:
                connector.cancel_sale(job.reference)
        except Exception as exc:  # the ERP's answer decides: retry later or report
            retryable = exc.retryable if isinstance(exc, ConnectorError) else True
            job.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            job.status = SalePushStatus.PENDING if retryable else SalePushStatus.FAILED
            job.next_attempt_at = timezone.now() + retry_delay(job.attempts)
            logger.warning("ERP %s of %s failed (attempt %s): %s", job.action, job.reference, job.attempts, exc)
        else:
            job.status = SalePushStatus.DONE
            job.last_error = ""
        job.save()
        return job


def due_push_jobs(now=None) -> list[int]:
    now = now or timezone.now()
    return list(SalePushJob.objects.filter(status=SalePushStatus.PENDING, next_attempt_at__lte=now)
                .order_by("next_attempt_at").values_list("pk", flat=True)[:500])


def record_conflict_events(conflicts: list[ErpConflict]) -> None:
    """A note in each affected order's history, which the vendor's order page shows."""
    order_ids = dict(OrderLine.objects.filter(pk__in=[c.line_id for c in conflicts]).values_list("pk", "order_id"))
    OrderEvent.objects.bulk_create([
        OrderEvent(order_id=order_ids[c.line_id], vendor_order_id=c.vendor_order_id, type=OrderEvents.NOTE_ADDED,
                   parameters={"message": c.reason, "erp_conflict": True})
        for c in conflicts
    ])


def resolve_conflict(conflict: ErpConflict, *, resolution: str, user=None, reason: str = "") -> ErpConflict:
    """The vendor's decision: ``cancelled`` cancels the line's remaining units and refunds the
    shopper through the order services; ``replaced`` keeps the sale (an equivalent item is sent)."""
    if resolution not in dict(ConflictResolution.CHOICES):
        raise ValueError(f"Unknown resolution {resolution!r}")
    with transaction.atomic():
        conflict = lock_conflict(conflict.pk)
        if conflict.resolved_at:
            return conflict
        line = conflict.line
        if resolution == ConflictResolution.CANCELLED and line.quantity_unfulfilled > 0:
            cancel_lines(line.order, {str(line.pk): line.quantity_unfulfilled}, user,
                         reason or "Sold in the shop before the online order reached it.")
        conflict.resolution = resolution
        conflict.resolved_at = timezone.now()
        conflict.save(update_fields=["resolution", "resolved_at"])
    return conflict


HEALTH_RUNS = 20  # the error rate is over the member's last runs


def health_annotations() -> dict:
    """Annotations that give ``connection_health`` its numbers for a whole list of connections
    in one query (the back-office's list), instead of four queries per member."""
    conflicts = (ErpConflict.objects.filter(vendor_order__vendor_id=OuterRef("vendor_id"), resolved_at__isnull=True)
                 .order_by().values("vendor_order__vendor_id").annotate(n=Count("pk")).values("n"))
    return {
        "health_error_rate": RawSQL(
            f"SELECT COALESCE(AVG((r.status = 'failed')::int), 0) FROM (SELECT status FROM {SyncRun._meta.db_table} r"
            f" WHERE r.connection_id = {ErpConnection._meta.db_table}.id ORDER BY r.started_at DESC LIMIT %s) r",
            [HEALTH_RUNS]),
        "health_pending_pushes": Count("push_jobs", filter=Q(push_jobs__status=SalePushStatus.PENDING), distinct=True),
        "health_failed_pushes": Count("push_jobs", filter=Q(push_jobs__status=SalePushStatus.FAILED), distinct=True),
        "health_open_conflicts": Coalesce(Subquery(conflicts), 0),
    }


def connection_health(connection: ErpConnection) -> dict:
    """What the back-office shows per member: last success, lag, error rate, pending pushes, warnings.
    The numbers come from ``health_annotations``: read with the connection (the list) or here."""
    counts = {name: getattr(connection, name, None) for name in health_annotations()}
    if None in counts.values():
        counts = ErpConnection.objects.filter(pk=connection.pk).annotate(**health_annotations()).values(
            *counts).get()
    warnings = []
    if connection.key_expires_at and connection.key_expires_at <= timezone.now() + timedelta(days=14):
        warnings.append(f"The API key stops working on {connection.key_expires_at:%Y-%m-%d}: create a new one.")
    if connection.pos_stock_mode == "closing":
        warnings.append("The point of sale updates stock only when its session closes: shop sales reach the "
                        "marketplace late.")
    return {
        "last_success_at": connection.last_success_at,
        "lag": timezone.now() - connection.last_success_at if connection.last_success_at else None,
        "error_rate": float(counts["health_error_rate"]),
        "pending_pushes": counts["health_pending_pushes"],
        "failed_pushes": counts["health_failed_pushes"],
        "open_conflicts": counts["health_open_conflicts"],
        "warnings": warnings,
    }
