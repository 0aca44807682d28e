import django.contrib.postgres.search
from django.db import migrations


class Migration(migrations.Migration):
    """A small vector (names and B text) that search ranks on, apart from the one it matches on.

    Existing rows are flagged dirty so that the index task (or ``update_search_indexes``) fills
    it; until then their rank is 0 and they still match. MAIN storage, as for search_vector
    (0003): PostgreSQL compresses or moves the descriptions out of a wide row before it.
    """

    dependencies = [("product", "0003_search_vector_inline_storage")]

    operations = [
        migrations.AddField(
            model_name="product",
            name="search_rank_vector",
            field=django.contrib.postgres.search.SearchVectorField(blank=True, null=True),
        ),
        migrations.RunSQL(
            "ALTER TABLE product_product ALTER COLUMN search_rank_vector SET STORAGE MAIN",
            migrations.RunSQL.noop,
        ),
        migrations.RunSQL(
            "UPDATE product_product SET search_index_dirty = true "
            "WHERE search_index_dirty = false AND search_rank_vector IS NULL",
            migrations.RunSQL.noop,
        ),
    ]
