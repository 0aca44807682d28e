from __future__ import annotations

import graphene
from graphql import GraphQLError

from saleor_ext.channel.models import Channel as ChannelModel

from ..core.ids import from_global_id_or_error
from ..core.permissions import get_user, require_staff
from .types import Channel


class ChannelQueries(graphene.ObjectType):
    channel = graphene.Field(Channel, id=graphene.ID(), slug=graphene.String())
    channels = graphene.List(graphene.NonNull(Channel))

    @staticmethod
    def resolve_channel(_root, info, id=None, slug=None):
        if bool(id) == bool(slug):
            raise GraphQLError("Provide exactly one of `id` or `slug`.")
        lookup = {"pk": from_global_id_or_error(id, "Channel")} if id else {"slug": slug}
        channel = ChannelModel.objects.filter(**lookup).first()
        # Inactive channels are hidden from the public, as in Saleor.
        if channel and not channel.is_active and not (get_user(info) and get_user(info).is_staff):
            return None
        return channel

    @staticmethod
    def resolve_channels(_root, info):
        require_staff(info)
        return list(ChannelModel.objects.all())
