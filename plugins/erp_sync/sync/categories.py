"""The ERP's categories: recorded for the vendor to map (with a suggested match), and the
marketplace category and grade each item is filed under."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.text import slugify

from saleor_ext.product.models import Category

from ..connectors.base import ErpCategory, ErpItem
from ..models import CategoryMapping, ErpConnection
from .context import Context, Issue


def _suggest_category(name: str, by_slug: dict[str, int], by_name: dict[str, int]) -> int | None:
    """The marketplace category an ERP category most likely is: its last path segment by slug or name."""
    leaf = name.split("/")[-1].strip()
    return by_slug.get(slugify(leaf)) or by_name.get(leaf.lower())


def record_new_categories(connection: ErpConnection, categories: dict[str, ErpCategory],
                          known: Iterable[str]) -> list[CategoryMapping]:
    """Mappings for the ERP categories (by ref) not among ``known``, each preset to the
    marketplace category its name suggests and marked as a suggestion; the rows recorded."""
    known = set(known)
    new = [ref for ref in categories if ref not in known]
    if not new:
        return []
    by_slug = dict(Category.objects.values_list("slug", "pk"))
    by_name = {name.lower(): pk for name, pk in Category.objects.values_list("name", "pk")}
    rows = []
    for ref in new:
        suggestion = _suggest_category(categories[ref].name, by_slug, by_name)
        rows.append(CategoryMapping(connection=connection, erp_ref=ref, erp_name=categories[ref].name[:500],
                                    category_id=suggestion, suggested=suggestion is not None))
    CategoryMapping.objects.bulk_create(rows, ignore_conflicts=True)
    return rows


def sync_categories(ctx: Context, categories: Iterable[ErpCategory]) -> int:
    """Record the ERP's categories for the vendor to map, suggesting a match for new ones."""
    rows = record_new_categories(ctx.connection, {c.ref: c for c in categories if c.ref}, ctx.categories)
    ctx.categories.update({row.erp_ref: row.category_id for row in rows})
    return len(rows)


def category_of(ctx: Context, item: ErpItem, issues: list[Issue]) -> int | None:
    if not item.category_ref:
        return ctx.default_category_id
    if item.category_ref not in ctx.categories:
        sync_categories(ctx, [ErpCategory(ref=item.category_ref, name=item.category_ref)])
    category_id = ctx.categories.get(item.category_ref)
    if category_id is None:
        if item.category_ref not in ctx.warned_categories:
            ctx.warned_categories.add(item.category_ref)
            issues.append(Issue(f"Category {item.category_ref!r} is not mapped: filed under the default category "
                                "until it is.", item_ref=item.ref, rejected=False))
        return ctx.default_category_id
    return category_id


def grade_of(ctx: Context, item: ErpItem, category_id: int | None, issues: list[Issue]) -> int | None:
    if not item.grade:
        return None
    grade_id = ctx.grades.get(ctx.category_tree.get(category_id, -1), {}).get(item.grade.strip().lower())
    if grade_id is None:
        issues.append(Issue(f"Grade {item.grade!r} is not a grade of this category: imported without a grade.",
                            item_ref=item.ref, rejected=False))
    return grade_id
