"""The GraphQL schema: one Queries/Mutations class per domain, combined here."""

from __future__ import annotations

import graphene

from .account.schema import AccountMutations, AccountQueries
from .channel.schema import ChannelQueries
from .core import scalars
from .shop.schema import ShopQueries


class Query(AccountQueries, ChannelQueries, ShopQueries, graphene.ObjectType):
    pass


class Mutation(AccountMutations, graphene.ObjectType):
    pass


# Every custom scalar name of Saleor's schema exists here, even when no field uses it yet:
# storefront code generators read the live schema and stop on unknown scalar names.
schema = graphene.Schema(
    query=Query,
    mutation=Mutation,
    types=[
        getattr(scalars, name)
        for name in scalars.__all__
    ],
)
