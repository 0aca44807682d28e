"""Make a thumbnail on its first request, store it, and reuse it afterwards."""

from __future__ import annotations

import io
import logging
import posixpath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from PIL import Image, ImageOps, UnidentifiedImageError, features

from saleor_ext.product.models import Category, Collection, ProductMedia

from .models import Thumbnail
from .utils import FORMATS

logger = logging.getLogger(__name__)

# URL kind -> (Thumbnail foreign key, source model, image field on that model).
SOURCES = {
    "media": ("product_media", ProductMedia, "image"),
    "category": ("category", Category, "background_image"),
    "collection": ("collection", Collection, "background_image"),
}

EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "GIF": ".gif", "WEBP": ".webp", "AVIF": ".avif"}
SAVE_OPTIONS = {
    "JPEG": {"quality": 85, "optimize": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 80, "method": 4},
    "AVIF": {"quality": 60},
}
# Formats Pillow reads that are better written as a close cousin.
ORIGINAL_FALLBACKS = {"MPO": "JPEG"}


def output_format(requested: str, source_format: str | None) -> str:
    """Pillow format name to write for ``requested`` ("original", "webp" or "avif")."""
    if requested == "webp":
        return "WEBP"
    if requested == "avif":
        return "AVIF" if features.check("avif") else "WEBP"
    source_format = ORIGINAL_FALLBACKS.get(source_format or "", source_format)
    return source_format if source_format in EXTENSIONS else "PNG"


def _convert_for(image: Image.Image, fmt: str) -> Image.Image:
    has_alpha = "A" in image.mode or "transparency" in image.info
    if fmt == "JPEG" and image.mode not in ("RGB", "L", "CMYK"):
        return image.convert("RGB")
    if fmt in ("WEBP", "AVIF") and image.mode not in ("RGB", "RGBA"):
        return image.convert("RGBA" if has_alpha else "RGB")
    return image


def render_thumbnail(source, size: int, requested_format: str) -> tuple[bytes, str]:
    """Encode ``source`` (a field file) to fit in ``size``×``size``, never enlarged; returns bytes and extension."""
    source.open("rb")
    try:
        with Image.open(source) as image:
            fmt = output_format(requested_format, image.format)
            # thumbnail() keeps the aspect ratio, only shrinks, and lets JPEG decode at reduced scale.
            image.thumbnail((size, size), Image.Resampling.LANCZOS)
            image = ImageOps.exif_transpose(image)
            image = _convert_for(image, fmt)
            options = dict(SAVE_OPTIONS.get(fmt, {}))
            if image.info.get("icc_profile"):
                options["icc_profile"] = image.info["icc_profile"]
            buffer = io.BytesIO()
            image.save(buffer, format=fmt, **options)
    finally:
        source.close()
    return buffer.getvalue(), EXTENSIONS[fmt]


def get_or_create_thumbnail(*, kind: str, instance_id: int, size: int, image_format: str) -> Thumbnail | None:
    """The stored thumbnail, made now if needed; ``None`` when there is nothing to show."""
    if kind not in SOURCES or size not in settings.THUMBNAIL_SIZES or image_format not in FORMATS.values():
        return None
    fk_name, model, field_name = SOURCES[kind]
    lookup = {f"{fk_name}_id": instance_id, "size": size, "format": image_format}
    existing = Thumbnail.objects.filter(**lookup).first()
    if existing is not None:
        return existing
    instance = model.objects.filter(pk=instance_id).first()
    source = getattr(instance, field_name, None) if instance is not None else None
    if not source:
        return None
    try:
        content, extension = render_thumbnail(source, size, image_format)
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError, ValueError):
        logger.warning("Cannot make a thumbnail of %s %s (%s)", kind, instance_id, source.name, exc_info=True)
        return None
    stem = posixpath.splitext(posixpath.basename(source.name))[0]
    name = default_storage.save(
        f"thumbnails/{kind}/{instance_id}/{stem}_{size}_{image_format}{extension}", ContentFile(content)
    )
    try:
        with transaction.atomic():
            return Thumbnail.objects.create(image=name, size=size, format=image_format, **{fk_name: instance})
    except IntegrityError:
        # Another request made the same thumbnail meanwhile: keep theirs.
        default_storage.delete(name)
        return Thumbnail.objects.get(**lookup)
