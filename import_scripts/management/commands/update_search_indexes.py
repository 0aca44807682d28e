from django.core.management.base import BaseCommand

from saleor_ext.product.models import Product
from saleor_ext.product.search import update_products_search_vector


class Command(BaseCommand):
    help = "Rebuild product search vectors (only dirty ones unless --all)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Rebuild every product, not only dirty ones.")

    def handle(self, *args, **options):
        products = Product.objects.all() if options["all"] else Product.objects.filter(search_index_dirty=True)
        count = update_products_search_vector(products)
        self.stdout.write(f"Updated the search index of {count} products.")
