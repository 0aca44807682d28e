"""Import a member's items from a CSV or XLSX file (plugins/erp_sync/templates/erp_import_template.csv)."""

from __future__ import annotations

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from plugins.erp_sync.connectors.base import ConnectorError
from plugins.erp_sync.connectors.file import FileConnector
from plugins.erp_sync.models import ConnectionKind, ErpConnection
from plugins.erp_sync.sync import run_sync
from saleor_ext.vendor.models import Vendor


class Command(BaseCommand):
    help = "Import a member shop's items from a CSV or XLSX file; rejected lines are reported."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV (; or , separated) or XLSX file in the template's columns")
        parser.add_argument("--vendor", required=True, help="The member shop's slug")
        parser.add_argument("--dry-run", action="store_true", help="Check and count only: nothing is written")

    def handle(self, *args, **options):
        path = Path(options["file"])
        vendor = Vendor.objects.filter(slug=options["vendor"]).first()
        if vendor is None:
            raise CommandError(f"No member shop with slug {options['vendor']!r}.")
        connector = FileConnector(path)
        try:
            total = connector.total_rows
        except ConnectorError as exc:
            raise CommandError(str(exc)) from exc
        dry_run = options["dry_run"]
        with transaction.atomic():
            connection = ErpConnection.objects.filter(vendor=vendor).first()
            if connection is None:
                # A file member: scheduled runs stay off until a file to re-read is configured.
                connection = ErpConnection.objects.create(vendor=vendor, kind=ConnectionKind.FILE, enabled=False)
            elif connection.kind != ConnectionKind.FILE:
                raise CommandError(f"{vendor} syncs from its ERP ({connection.get_kind_display()}): "
                                   "use sync_vendor.")
            with tqdm(total=total, unit="item", desc=path.name, disable=options["verbosity"] == 0) as bar:
                run = run_sync(connection, connector=connector, dry_run=dry_run, progress=bar.update)
            if dry_run:
                transaction.set_rollback(True)
        if run is None:
            raise CommandError(f"A sync of {vendor} is running: try again when it has finished.")
        self._report(run, path, dry_run)
        if run.status == "failed":
            raise CommandError(f"The import failed: {run.error}")

    def _report(self, run, path: Path, dry_run: bool) -> None:
        prefix = "Dry run, nothing written: " if dry_run else ""
        self.stdout.write(
            f"{prefix}{run.seen} items read, {run.created} created, {run.updated} updated, "
            f"{run.archived} archived, {run.rejected} rejected lines."
        )
        rejected = [issue for issue in run.issue_list if issue.rejected]
        for issue in rejected:
            self.stdout.write(f"  line {issue.row_number or '?'} ({issue.item_ref or 'no reference'}): {issue.reason}")
        warnings = [issue for issue in run.issue_list if not issue.rejected]
        for issue in warnings:
            self.stdout.write(f"  note ({issue.item_ref}): {issue.reason}")
        if not rejected or dry_run:
            return
        report = path.with_name(f"{path.stem}.rejected.csv")
        try:
            with report.open("w", encoding="utf-8-sig", newline="") as out:
                writer = csv.writer(out, delimiter=";")
                writer.writerow(["line", "reference", "reason"])
                writer.writerows([issue.row_number, issue.item_ref, issue.reason] for issue in rejected)
        except OSError:
            self.stdout.write("The rejected lines could not be written next to the file (listed above).")
        else:
            self.stdout.write(f"Rejected lines written to {report}")
