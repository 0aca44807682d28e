"""Per-request catalogue context: who is asking, and which channel a query reads."""

from __future__ import annotations

from graphql import GraphQLError

from saleor_ext.channel.models import Channel
from saleor_ext.product.selectors import Viewer, default_channel, get_channel, viewer_for

from ..core.permissions import get_user


def _cache(info_or_context) -> dict:
    context = getattr(info_or_context, "context", info_or_context)
    return context.__dict__.setdefault("_catalogue_cache", {})


def get_viewer(info) -> Viewer:
    cache = _cache(info)
    if "viewer" not in cache:
        cache["viewer"] = viewer_for(get_user(info))
    return cache["viewer"]


def channel_by_slug(info_or_context, slug: str | None) -> Channel | None:
    """The channel named ``slug`` (one query per slug per request); ``None`` when unknown or no slug."""
    if not slug:
        return None
    channels = _cache(info_or_context).setdefault("channels", {})
    if slug not in channels:
        channels[slug] = get_channel(slug)
    return channels[slug]


def resolve_channel(info, slug: str | None) -> Channel | None:
    """The channel a query reads, by Saleor's rules.

    An unknown slug is an error. Without a slug, staff who see everything read across channels
    (``None``); everyone else gets the only active channel, or an error when that is ambiguous.
    """
    if slug:
        channel = channel_by_slug(info, slug)
        if channel is None:
            raise GraphQLError(f"Channel with '{slug}' slug does not exist.")
        return channel
    if get_viewer(info).sees_all:
        return None
    cache = _cache(info)
    if "default_channel" not in cache:
        cache["default_channel"] = default_channel()
    channel = cache["default_channel"]
    if channel is None:
        raise GraphQLError("A default channel does not exist. Provide the `channel` argument.")
    _cache(info).setdefault("channels", {})[channel.slug] = channel
    return channel
