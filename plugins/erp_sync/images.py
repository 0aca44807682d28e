"""Item photos from the ERP: bytes as sent or downloaded once, stored under their SHA-256.

A photo is stored once whatever the number of items or runs that send it (its file name is its
hash), and an item's link remembers ``[sha256, media id, url]`` per photo so an unchanged photo
is neither downloaded again nor given a second ProductMedia.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

import requests
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from saleor_ext.product.models import ProductMedia

from .connectors.base import ErpImage, ErpItem
from .models import ItemLink

if TYPE_CHECKING:
    from .sync import Context, Issue

MAX_IMAGE_BYTES = 15 * 1024 * 1024
SIGNATURES = ((b"\xff\xd8\xff", "jpg"), (b"\x89PNG", "png"), (b"GIF8", "gif"), (b"RIFF", "webp"))


def extension(data: bytes) -> str | None:
    for signature, ext in SIGNATURES:
        if data.startswith(signature):
            return ext
    return None


def stored_path(data: bytes) -> str:
    """Save the bytes once under their hash; the storage path."""
    digest = hashlib.sha256(data).hexdigest()
    path = f"products/erp/{digest[:2]}/{digest}.{extension(data) or 'jpg'}"
    if not default_storage.exists(path):
        default_storage.save(path, ContentFile(data))
    return path


def _download(session: requests.Session, url: str) -> bytes:
    response = session.get(url, timeout=settings.ERP_IMAGE_TIMEOUT)
    response.raise_for_status()
    data = response.content
    if len(data) > MAX_IMAGE_BYTES:
        raise ValueError("larger than 15 MB")
    return data


def _fetch(session: requests.Session, image: ErpImage, known: dict[str, str]) -> tuple[str, bytes | None]:
    """(sha256, bytes or None when already stored)."""
    if image.data:
        return hashlib.sha256(image.data).hexdigest(), image.data
    if image.url in known:
        return known[image.url], None
    data = _download(session, image.url)
    return hashlib.sha256(data).hexdigest(), data


def apply_images(ctx: Context, entries: Sequence[tuple[ErpItem, int, list]], issues: list[Issue],
                 *, links: dict[str, ItemLink] | None = None) -> int:
    """Bring each product's photos to the item's (entries: item, product id, its link's
    ``image_hashes``); returns the number of photos added."""
    from .sync import Issue

    session = requests.Session()
    new_media: list[tuple[str, ProductMedia]] = []
    delete_ids: list[int] = []
    hashes: dict[str, list] = {}
    for item, product_id, old in entries:
        old_by_sha = {sha: (media_id, url) for sha, media_id, url in old}
        known = {url: sha for sha, _media, url in old if url}
        wanted: list[tuple[str, bytes | None, str]] = []
        for image in item.images:
            try:
                sha, data = _fetch(session, image, known)
            except (requests.RequestException, ValueError) as exc:
                issues.append(Issue(f"Photo {image.url or '(data)'} could not be read: {exc}", item_ref=item.ref,
                                    rejected=False))
                continue
            if data is not None and extension(data) is None:
                issues.append(Issue(f"Photo {image.url or '(data)'} is not a JPEG, PNG, GIF or WebP image.",
                                    item_ref=item.ref, rejected=False))
                continue
            if sha not in {w[0] for w in wanted}:
                wanted.append((sha, data, image.url))
        if [w[0] for w in wanted] == [sha for sha, _m, _u in old]:
            continue
        kept = []
        for position, (sha, data, url) in enumerate(wanted):
            if sha in old_by_sha:
                kept.append([sha, old_by_sha[sha][0], url])
                continue
            if data is None:  # known URL whose media was removed meanwhile: fetch again
                data = _download(session, url)
            media = ProductMedia(product_id=product_id, image=stored_path(data), alt=item.name[:250],
                                 sort_order=position)
            new_media.append((item.ref, media))
            kept.append([sha, None, url])
        wanted_shas = {w[0] for w in wanted}
        delete_ids += [media_id for sha, (media_id, _url) in old_by_sha.items() if sha not in wanted_shas]
        hashes[item.ref] = kept
    if delete_ids:
        ProductMedia.objects.filter(pk__in=delete_ids).delete()
    if new_media:
        ProductMedia.objects.bulk_create([media for _ref, media in new_media])
        created = iter(new_media)
        for ref in hashes:
            for entry in hashes[ref]:
                if entry[1] is None:
                    entry[1] = next(created)[1].pk
    if hashes:
        if links is None:
            links = {link.erp_ref: link for link in
                     ItemLink.objects.filter(connection=ctx.connection, erp_ref__in=list(hashes))}
        for ref, value in hashes.items():
            links[ref].image_hashes = value
        ItemLink.objects.bulk_update([links[ref] for ref in hashes], ["image_hashes"])
    return len(new_media)
