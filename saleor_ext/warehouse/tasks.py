"""Periodic stock housekeeping."""

from __future__ import annotations

from celery import shared_task

from .management import delete_expired_reservations


@shared_task(name="saleor_ext.warehouse.tasks.delete_expired_reservations_task")
def delete_expired_reservations_task() -> int:
    """Drop reservations past their time: they no longer count, this only keeps the table small."""
    return delete_expired_reservations()
