"""Run a member's ERP sync now, as the schedule would (or whole with --full)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from plugins.erp_sync.models import ErpConnection
from plugins.erp_sync.sync import run_sync


class Command(BaseCommand):
    help = "Sync a member shop's items and stock from its ERP (or its configured file)."

    def add_arguments(self, parser):
        parser.add_argument("vendor", help="The member shop's slug")
        parser.add_argument("--full", action="store_true",
                            help="Every item and a full stock reconciliation; archives what the ERP no longer has")

    def handle(self, *args, **options):
        connection = ErpConnection.objects.select_related("vendor").filter(vendor__slug=options["vendor"]).first()
        if connection is None:
            raise CommandError(f"No ERP connection for the member shop {options['vendor']!r}.")
        run = run_sync(connection, full=options["full"])
        if run is None:
            self.stdout.write(f"A sync of {connection.vendor} is already running: nothing done.")
            return
        self.stdout.write(
            f"{run.kind} sync of {connection.vendor} {run.status} in {run.duration_seconds:.1f} s: "
            f"{run.seen} seen, {run.created} created, {run.updated} updated, {run.archived} archived, "
            f"{run.rejected} rejected, {run.stock_updated} stock changes, {run.conflicts} conflicts."
        )
        for issue in run.issue_list:
            self.stdout.write(f"  {issue.item_ref or f'line {issue.row_number}'}: {issue.reason}")
        if run.status == "failed":
            raise CommandError(run.error)
