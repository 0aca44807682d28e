"""Product search: PostgreSQL full text (French, Dutch, simple), accent-insensitive, typo-tolerant.

Index: ``Product.search_vector`` holds the product's text three times (``simple`` for exact and
prefix words, ``french`` and ``dutch`` for stems), weighted A (names, incl. translations),
B (variant SKUs and names, attribute values, vendor, category path) and C (descriptions, incl.
translations); everything is unaccented and lower-cased first. ``search_rank_vector`` is the A
and B part of it alone, which ranking reads: a third of the size, no descriptions to walk.
``search_document`` is the A and B text flat, and feeds ``product_search_word``, a lexicon that
typo correction searches by trigram.

Query: every query word must match (AND); a word matches as a prefix, as a French or Dutch stem,
or as one of the lexicon words closest to it when it is not a known word (a typo).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import NamedTuple

from django.contrib.postgres.search import SearchQueryField
from django.db import connection, transaction
from django.db.models import BooleanField, F, FloatField, Func, QuerySet, Value
from django.db.models.functions import Cast, Coalesce

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
SEARCH_DOCUMENT_MAX_LENGTH = 2000
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


# Accents and case folded; joining punctuation becomes a space so that "LIV-0003" indexes as
# "liv" and "0003" (the parser would read "-0003" as a signed number, "2.5" or "a/b" as one
# token), the way query words are split. Nested replace() is much cheaper than translate() or a
# regular expression on bulk rebuilds; the parser itself splits on the other punctuation.
JOINING_PUNCTUATION = ("-", "/", ".", "_", "'", "’", "–")


def _fold(column: str) -> str:
    expression = f"lower(public.immutable_unaccent(coalesce({column}, '')))"
    for char in JOINING_PUNCTUATION:
        expression = f"replace({expression}, '{char.replace(chr(39), chr(39) * 2)}', ' ')"
    return expression


def _weighted(config: str, column: str, weight: str) -> str:
    return f"setweight(to_tsvector('{config}', {column}), '{weight}')"


# Names (A) are indexed as written (simple: exact and prefix words) and stemmed in their own
# language; B (SKUs, attribute values, vendor, categories) as written;
# descriptions (C) stemmed in their own language only, which prefix queries still reach.
_NAME_AND_B_PARTS = [
    _weighted("simple", "concat_ws(' ', n.a_fr, n.a_nl, n.a_en, n.a_other)", "A"),
    _weighted("french", "n.a_fr", "A"),
    _weighted("dutch", "n.a_nl", "A"),
    _weighted("english", "n.a_en", "A"),
    _weighted("simple", "n.b", "B"),
]
_DESCRIPTION_PARTS = [
    _weighted("french", "n.c_fr", "C"),
    _weighted("dutch", "n.c_nl", "C"),
    _weighted("english", "n.c_en", "C"),
    _weighted("simple", "n.c_other", "C"),
]
# search_rank_vector, what ranking reads, is search_vector without the descriptions: ts_rank
# walks every lexeme of the vector it is given, and descriptions are most of them. A match in
# a description only then ranks 0, below any name or B match, as C's lower weight made it.
# search_vector is built from it (rank vector || descriptions), not computed twice.
RANK_VECTOR_SQL = " || ".join(_NAME_AND_B_PARTS)
DESCRIPTION_VECTOR_SQL = " || ".join(_DESCRIPTION_PARTS)

_LANG = "upper(left(t.language_code, 2))"

UPDATE_SQL = """
WITH batch AS (
    SELECT id, name, description_plaintext, vendor_id, category_id
    FROM {product} WHERE id = ANY(%(ids)s)
),
tr_text AS (
    SELECT t.product_id, {lang} AS lang, coalesce(t.name, '') AS name, {translation_description} AS description
    FROM {translation} t JOIN batch b ON b.id = t.product_id
),
tr AS (
    SELECT product_id,
           string_agg(name, ' ') FILTER (WHERE lang = 'FR') AS name_fr,
           string_agg(name, ' ') FILTER (WHERE lang = 'NL') AS name_nl,
           string_agg(name, ' ') FILTER (WHERE lang = 'EN') AS name_en,
           string_agg(name, ' ') FILTER (WHERE lang NOT IN ('FR', 'NL', 'EN')) AS name_other,
           string_agg(description, ' ') FILTER (WHERE lang = 'FR') AS description_fr,
           string_agg(description, ' ') FILTER (WHERE lang = 'NL') AS description_nl,
           string_agg(description, ' ') FILTER (WHERE lang = 'EN') AS description_en,
           string_agg(description, ' ') FILTER (WHERE lang NOT IN ('FR', 'NL', 'EN')) AS description_other
    FROM tr_text
    GROUP BY product_id
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
           {fold_a_fr} AS a_fr,
           {fold_a_nl} AS a_nl,
           {fold_a_en} AS a_en,
           {fold_a_other} AS a_other,
           {fold_b} AS b,
           {fold_c_fr} AS c_fr,
           {fold_c_nl} AS c_nl,
           {fold_c_en} AS c_en,
           {fold_c_other} AS c_other
    FROM batch b
    LEFT JOIN tr ON tr.product_id = b.id
    LEFT JOIN var ON var.product_id = b.id
    LEFT JOIN attr ON attr.product_id = b.id
    LEFT JOIN {vendor} ven ON ven.id = b.vendor_id
    LEFT JOIN cat ON cat.id = b.category_id
),
updated AS (
    UPDATE {product} p SET
        -- Names and B only: it backs the trigram index, which long descriptions would make costly.
        search_document = left(concat_ws(' ', n.a_fr, n.a_nl, n.a_en, n.a_other, n.b), {max_length}),
        search_vector = n.rank_vector || {description_vector},
        search_rank_vector = n.rank_vector,
        search_index_dirty = false
    FROM (SELECT n.*, {rank_vector} AS rank_vector FROM norm n) n
    WHERE p.id = n.id
    RETURNING p.id
),
lexicon AS (
    INSERT INTO product_search_word (word)
    SELECT w FROM (
        SELECT DISTINCT unnest(string_to_array(
            concat_ws(' ', n.a_fr, n.a_nl, n.a_en, n.a_other, n.b, n.c_fr, n.c_nl, n.c_en, n.c_other), ' '
        )) AS w
        FROM norm n
    ) words
    WHERE length(w) BETWEEN 3 AND 40 AND w ~ '^[[:alpha:]][[:alnum:]]*$'
    ON CONFLICT (word) DO NOTHING
)
SELECT count(*) FROM updated
"""


def _update_sql() -> str:
    tables = _tables()
    return UPDATE_SQL.format(
        **tables,
        lang=_LANG,
        translation_description=_JSON_TEXT.format(col="t.description"),
        max_length=SEARCH_DOCUMENT_MAX_LENGTH,
        rank_vector=RANK_VECTOR_SQL,
        description_vector=DESCRIPTION_VECTOR_SQL,
        fold_a_fr=_fold("concat_ws(' ', b.name, tr.name_fr)"),
        fold_a_nl=_fold("tr.name_nl"),
        fold_a_en=_fold("tr.name_en"),
        fold_a_other=_fold("tr.name_other"),
        fold_b=_fold("concat_ws(' ', var.text, attr.text, ven.name, cat.text)"),
        fold_c_fr=_fold("concat_ws(' ', b.description_plaintext, tr.description_fr)"),
        fold_c_nl=_fold("tr.description_nl"),
        fold_c_en=_fold("tr.description_en"),
        fold_c_other=_fold("tr.description_other"),
    )


def _as_ids(products_or_ids: Iterable[Product | int]) -> list[int]:
    return [item.pk if isinstance(item, Product) else int(item) for item in products_or_ids]


def update_products_search_vector(
    products_or_ids: Iterable[Product | int] | QuerySet[Product], batch_size: int = UPDATE_BATCH_SIZE
) -> int:
    """Rebuild the search columns (document, vectors) of the given products, one UPDATE per batch.

    Clears ``search_index_dirty`` and adds the documents' words to the typo lexicon.
    Returns the number of products updated.
    """
    if isinstance(products_or_ids, QuerySet):
        ids = list(products_or_ids.order_by().values_list("pk", flat=True))
    else:
        ids = _as_ids(products_or_ids)
    update_sql = _update_sql()
    updated = 0
    with connection.cursor() as cursor:
        for start in range(0, len(ids), batch_size):
            params = {
                "ids": ids[start : start + batch_size],
                "text_types": TEXT_ATTRIBUTE_TYPES,
            }
            cursor.execute(update_sql, params)
            updated += cursor.fetchone()[0]
    return updated


# Indexes that a bulk rebuild of many vectors maintains row by row; building them afresh once
# is several times faster than that when most of the catalogue is being (re)indexed.
BULK_REBUILT_INDEXES = ("product_tsearch", "product_search_document_trgm")


@contextmanager
def search_indexes_suspended() -> Iterator[None]:
    """Drop the search GIN indexes for the duration of a bulk load, then build them again.

    For offline loads only (demo data, first import): searches meanwhile scan the table.
    """
    with connection.cursor() as cursor:
        # Deferred foreign-key checks still pending in this transaction would forbid CREATE INDEX.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname = ANY(%s)",
            [Product._meta.db_table, list(BULK_REBUILT_INDEXES)],
        )
        definitions = cursor.fetchall()
        for name, _definition in definitions:
            cursor.execute(f"DROP INDEX IF EXISTS {connection.ops.quote_name(name)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '256MB'")
            for _name, definition in definitions:
                cursor.execute(definition)
            cursor.execute("RESET maintenance_work_mem")


# -- query -------------------------------------------------------------------------------------

# For each query word (accent-folded, lower-cased): is it a stop word (FR, NL or EN), and its
# tsquery: the word as a prefix or stemmed in each language, or, when it starts no known word
# (a typo), one of the closest lexicon words, stemmed likewise.
# rank_tsq has the same terms, each lexeme once: ts_rank keeps only one of the operands that
# share a lexeme, and when it keeps the stem 'velo' over the prefix 'velo':* a name or category
# holding "velos" ranks 0. A prefix covers its exact word, so the merged operand is the prefix.
PREPARE_SQL = """
WITH words AS (
    SELECT w, n
    FROM regexp_split_to_table(lower(public.immutable_unaccent(%(value)s)), '[^[:alnum:]]+')
         WITH ORDINALITY AS t(w, n)
    WHERE w <> ''
),
candidates AS (
    SELECT w, n,
        CASE WHEN length(w) >= %(min_len)s
                  AND NOT EXISTS (SELECT 1 FROM product_search_word e WHERE e.word LIKE w || '%%')
        THEN ARRAY(
            SELECT s.word FROM product_search_word s
            WHERE s.word %% w AND similarity(s.word, w) >= %(min_similarity)s
            ORDER BY similarity(s.word, w) DESC, s.word
            LIMIT %(max_corrections)s
        ) ELSE ARRAY[]::text[] END AS corrections
    FROM words
)
SELECT
    w,
    numnode(plainto_tsquery('french', w)) = 0
        OR numnode(plainto_tsquery('dutch', w)) = 0
        OR numnode(plainto_tsquery('english', w)) = 0 AS is_stop,
    (
        SELECT string_agg(
            '(' || (
                to_tsquery('simple', quote_literal(term) || CASE WHEN k = 1 THEN ':*' ELSE '' END)
                || plainto_tsquery('french', term)
                || plainto_tsquery('dutch', term)
                || plainto_tsquery('english', term)
            )::text || ')',
            ' | ' ORDER BY k
        )
        FROM unnest(ARRAY[w] || corrections) WITH ORDINALITY AS u(term, k)
    ) AS tsq,
    (
        SELECT string_agg(quote_literal(lexeme) || CASE WHEN prefix THEN ':*' ELSE '' END, ' | ' ORDER BY lexeme)
        FROM (
            SELECT l.lexeme, bool_or(l.prefix) AS prefix
            FROM unnest(ARRAY[w] || corrections) WITH ORDINALITY AS u(term, k)
            CROSS JOIN LATERAL (
                SELECT unnest(tsvector_to_array(to_tsvector(cfg, term))) AS lexeme,
                       cfg = 'simple'::regconfig AND k = 1 AS prefix
                FROM unnest(ARRAY['simple', 'french', 'dutch', 'english']::regconfig[]) AS cfg
            ) l
            GROUP BY l.lexeme
        ) merged
    ) AS rank_tsq
FROM candidates
ORDER BY n
"""


class SearchQueryText(NamedTuple):
    """tsquery texts of one search: ``match`` for the index, ``rank`` (same terms) for ts_rank,
    ``exact`` (the words as typed, whole) for a bonus: "velo" ranks "vélo" above "velours"."""

    match: str
    rank: str
    exact: str


def build_search_query(value: str) -> SearchQueryText | None:
    """The tsquery texts for ``value``, or None when nothing in it can be searched."""
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
        rows: Sequence[tuple[str, bool, str, str | None]] = cursor.fetchall()
    # One-letter words and stop words ("de", "het", "the") only narrow a query when alone.
    meaningful = [row for row in rows if len(row[0]) > 1 and not row[1]]
    kept = meaningful or [row for row in rows if len(row[0]) > 1] or list(rows)
    if not kept:
        return None
    return SearchQueryText(
        match=" & ".join(f"({tsq})" for _word, _is_stop, tsq, _rank_tsq in kept),
        rank=" & ".join(f"({rank_tsq or tsq})" for _word, _is_stop, tsq, rank_tsq in kept),
        # Words are split on non-alphanumerics, so they need no quoting beyond the quotes.
        exact=" | ".join(f"'{word}'" for word, _is_stop, _tsq, _rank_tsq in kept),
    )


class _IdInArray(Func):
    """``id = ANY(array)``: one parameter, however many ids, which the planner counts exactly."""

    output_field = BooleanField()

    def __init__(self, expression, ids: list[int]):
        super().__init__(expression)
        self.ids = ids

    def as_sql(self, compiler, connection, **extra_context):
        lhs, params = compiler.compile(self.source_expressions[0])
        return f"{lhs} = ANY(%s)", [*params, self.ids]


def matching_product_ids(query_text: str) -> list[int]:
    """Ids of every product whose vector matches, straight from the GIN index."""
    with transaction.atomic(), connection.cursor() as cursor:
        # Prefix terms (velo:*) make the planner overestimate matches and pick a sequential scan
        # that unpacks every vector; the GIN index is the right path at any match count.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            f"SELECT id FROM {Product._meta.db_table} WHERE search_vector @@ %s::tsquery", [query_text]
        )
        return [row[0] for row in cursor.fetchall()]


def search_products(queryset: QuerySet[Product], value: str) -> QuerySet[Product]:
    """Products of ``queryset`` matching ``value``, annotated with ``search_rank`` (higher is better).

    A blank value returns the queryset unchanged with ``search_rank`` 0.

    The matches are looked up first, on their own: joined with the caller's filters (channel
    listings...), PostgreSQL misjudges how many rows those keep and walks the whole channel
    instead of the search index. Given the exact id list, it starts from the matches.
    """
    zero = Value(0.0, output_field=FloatField())
    if not value or not value.strip():
        return queryset.annotate(search_rank=zero)
    query_text = build_search_query(value)
    ids = matching_product_ids(query_text.match) if query_text else []
    if not ids:
        return queryset.none().annotate(search_rank=zero)
    # Ranked on the small vector (see RANK_VECTOR_SQL): the terms as matched, plus whole words as
    # typed. A product not reindexed since it was added ranks 0 rather than NULL, which would
    # sort first in a descending order.
    rank = _ts_rank(query_text.rank) + _ts_rank(query_text.exact)
    return queryset.filter(_IdInArray(F("pk"), ids)).annotate(search_rank=Coalesce(rank, zero))


def _ts_rank(tsquery_text: str) -> Func:
    query = Cast(Value(tsquery_text), output_field=SearchQueryField())
    return Func(F("search_rank_vector"), query, function="ts_rank", output_field=FloatField())
