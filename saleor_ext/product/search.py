"""Product search: PostgreSQL full text (French, Dutch, simple), accent-insensitive, typo-tolerant.

Index: ``Product.search_vector`` holds the product's text three times (``simple`` for exact and
prefix words, ``french`` and ``dutch`` for stems), weighted A (names, incl. translations),
B (variant SKUs and names, attribute values, vendor, category path) and C (descriptions, incl.
translations); everything is unaccented and lower-cased first. ``search_document`` is the same
text flat, and feeds ``product_search_word``, a lexicon that typo correction searches by trigram.

Query: every query word must match (AND); a word matches as a prefix, as a French or Dutch stem,
or as one of the lexicon words closest to it when it is not a known word (a typo).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.contrib.postgres.search import SearchQueryField
from django.db import connection
from django.db.models import BooleanField, F, FloatField, Func, QuerySet, Value
from django.db.models.functions import Cast

from saleor_ext.attribute.models import (
    AssignedProductAttributeValue,
    AssignedVariantAttribute,
    AssignedVariantAttributeValue,
    Attribute,
    AttributeValue,
)
from saleor_ext.vendor.models import Vendor

from .models import Category, CategoryTranslation, Product, ProductTranslation, ProductVariant

UPDATE_BATCH_SIZE = 5000
# A query word unknown to the lexicon is replaced by up to this many close words.
MAX_CORRECTIONS = 3
MIN_CORRECTION_SIMILARITY = 0.4
MIN_CORRECTED_WORD_LENGTH = 4
SEARCH_DOCUMENT_MAX_LENGTH = 4000
# Attribute values worth finding by text (a boolean's "yes" or a bare number are not).
TEXT_ATTRIBUTE_TYPES = ["dropdown", "multiselect", "swatch", "plain-text"]


def _tables() -> dict[str, str]:
    return {
        "product": Product._meta.db_table,
        "translation": ProductTranslation._meta.db_table,
        "variant": ProductVariant._meta.db_table,
        "value": AttributeValue._meta.db_table,
        "attribute": Attribute._meta.db_table,
        "product_value": AssignedProductAttributeValue._meta.db_table,
        "variant_assignment": AssignedVariantAttribute._meta.db_table,
        "variant_value": AssignedVariantAttributeValue._meta.db_table,
        "vendor": Vendor._meta.db_table,
        "category": Category._meta.db_table,
        "category_translation": CategoryTranslation._meta.db_table,
    }


# Rich-text JSON (Editor.js blocks) to plain text, tags stripped.
_JSON_TEXT = """regexp_replace(coalesce((
    SELECT string_agg(blk->'data'->>'text', ' ')
    FROM jsonb_array_elements(
        CASE WHEN jsonb_typeof({col}->'blocks') = 'array' THEN {col}->'blocks' ELSE '[]'::jsonb END
    ) AS blk), ''), '<[^>]*>', ' ', 'g')"""


# Accents and case folded; punctuation becomes a space so that "LIV-0003" indexes as "liv" and
# "0003" (the parser would read "-0003" as a signed number), the way query words are split.
_FOLD = "regexp_replace(lower(public.immutable_unaccent({})), '[^[:alnum:]]+', ' ', 'g')".format


def _vector_part(column: str, weight: str) -> str:
    return " || ".join(
        f"setweight(to_tsvector('{config}', {column}), '{weight}')" for config in ("simple", "french", "dutch")
    )


UPDATE_SQL = """
WITH batch AS (
    SELECT id, name, description_plaintext, vendor_id, category_id
    FROM {product} WHERE id = ANY(%(ids)s)
),
tr AS (
    SELECT t.product_id,
           string_agg(coalesce(t.name, ''), ' ') AS names,
           string_agg({translation_description}, ' ') AS descriptions
    FROM {translation} t JOIN batch b ON b.id = t.product_id
    GROUP BY t.product_id
),
var AS (
    SELECT v.product_id, string_agg(concat_ws(' ', v.sku, v.name), ' ') AS text
    FROM {variant} v JOIN batch b ON b.id = v.product_id
    GROUP BY v.product_id
),
attr AS (
    SELECT x.product_id, string_agg(DISTINCT x.text, ' ') AS text FROM (
        SELECT pv.product_id, coalesce(av.plain_text, av.name) AS text
        FROM {product_value} pv
        JOIN batch b ON b.id = pv.product_id
        JOIN {value} av ON av.id = pv.value_id
        JOIN {attribute} a ON a.id = av.attribute_id AND a.input_type = ANY(%(text_types)s)
        UNION ALL
        SELECT v.product_id, coalesce(av.plain_text, av.name)
        FROM {variant} v
        JOIN batch b ON b.id = v.product_id
        JOIN {variant_assignment} va ON va.variant_id = v.id
        JOIN {variant_value} vv ON vv.assignment_id = va.id
        JOIN {value} av ON av.id = vv.value_id
        JOIN {attribute} a ON a.id = av.attribute_id AND a.input_type = ANY(%(text_types)s)
    ) x
    GROUP BY x.product_id
),
cat AS (
    -- A category's text is its own and its ancestors' names in every language ("vélo" finds e-bikes).
    SELECT c.id, string_agg(concat_ws(' ', anc.name, (
        SELECT string_agg(ct.name, ' ') FROM {category_translation} ct WHERE ct.category_id = anc.id
    )), ' ') AS text
    FROM {category} c
    JOIN {category} anc ON anc.tree_id = c.tree_id AND anc.lft <= c.lft AND anc.rght >= c.rght
    WHERE c.id IN (SELECT category_id FROM batch)
    GROUP BY c.id
),
norm AS (
    SELECT b.id,
           {fold_a} AS a,
           {fold_b} AS b,
           {fold_c} AS c
    FROM batch b
    LEFT JOIN tr ON tr.product_id = b.id
    LEFT JOIN var ON var.product_id = b.id
    LEFT JOIN attr ON attr.product_id = b.id
    LEFT JOIN {vendor} ven ON ven.id = b.vendor_id
    LEFT JOIN cat ON cat.id = b.category_id
)
UPDATE {product} p SET
    search_document = left(concat_ws(' ', n.a, n.b, n.c), {max_length}),
    search_vector = {vector_a} || {vector_b} || {vector_c},
    search_index_dirty = false
FROM norm n
WHERE p.id = n.id
"""

LEXICON_SQL = """
INSERT INTO product_search_word (word)
SELECT DISTINCT w
FROM {product} p, regexp_split_to_table(p.search_document, '[^[:alnum:]]+') AS w
WHERE p.id = ANY(%(ids)s) AND length(w) BETWEEN 3 AND 40 AND w !~ '^[0-9]+$'
ON CONFLICT (word) DO NOTHING
"""


def _update_sql() -> str:
    tables = _tables()
    return UPDATE_SQL.format(
        **tables,
        translation_description=_JSON_TEXT.format(col="t.description"),
        max_length=SEARCH_DOCUMENT_MAX_LENGTH,
        vector_a=_vector_part("n.a", "A"),
        vector_b=_vector_part("n.b", "B"),
        vector_c=_vector_part("n.c", "C"),
        fold_a=_FOLD("concat_ws(' ', b.name, tr.names)"),
        fold_b=_FOLD("concat_ws(' ', var.text, attr.text, ven.name, cat.text)"),
        fold_c=_FOLD("concat_ws(' ', b.description_plaintext, tr.descriptions)"),
    )


def _as_ids(products_or_ids: Iterable[Product | int]) -> list[int]:
    return [item.pk if isinstance(item, Product) else int(item) for item in products_or_ids]


def update_products_search_vector(
    products_or_ids: Iterable[Product | int] | QuerySet[Product], batch_size: int = UPDATE_BATCH_SIZE
) -> int:
    """Rebuild search_document and search_vector of the given products, set-based, one UPDATE per batch.

    Clears ``search_index_dirty`` and adds the documents' words to the typo lexicon.
    Returns the number of products updated.
    """
    if isinstance(products_or_ids, QuerySet):
        ids = list(products_or_ids.order_by().values_list("pk", flat=True))
    else:
        ids = _as_ids(products_or_ids)
    update_sql, lexicon_sql = _update_sql(), LEXICON_SQL.format(product=Product._meta.db_table)
    updated = 0
    with connection.cursor() as cursor:
        for start in range(0, len(ids), batch_size):
            params = {"ids": ids[start : start + batch_size], "text_types": TEXT_ATTRIBUTE_TYPES}
            cursor.execute(update_sql, params)
            updated += cursor.rowcount
            cursor.execute(lexicon_sql, params)
    return updated


# -- query -------------------------------------------------------------------------------------

# For each query word (accent-folded, lower-cased): is it a stop word (FR, NL or EN),
# its tsquery (prefix | French stem | Dutch stem), and, for a word that starts no known word,
# the closest lexicon words.
PREPARE_SQL = """
WITH words AS (
    SELECT w, n
    FROM regexp_split_to_table(lower(public.immutable_unaccent(%(value)s)), '[^[:alnum:]]+')
         WITH ORDINALITY AS t(w, n)
    WHERE w <> ''
)
SELECT
    w,
    numnode(plainto_tsquery('french', w)) = 0
        OR numnode(plainto_tsquery('dutch', w)) = 0
        OR numnode(plainto_tsquery('english', w)) = 0 AS is_stop,
    (to_tsquery('simple', quote_literal(w) || ':*')
        || plainto_tsquery('french', w) || plainto_tsquery('dutch', w))::text AS tsq,
    CASE WHEN length(w) >= %(min_len)s
              AND NOT EXISTS (SELECT 1 FROM product_search_word e WHERE e.word LIKE w || '%%')
    THEN ARRAY(
        SELECT s.word FROM product_search_word s
        WHERE s.word %% w AND similarity(s.word, w) >= %(min_similarity)s
        ORDER BY similarity(s.word, w) DESC, s.word
        LIMIT %(max_corrections)s
    ) ELSE ARRAY[]::text[] END AS corrections
FROM words
ORDER BY n
"""


def _quote_lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def build_search_query(value: str) -> str | None:
    """The tsquery text for ``value``, or None when nothing in it can be searched."""
    with connection.cursor() as cursor:
        cursor.execute(
            PREPARE_SQL,
            {
                "value": value,
                "min_len": MIN_CORRECTED_WORD_LENGTH,
                "min_similarity": MIN_CORRECTION_SIMILARITY,
                "max_corrections": MAX_CORRECTIONS,
            },
        )
        rows: Sequence[tuple[str, bool, str, list[str]]] = cursor.fetchall()
    # One-letter words and stop words ("de", "het", "the") only narrow a query when alone.
    meaningful = [row for row in rows if len(row[0]) > 1 and not row[1]]
    kept = meaningful or [row for row in rows if len(row[0]) > 1] or list(rows)
    parts = []
    for _word, _is_stop, tsq, corrections in kept:
        alternatives = [tsq] + [_quote_lexeme(word) for word in corrections]
        parts.append("(" + " | ".join(alternatives) + ")")
    return " & ".join(parts) or None


class _Matches(Func):
    """``vector @@ query``: a bare boolean expression that the GIN index on the vector serves."""

    template = "%(expressions)s"
    arg_joiner = " @@ "
    output_field = BooleanField()


def search_products(queryset: QuerySet[Product], value: str) -> QuerySet[Product]:
    """Products of ``queryset`` matching ``value``, annotated with ``search_rank`` (higher is better).

    A blank value returns the queryset unchanged with ``search_rank`` 0.
    """
    if not value or not value.strip():
        return queryset.annotate(search_rank=Value(0.0, output_field=FloatField()))
    query_text = build_search_query(value)
    if query_text is None:
        return queryset.none().annotate(search_rank=Value(0.0, output_field=FloatField()))
    query = Cast(Value(query_text), output_field=SearchQueryField())
    return queryset.filter(_Matches(F("search_vector"), query)).annotate(
        search_rank=Func(F("search_vector"), query, function="ts_rank", output_field=FloatField())
    )
