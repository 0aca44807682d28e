from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from saleor_ext.graphql.api import schema
from saleor_ext.graphql.compat import compare, subset_of_saleor

BASELINE = Path(settings.BASE_DIR) / "saleor_ext" / "graphql" / "saleor_baseline.graphql"


class Command(BaseCommand):
    help = "Compare the served schema with Saleor's printed schema and refresh the committed baseline."

    def add_arguments(self, parser):
        parser.add_argument("reference", help="Path to Saleor's printed schema (names and types).")
        parser.add_argument("--verbose-additions", action="store_true")

    def handle(self, *args, reference, verbose_additions, **options):
        path = Path(reference)
        if not path.exists():
            raise CommandError(f"{path} not found: the reference lives in ../shared on development machines.")
        ours, theirs = str(schema), path.read_text()
        report = compare(ours, theirs)
        BASELINE.write_text(subset_of_saleor(ours, theirs))
        self.stdout.write(f"{len(report.shared_types)} types shared with Saleor, {len(report.additions)} additions.")
        if verbose_additions:
            for line in report.additions:
                self.stdout.write(f"  + {line}")
        if report.mismatches:
            for line in report.mismatches:
                self.stderr.write(f"  MISMATCH {line}")
            raise CommandError(f"{len(report.mismatches)} mismatches with Saleor's schema.")
        self.stdout.write(self.style.SUCCESS(f"No mismatch. Baseline refreshed in {BASELINE}."))
