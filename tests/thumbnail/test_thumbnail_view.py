"""Thumbnails are made on first request, fit the requested box, and are served from storage."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from PIL import Image

from saleor_ext.product.models import Category, Collection, Product, ProductMedia, ProductType
from saleor_ext.thumbnail.models import Thumbnail
from saleor_ext.thumbnail.utils import thumbnail_path
from saleor_ext.vendor.models import Vendor


def picture(width: int, height: int, fmt: str = "JPEG", mode: str = "RGB") -> ContentFile:
    image = Image.new(mode, (width, height), (40, 120, 80) if mode == "RGB" else (40, 120, 80, 128))
    for x in range(0, width, 50):  # some detail, so encoders have work to do
        for y in range(height):
            image.putpixel((x, y), (250, 250, 250) if mode == "RGB" else (250, 250, 250, 255))
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return ContentFile(buffer.getvalue())


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def media(db) -> ProductMedia:
    vendor = Vendor.objects.create(name="Les Petits Riens", slug="petits-riens")
    product_type = ProductType.objects.create(name="Meuble", slug="meuble")
    product = Product.objects.create(
        name="Buffet en chêne", slug="buffet-chene", vendor=vendor, product_type=product_type
    )
    item = ProductMedia(product=product, alt="Buffet")
    item.image.save("buffet.jpg", picture(1600, 1200), save=True)
    return item


def stored_image(response) -> Image.Image:
    assert response.status_code == 302
    url = response["Location"]
    assert url.startswith("/media/thumbnails/")
    with default_storage.open(url.removeprefix("/media/")) as handle:
        image = Image.open(handle)
        image.load()
    return image


def test_webp_thumbnail_fits_the_box_and_keeps_the_aspect_ratio(media):
    response = Client().get(f"/thumbnail/media/{media.pk}/256/webp/")

    image = stored_image(response)
    assert image.format == "WEBP"
    assert image.size == (256, 192)


def test_requested_size_snaps_to_an_allowed_size(media):
    path = thumbnail_path("media", media.pk, 100, "WEBP")
    assert path == f"/thumbnail/media/{media.pk}/128/webp/"

    image = stored_image(Client().get(path))
    assert image.size == (128, 96)


def test_large_sizes_never_upscale(media):
    path = thumbnail_path("media", media.pk, 5000, "WEBP")
    assert path == f"/thumbnail/media/{media.pk}/4096/webp/"

    image = stored_image(Client().get(path))
    assert image.size == (1600, 1200)


def test_original_format_keeps_the_source_format(media):
    image = stored_image(Client().get(f"/thumbnail/media/{media.pk}/512/original/"))
    assert image.format == "JPEG"
    assert image.size == (512, 384)


def test_avif_is_served_as_avif_or_webp(media):
    image = stored_image(Client().get(f"/thumbnail/media/{media.pk}/64/avif/"))
    assert image.format in {"AVIF", "WEBP"}
    assert image.size == (64, 48)


def test_transparent_png_stays_transparent_in_webp(db):
    category = Category.objects.create(name="Luminaires", slug="luminaires")
    category.background_image.save("lampes.png", picture(400, 800, fmt="PNG", mode="RGBA"), save=True)

    image = stored_image(Client().get(f"/thumbnail/category/{category.pk}/128/webp/"))

    assert image.size == (64, 128)
    assert image.mode == "RGBA"


def test_collection_background(db):
    collection = Collection.objects.create(name="Sélection", slug="select")
    collection.background_image.save("select.jpg", picture(300, 300), save=True)

    image = stored_image(Client().get(f"/thumbnail/collection/{collection.pk}/32/original/"))

    assert image.size == (32, 32)
    assert Thumbnail.objects.get().collection == collection


def test_second_request_reuses_the_stored_thumbnail(media):
    first = Client().get(f"/thumbnail/media/{media.pk}/256/webp/")
    second = Client().get(f"/thumbnail/media/{media.pk}/256/webp/")

    assert first["Location"] == second["Location"]
    assert Thumbnail.objects.filter(product_media=media).count() == 1
    thumbnail = Thumbnail.objects.get()
    assert (thumbnail.size, thumbnail.format) == (256, "webp")


def test_each_size_and_format_is_its_own_thumbnail(media):
    Client().get(f"/thumbnail/media/{media.pk}/256/webp/")
    Client().get(f"/thumbnail/media/{media.pk}/256/original/")
    Client().get(f"/thumbnail/media/{media.pk}/128/webp/")
    assert Thumbnail.objects.filter(product_media=media).count() == 3


def test_size_outside_the_allowed_list_is_not_found(media):
    response = Client().get(f"/thumbnail/media/{media.pk}/300/webp/")
    assert response.status_code == 404
    assert not Thumbnail.objects.exists()


def test_unknown_object_is_not_found(db):
    assert Client().get("/thumbnail/media/999999/256/webp/").status_code == 404


def test_object_without_image_is_not_found(db):
    category = Category.objects.create(name="Sans image", slug="sans-image")
    assert Client().get(f"/thumbnail/category/{category.pk}/256/webp/").status_code == 404


def test_unreadable_source_is_not_found(media):
    with default_storage.open(media.image.name, "wb") as handle:
        handle.write(b"this is not an image")
    assert Client().get(f"/thumbnail/media/{media.pk}/256/webp/").status_code == 404


@pytest.mark.parametrize("path", ["/thumbnail/avatar/1/256/webp/", "/thumbnail/media/1/256/gif/"])
def test_unknown_kind_or_format_is_not_found(db, path):
    assert Client().get(path).status_code == 404



def test_phone_photo_is_turned_upright(db):
    # Phones store portrait photos as landscape pixels plus an EXIF orientation tag (6 = turn 90°).
    image = Image.new("RGB", (800, 600), (200, 30, 30))
    exif = Image.Exif()
    exif[0x0112] = 6
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    category = Category.objects.create(name="Vélos", slug="velos")
    category.background_image.save("velo.jpg", ContentFile(buffer.getvalue()), save=True)

    thumbnail = stored_image(Client().get(f"/thumbnail/category/{category.pk}/256/original/"))

    assert thumbnail.size == (192, 256)
