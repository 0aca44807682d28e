from __future__ import annotations

import graphene

from ..core.permissions import get_user
from .mutations.authentication import CreateToken, DeactivateAllUserTokens, RefreshToken, VerifyToken
from .types import User


class AccountQueries(graphene.ObjectType):
    me = graphene.Field(User, description="The logged-in user; null for anonymous callers.")

    @staticmethod
    def resolve_me(_root, info):
        return get_user(info)


class AccountMutations(graphene.ObjectType):
    token_create = CreateToken.Field()
    token_refresh = RefreshToken.Field()
    token_verify = VerifyToken.Field()
    tokens_deactivate_all = DeactivateAllUserTokens.Field()
