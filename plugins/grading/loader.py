"""Loads grading schemes from their declarative form (storefront_config/grading.yaml)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F

from saleor_ext.product.models import Category

from .models import Grade, GradingScheme

LANGUAGES = ("FR", "NL", "EN")
# Ranks are shifted out of the way before reloading so that reordering grades never collides
# with the (scheme, rank) unique constraint midway.
RANK_SHIFT = 1000


class GradingConfigError(ValueError):
    pass


def _checklist(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    checklist = []
    for item in items:
        entry = {"code": item["code"], "type": item.get("type", "boolean")}
        for lang in LANGUAGES:
            entry[f"label_{lang.lower()}"] = item[lang]
        for key in ("unit", "choices"):
            if key in item:
                entry[key] = item[key]
        checklist.append(entry)
    return checklist


def _grade_fields(grade: dict[str, Any], rank: int) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "rank": rank,
        "schema_org_condition": grade["schema_org"],
        "google_condition": grade["google"],
        "ebay_condition_id": grade.get("ebay"),
    }
    for lang in LANGUAGES:
        label, description = grade[lang]
        fields[f"label_{lang.lower()}"] = label
        fields[f"description_{lang.lower()}"] = description
    return fields


@transaction.atomic
def load_grading_schemes(config: dict[str, Any]) -> list[GradingScheme]:
    """Create or update every scheme, its grades (rank = position) and its root categories."""
    schemes = []
    for data in config.get("schemes", []):
        scheme, _ = GradingScheme.objects.update_or_create(
            code=data["code"],
            defaults={
                "name_fr": data["name"]["FR"],
                "name_nl": data["name"]["NL"],
                "name_en": data["name"]["EN"],
                "checklist": _checklist(data.get("checklist", [])),
            },
        )
        categories = list(Category.objects.filter(slug__in=data.get("categories", [])))
        missing = set(data.get("categories", [])) - {c.slug for c in categories}
        if missing:
            raise GradingConfigError(f"scheme {scheme.code}: unknown categories {sorted(missing)}")
        scheme.categories.set(categories)

        grades = data.get("grades", [])
        current = {g.code: g for g in scheme.grades.all()}
        wanted = [(g["code"], _grade_fields(g, rank)) for rank, g in enumerate(grades, start=1)]
        needs_reorder = any(
            code in current and current[code].rank != fields["rank"] for code, fields in wanted
        )
        if needs_reorder:
            scheme.grades.update(rank=F("rank") + RANK_SHIFT)
            current = {g.code: g for g in scheme.grades.all()}
        for code, fields in wanted:
            grade = current.get(code)
            if grade is None:
                Grade.objects.create(scheme=scheme, code=code, **fields)
            elif any(getattr(grade, key) != value for key, value in fields.items()):
                for key, value in fields.items():
                    setattr(grade, key, value)
                grade.save()
        # Grades dropped from the file go away unless items still carry them.
        stale = scheme.grades.exclude(code__in=[code for code, _ in wanted]).filter(variant_grades__isnull=True)
        stale.delete()
        schemes.append(scheme)
    return schemes


def scheme_for_category(category: Category) -> GradingScheme | None:
    """The scheme that covers ``category``: the one mapped to its root."""
    root = category.get_root() if category.parent_id else category
    return GradingScheme.objects.filter(categories=root).first()
