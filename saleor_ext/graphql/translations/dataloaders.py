"""Translation rows by (object id, language code), one query per model per request level."""

from __future__ import annotations

from django.db import models

from saleor_ext.attribute.models import AttributeTranslation, AttributeValueTranslation
from saleor_ext.product.models import (
    CategoryTranslation,
    CollectionTranslation,
    ProductTranslation,
    ProductVariantTranslation,
)

from ..core.context import BaseLoader
from ..core.enums import enum_value


def language_candidates(code) -> list[str]:
    """Rows are stored as ``FR``, ``NL``, ``EN``: ``FR_BE`` falls back to ``FR``."""
    code = str(enum_value(code)).upper()
    base = code.split("_")[0]
    return [code, base] if base != code else [code]


class TranslationLoader(BaseLoader):
    model: type[models.Model]
    fk: str

    def batch_load(self, keys):
        ids = {object_id for object_id, _ in keys}
        keys = [(object_id, str(enum_value(code))) for object_id, code in keys]
        codes = {candidate for _, code in keys for candidate in language_candidates(code)}
        rows = self.model.objects.filter(**{f"{self.fk}__in": ids, "language_code__in": codes})
        by_key: dict[tuple[int, str], models.Model] = {}
        for row in rows:
            by_key[(getattr(row, self.fk), row.language_code.upper())] = row
        result = []
        for object_id, code in keys:
            found = None
            for candidate in language_candidates(code):
                found = by_key.get((object_id, candidate))
                if found is not None:
                    break
            result.append(found)
        return result


def _loader(name: str, model: type[models.Model], fk: str) -> type[TranslationLoader]:
    return type(name, (TranslationLoader,), {"model": model, "fk": fk})


ProductTranslationLoader = _loader("ProductTranslationLoader", ProductTranslation, "product_id")
ProductVariantTranslationLoader = _loader(
    "ProductVariantTranslationLoader", ProductVariantTranslation, "product_variant_id"
)
CategoryTranslationLoader = _loader("CategoryTranslationLoader", CategoryTranslation, "category_id")
CollectionTranslationLoader = _loader("CollectionTranslationLoader", CollectionTranslation, "collection_id")
AttributeTranslationLoader = _loader("AttributeTranslationLoader", AttributeTranslation, "attribute_id")
AttributeValueTranslationLoader = _loader(
    "AttributeValueTranslationLoader", AttributeValueTranslation, "attribute_value_id"
)
