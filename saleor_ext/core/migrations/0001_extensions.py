from django.contrib.postgres.operations import BtreeGinExtension, TrigramExtension, UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    """Extensions the catalogue search needs (trigram typo tolerance, accent folding)."""

    initial = True
    dependencies = []
    operations = [TrigramExtension(), UnaccentExtension(), BtreeGinExtension()]
