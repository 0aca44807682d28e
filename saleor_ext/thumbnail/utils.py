"""Thumbnail URLs: sizes snap to Saleor's list; the image is made on first request."""

from __future__ import annotations

from bisect import bisect_left

from django.conf import settings

FORMATS = {"ORIGINAL": "original", "WEBP": "webp", "AVIF": "avif"}


def snap_size(size: int | None) -> int:
    """The smallest allowed size that covers ``size`` (the largest when asked for more)."""
    sizes = settings.THUMBNAIL_SIZES
    if not size or size <= 0:
        return sizes[-1]
    index = bisect_left(sizes, size)
    return sizes[min(index, len(sizes) - 1)]


def thumbnail_path(kind: str, instance_id: int, size: int | None, image_format: str | None) -> str:
    """Path of ``/thumbnail/<kind>/<id>/<size>/<format>/``; ``kind`` is e.g. ``media`` or ``category``."""
    fmt = FORMATS.get((image_format or "ORIGINAL").upper(), "original")
    return f"/thumbnail/{kind}/{instance_id}/{snap_size(size)}/{fmt}/"


def absolute_url(request, path: str) -> str:
    if settings.PUBLIC_URL:
        return settings.PUBLIC_URL + path
    if request is None:
        return path
    return request.build_absolute_uri(path)
