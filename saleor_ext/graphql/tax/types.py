"""Saleor's ``TaxClass``: the VAT class of a product type (root: a ``saleor_ext.tax.models.TaxClass``)."""

from __future__ import annotations

import graphene

from ..core.types import GlobalId, MetadataFields


class TaxClass(GlobalId, MetadataFields):
    name = graphene.String(required=True)

