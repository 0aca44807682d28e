"""GraphQL side of the grading plugin: ``ProductVariant.grade``, the grade filters, the GRADE sort
and the grade facet (marketplace additions), contributed through ``catalogue_extension``."""

from __future__ import annotations

import graphene
from django.db.models import Count, Exists, IntegerField, Min, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from saleor_ext.core import sql
from saleor_ext.graphql.core.context import BaseLoader, get_loader, request_language
from saleor_ext.graphql.core.dataloaders import rows_by_id
from saleor_ext.graphql.core.filters import StringFilterInput, string_condition
from saleor_ext.graphql.product.extensions import CatalogueExtension, SortSpec

from . import models
from .models import VariantGrade


class GradingScheme(graphene.ObjectType):
    code = graphene.String(required=True)
    name = graphene.String(required=True, description="In the request's language (Accept-Language).")

    @staticmethod
    def resolve_name(root, info):
        return getattr(root, f"name_{request_language(info)}", None) or root.name_en


class Grade(graphene.ObjectType):
    code = graphene.String(required=True)
    label = graphene.String(required=True, description="In the request's language (Accept-Language).")
    description = graphene.String()
    rank = graphene.Int(required=True, description="1 is the best condition.")
    schema_org_condition = graphene.String(required=True, description="schema.org OfferItemCondition name.")
    google_condition = graphene.String(required=True, description="Google Merchant `condition`.")
    scheme = graphene.Field(GradingScheme, required=True)

    @staticmethod
    def resolve_label(root, info):
        return root.label(request_language(info))

    @staticmethod
    def resolve_description(root, info):
        return getattr(root, f"description_{request_language(info)}", None) or root.description_en or None


class GradeByVariantLoader(BaseLoader):
    """Key variant id: its grade (with the scheme), or None when not graded."""

    def batch_load(self, keys):
        grade_ids = dict(
            sql.fetch(
                f"SELECT variant_id, grade_id FROM {sql.table(VariantGrade)} WHERE variant_id = ANY(%s)",
                [sql.id_array(keys)],
            )
        )
        grades = rows_by_id(models.Grade.objects.select_related("scheme"), grade_ids.values(), whole_table=True)
        return [grades.get(grade_ids.get(key)) for key in keys]


# -- what the plugin adds to the product API (see saleor_ext/graphql/product/extensions.py) ------

# Ungraded products sort after every grade.
WORST_GRADE_RANK = 32767


class GradeVariantFields:
    grade = graphene.Field(Grade, description="Condition grade (marketplace addition).")

    @staticmethod
    def resolve_grade(root, info):
        return get_loader(info, GradeByVariantLoader).load(root.node.pk)


class GradeFilterFields:
    grades = graphene.List(graphene.NonNull(graphene.String), description="Grade codes (marketplace addition).")


class GradeWhereFields:
    grade = graphene.Field(StringFilterInput, description="Grade codes (marketplace addition).")


class GradeFacet(graphene.ObjectType):
    code = graphene.String(required=True)
    label = graphene.String(required=True, description="In the request's language.")
    count = graphene.Int(required=True)


class GradeFacetFields:
    grades = graphene.List(graphene.NonNull(GradeFacet), required=True)

    @staticmethod
    def resolve_grades(root, info):
        """Products per grade among the filtered ones (root: the connection's facet source)."""
        language = request_language(info)
        label = f"grade__label_{language}" if language in ("fr", "nl", "en") else "grade__label_en"
        rows = (
            VariantGrade.objects.filter(variant__product_id__in=root.product_ids())
            .values("grade__code")
            .annotate(count=Count("variant__product_id", distinct=True), label=Min(label), rank=Min("grade__rank"))
            .order_by("rank", "grade__code")
        )
        return [GradeFacet(code=row["grade__code"], label=row["label"], count=row["count"]) for row in rows]


def _graded(condition: Q) -> Q:
    return Q(Exists(VariantGrade.objects.filter(condition, variant__product_id=OuterRef("pk"))))


def _filter(value: dict) -> Q:
    return _graded(Q(grade__code__in=list(value["grades"]))) if value.get("grades") else Q()


def _where(value: dict) -> Q:
    return _graded(string_condition("grade__code", value["grade"])) if value.get("grade") else Q()


def _sort_by_best_grade(queryset: QuerySet) -> tuple[QuerySet, list[str]]:
    best = (
        VariantGrade.objects.filter(variant__product_id=OuterRef("pk"))
        .values("variant__product_id")
        .annotate(best=Min("grade__rank"))
        .values("best")
    )
    best_rank = Coalesce(Subquery(best, output_field=IntegerField()), Value(WORST_GRADE_RANK))
    return queryset.annotate(sort_grade=best_rank), ["sort_grade"]


def _prime_grades(info, variant_ids: list[int], fields: set[str]) -> None:
    if "grade" in fields:
        get_loader(info, GradeByVariantLoader).prime(variant_ids)


catalogue_extension = CatalogueExtension(
    variant_fields=(GradeVariantFields,),
    filter_fields=(GradeFilterFields,),
    where_fields=(GradeWhereFields,),
    facet_fields=(GradeFacetFields,),
    filter=_filter,
    where=_where,
    sorts={
        "GRADE": SortSpec(
            "By the best grade among the product's variants (marketplace addition).", _sort_by_best_grade
        )
    },
    prime_variants=_prime_grades,
)
