from pathlib import Path

from django.core.management.base import BaseCommand

from import_scripts.config_loader import CONFIG_DIR, load_storefront_config


class Command(BaseCommand):
    help = "Load channels, categories, attributes, grading schemes and the select collection from YAML."

    def add_arguments(self, parser):
        parser.add_argument("--config-dir", type=Path, default=CONFIG_DIR)

    def handle(self, *args, **options):
        counts = load_storefront_config(options["config_dir"])
        self.stdout.write("Loaded " + ", ".join(f"{count} {name}" for name, count in counts.items()) + ".")
