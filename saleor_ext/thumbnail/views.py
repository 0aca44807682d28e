"""``/thumbnail/<kind>/<id>/<size>/<format>/``: redirect to the stored thumbnail, made on first request."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.views.decorators.http import require_GET

from .services import get_or_create_thumbnail


@require_GET
def thumbnail_view(request: HttpRequest, kind: str, instance_id: str, size: str, image_format: str):
    thumbnail = get_or_create_thumbnail(
        kind=kind, instance_id=int(instance_id), size=int(size), image_format=image_format
    )
    if thumbnail is None:
        raise Http404("No such image or size.")
    return HttpResponseRedirect(thumbnail.image.url)
