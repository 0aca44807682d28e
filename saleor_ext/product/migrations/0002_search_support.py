from django.db import migrations

# unaccent() is only STABLE (its dictionary could change), so it cannot appear in an index or a
# generated value; this wrapper pins the dictionary and is declared IMMUTABLE.
CREATE_SQL = r"""
CREATE OR REPLACE FUNCTION public.immutable_unaccent(text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;

CREATE INDEX IF NOT EXISTS product_search_document_trgm
    ON product_product USING gin (search_document gin_trgm_ops);

-- Lexicon of the words found in search documents: typo correction looks a query word up here
-- by trigram similarity (a small table), then the product query itself stays a pure GIN lookup.
CREATE TABLE IF NOT EXISTS product_search_word (word text PRIMARY KEY);
CREATE INDEX IF NOT EXISTS product_search_word_trgm ON product_search_word USING gin (word gin_trgm_ops);
"""

DROP_SQL = r"""
DROP TABLE IF EXISTS product_search_word;
DROP INDEX IF EXISTS product_search_document_trgm;
DROP FUNCTION IF EXISTS public.immutable_unaccent(text);
"""


class Migration(migrations.Migration):
    dependencies = [("product", "0001_initial"), ("core", "0001_extensions")]
    operations = [migrations.RunSQL(CREATE_SQL, DROP_SQL)]
