"""Saleor's ``TaxClass``: the VAT class of a product type (root: a ``saleor_ext.tax.models.TaxClass``)."""

from __future__ import annotations

import graphene

from ..core.ids import to_global_id
from ..core.types import MetadataFields


class TaxClass(MetadataFields, graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)

    @staticmethod
    def resolve_id(root, _info):
        return to_global_id("TaxClass", root.pk)
