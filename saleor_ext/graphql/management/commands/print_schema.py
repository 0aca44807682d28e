from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from saleor_ext.graphql.api import schema


class Command(BaseCommand):
    help = "Write the served GraphQL schema to schema.graphql (committed; a test fails when it drifts)."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "schema.graphql"))

    def handle(self, *args, output, **options):
        Path(output).write_text(str(schema) + "\n")
        self.stdout.write(f"Schema written to {output}")
