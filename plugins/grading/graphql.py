"""GraphQL side of the grading plugin: ``ProductVariant.grade`` (a marketplace addition)."""

from __future__ import annotations

import graphene

from saleor_ext.graphql.core.context import BaseLoader, request_language

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
        grades = {
            row.variant_id: row.grade
            for row in VariantGrade.objects.filter(variant_id__in=set(keys)).select_related("grade__scheme")
        }
        return [grades.get(key) for key in keys]
