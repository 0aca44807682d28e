"""The GraphQL schema: one Queries/Mutations class per domain, combined here."""

from __future__ import annotations

import graphene

from .account.schema import AccountMutations, AccountQueries
from .attribute.schema import AttributeQueries
from .attribute.types import ASSIGNED_ATTRIBUTE_TYPES
from .channel.schema import ChannelQueries
from .checkout.schema import CheckoutMutations, CheckoutQueries
from .core import scalars
from .meta.mutations import MetaMutations
from .order.schema import OrderMutations, OrderQueries
from .payment.mutations import PaymentMutations
from .product.schema import ProductQueries
from .shop.schema import ShopQueries
from .vendor.schema import VendorQueries


class Query(
    AccountQueries,
    ChannelQueries,
    ShopQueries,
    ProductQueries,
    AttributeQueries,
    VendorQueries,
    CheckoutQueries,
    OrderQueries,
    graphene.ObjectType,
):
    pass


class Mutation(
    AccountMutations, CheckoutMutations, PaymentMutations, OrderMutations, MetaMutations, graphene.ObjectType
):
    pass


# Every custom scalar name of Saleor's schema exists here, even when no field uses it yet:
# storefront code generators read the live schema and stop on unknown scalar names.
schema = graphene.Schema(
    query=Query,
    mutation=Mutation,
    types=[
        *(getattr(scalars, name) for name in scalars.__all__),
        # Implementations of the AssignedAttribute interface are reached only through it.
        *ASSIGNED_ATTRIBUTE_TYPES,
    ],
)
