"""GraphQL side of the grading plugin: ``ProductVariant.grade`` (a marketplace addition)."""

from __future__ import annotations

import graphene

from saleor_ext.core.reference_cache import reference_table
from saleor_ext.graphql.core.context import BaseLoader, request_language

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
        grade_ids = dict(VariantGrade.objects.filter(variant_id__in=set(keys)).values_list("variant_id", "grade_id"))
        grades = reference_table("grading.Grade", models.Grade.objects.select_related("scheme").in_bulk)
        missing = set(grade_ids.values()) - set(grades)
        if missing:
            grades = {**grades, **models.Grade.objects.select_related("scheme").in_bulk(missing)}
        return [grades.get(grade_ids.get(key)) for key in keys]
