"""Filter inputs shared by every domain's ``where`` (Saleor's operator inputs)."""

from __future__ import annotations

import graphene
from django.db.models import Q


class StringFilterInput(graphene.InputObjectType):
    eq = graphene.String()
    one_of = graphene.List(graphene.NonNull(graphene.String))


class GlobalIDFilterInput(graphene.InputObjectType):
    eq = graphene.ID()
    one_of = graphene.List(graphene.NonNull(graphene.ID))


def string_condition(field: str, value: dict) -> Q:
    """``StringFilterInput`` on a model field: ``eq`` or ``oneOf``."""
    if value.get("eq") is not None:
        return Q(**{field: value["eq"]})
    if value.get("one_of") is not None:
        return Q(**{f"{field}__in": list(value["one_of"])})
    return Q()
