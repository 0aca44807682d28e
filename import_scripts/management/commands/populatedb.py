from django.core.management.base import BaseCommand

from import_scripts.demo.populate import populate


class Command(BaseCommand):
    help = "Fill the database with a realistic demo marketplace (idempotent, deterministic for a seed)."

    def add_arguments(self, parser):
        parser.add_argument("--items", type=int, default=5000)
        parser.add_argument("--vendors", type=int, default=12)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when products already exist.")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        result = populate(
            items=options["items"],
            vendors=options["vendors"],
            seed=options["seed"],
            if_empty=options["if_empty"],
            progress=not options["no_progress"] and options["verbosity"] > 0,
        )
        self.stdout.write(
            f"Created {result.vendors_created} vendors and {result.products_created} products "
            f"({result.products_total} products in total), and {result.orders_created} demo orders."
        )
