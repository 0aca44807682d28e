"""The order mutations' error type."""

from __future__ import annotations

import graphene

from ...account.enums import AddressTypeEnum
from ..enums import OrderErrorCode


class OrderError(graphene.ObjectType):
    field = graphene.String()
    message = graphene.String()
    code = graphene.Field(OrderErrorCode, required=True)
    warehouse = graphene.ID()
    order_lines = graphene.List(graphene.NonNull(graphene.ID))
    variants = graphene.List(graphene.NonNull(graphene.ID))
    address_type = graphene.Field(AddressTypeEnum)
