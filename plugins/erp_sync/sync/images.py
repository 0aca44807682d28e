"""Item photos from the ERP: bytes as sent or downloaded once, stored under their SHA-256.

A photo is stored once whatever the number of items or runs that send it (its file name is its
hash), and an item's link remembers ``[sha256, media id, url]`` per photo so an unchanged photo
is neither downloaded again nor given a second ProductMedia.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Sequence

import requests
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from saleor_ext.core import sql
from saleor_ext.core.bulk import allocate_ids, copy_insert
from saleor_ext.product.models import ProductMedia

from ..connectors.base import ErpImage, ErpItem
from ..models import ItemLink
from .context import Context, Issue

MAX_IMAGE_BYTES = 15 * 1024 * 1024
_SAVING = threading.Lock()
SIGNATURES = ((b"\xff\xd8\xff", "jpg"), (b"\x89PNG", "png"), (b"GIF8", "gif"), (b"RIFF", "webp"))


def extension(data: bytes) -> str | None:
    for signature, ext in SIGNATURES:
        if data.startswith(signature):
            return ext
    return None


def stored_path(data: bytes, digest: str | None = None, stored: set[str] | None = None) -> str:
    """Save the bytes once under their hash; the storage path. ``stored``: paths this run has
    already saved or seen, so a photo shared by thousands of items costs one file check."""
    digest = digest or hashlib.sha256(data).hexdigest()
    path = f"products/erp/{digest[:2]}/{digest}.{extension(data) or 'jpg'}"
    if stored is not None and path in stored:
        return path
    with _SAVING:  # two writers of one run may meet the same new photo
        if not default_storage.exists(path):
            default_storage.save(path, ContentFile(data))
    if stored is not None:
        stored.add(path)
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
                 *, links: dict[str, ItemLink] | None = None) -> dict[str, list]:
    """Bring each product's photos to the item's (entries: item, product id, its link's
    ``image_hashes``). New media rows go in by COPY with ids reserved beforehand, so the links'
    new ``image_hashes`` are known at once: returned per item ref whose photos changed, and
    written to the links given in ``links`` (one statement); new items' links, not inserted yet,
    take them from the answer."""
    session = requests.Session()
    new_media: list[dict] = []
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
            media = {"product_id": product_id, "image": stored_path(data, sha, ctx.stored_images),
                     "alt": item.name[:250], "sort_order": position}
            new_media.append(media)
            kept.append([sha, media, url])
        wanted_shas = {w[0] for w in wanted}
        delete_ids += [media_id for sha, (media_id, _url) in old_by_sha.items() if sha not in wanted_shas]
        hashes[item.ref] = kept
    if delete_ids:
        ProductMedia.objects.filter(pk__in=delete_ids).delete()
    for media, pk in zip(new_media, allocate_ids(ProductMedia, len(new_media)), strict=True):
        media["id"] = pk
    copy_insert(ProductMedia, new_media)
    for kept in hashes.values():
        for entry in kept:
            if isinstance(entry[1], dict):
                entry[1] = entry[1]["id"]
    if links is not None and hashes:
        sql.fetch(
            f"UPDATE {sql.table(ItemLink)} l SET image_hashes = d.hashes::jsonb"
            " FROM unnest(%s::int[], %s::text[]) d(id, hashes) WHERE l.id = d.id RETURNING 1",
            [[links[ref].pk for ref in hashes], [json.dumps(value) for value in hashes.values()]],
        )
        for ref, value in hashes.items():
            links[ref].image_hashes = value
    return hashes
