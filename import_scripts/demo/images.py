"""A pool of stylised product photos drawn with Pillow, shared by many demo listings.

Drawing is deterministic (same files every run) and done once: existing files are kept.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

IMAGES_PER_ROOT = 10
SIZE = (800, 600)
UPLOAD_DIR = "products/demo"
BACKGROUNDS = ["#f4efe6", "#e8f1ec", "#eef0f6", "#f7ebe8", "#f2f2f2", "#fdf6dc", "#e9eef2", "#f1e9f4"]
INKS = ["#2f4858", "#33658a", "#86bbd8", "#f6ae2d", "#f26419", "#55a630", "#9c6644", "#6d597a", "#b56576"]

Drawer = Callable[[ImageDraw.ImageDraw, random.Random, str, str], None]


def _bike(d: ImageDraw.ImageDraw, rng: random.Random, ink: str, accent: str) -> None:
    r = rng.randint(90, 120)
    left, right, y = (230, 570, 380)
    for cx in (left, right):
        d.ellipse((cx - r, y - r, cx + r, y + r), outline=ink, width=12)
    crank, seat, head = (390, 380), (350, 220), (520, 220)
    for a, b in ((left, y), crank), (crank, seat), (seat, (left, y)), (seat, head), (head, crank), (head, (right, y)):
        d.line([a, b], fill=accent, width=14)
    d.line([(325, 205), (385, 205)], fill=ink, width=16)
    d.line([(505, 190), (560, 170)], fill=ink, width=12)


def _laptop(d: ImageDraw.ImageDraw, rng: random.Random, ink: str, accent: str) -> None:
    w = rng.randint(300, 380)
    d.rounded_rectangle((400 - w // 2, 150, 400 + w // 2, 380), radius=14, fill=ink)
    d.rectangle((400 - w // 2 + 18, 168, 400 + w // 2 - 18, 362), fill=accent)
    d.polygon([(400 - w // 2 - 40, 385), (400 + w // 2 + 40, 385), (400 + w // 2 + 70, 430),
               (400 - w // 2 - 70, 430)], fill=ink)


def _book(d: ImageDraw.ImageDraw, rng: random.Random, ink: str, accent: str) -> None:
    for i in range(rng.randint(3, 6)):
        x = 220 + i * 70
        h = rng.randint(220, 330)
        d.rectangle((x, 450 - h, x + 60, 450), fill=INKS[(i + len(ink)) % len(INKS)], outline=ink, width=4)
        d.line([(x + 8, 470 - h), (x + 52, 470 - h)], fill="#ffffff", width=5)
    d.line([(180, 452), (640, 452)], fill=ink, width=10)


def _vase(d: ImageDraw.ImageDraw, rng: random.Random, ink: str, accent: str) -> None:
    w = rng.randint(120, 200)
    d.ellipse((400 - w, 200, 400 + w, 460), fill=accent, outline=ink, width=8)
    d.rectangle((360, 130, 440, 230), fill=accent, outline=ink, width=8)
    for i in range(3):
        d.arc((400 - w + 20, 240 + i * 50, 400 + w - 20, 300 + i * 50), 200, 340, fill=ink, width=6)


def _bricks(d: ImageDraw.ImageDraw, rng: random.Random, ink: str, accent: str) -> None:
    for row in range(6):
        offset = 0 if row % 2 else 50
        for col in range(-1, 6):
            x, y = 150 + col * 100 + offset, 150 + row * 50
            if rng.random() < 0.92:
                d.rectangle((x, y, x + 94, y + 44), fill=accent if (row + col) % 3 else ink)


def _shirt(d: ImageDraw.ImageDraw, rng: random.Random, ink: str, accent: str) -> None:
    d.polygon([(300, 150), (360, 130), (440, 130), (500, 150), (600, 230), (550, 290), (500, 250), (500, 480),
               (300, 480), (300, 250), (250, 290), (200, 230)], fill=accent, outline=ink, width=6)
    d.arc((360, 100, 440, 170), 0, 180, fill=ink, width=6)


def _table(d: ImageDraw.ImageDraw, rng: random.Random, ink: str, accent: str) -> None:
    top = rng.randint(220, 280)
    d.rectangle((180, top, 620, top + 30), fill=accent, outline=ink, width=5)
    for x in (210, 570):
        d.polygon([(x, top + 30), (x + 22, top + 30), (x + 30 if x > 400 else x - 8, 470),
                   (x + 10 if x > 400 else x - 28, 470)], fill=ink)


def _appliance(d: ImageDraw.ImageDraw, rng: random.Random, ink: str, accent: str) -> None:
    d.rounded_rectangle((260, 110, 540, 490), radius=18, fill="#fafafa", outline=ink, width=8)
    d.line([(260, 170), (540, 170)], fill=ink, width=6)
    d.ellipse((310, 220, 490, 400), outline=ink, width=10)
    d.ellipse((345, 255, 455, 365), fill=accent)
    d.ellipse((470, 125, 500, 155), fill=accent)


def _toy(d: ImageDraw.ImageDraw, rng: random.Random, ink: str, accent: str) -> None:
    for i in range(rng.randint(4, 7)):
        x, y = 220 + (i % 4) * 95, 360 - (i // 4) * 95
        d.rectangle((x, y, x + 85, y + 85), fill=INKS[(i * 3 + len(accent)) % len(INKS)], outline=ink, width=4)
        d.ellipse((x + 20, y - 14, x + 40, y + 4), fill=INKS[(i * 3 + len(accent)) % len(INKS)])
        d.ellipse((x + 48, y - 14, x + 68, y + 4), fill=INKS[(i * 3 + len(accent)) % len(INKS)])


DRAWERS: dict[str, Drawer] = {
    "bikes": _bike, "it-phones": _laptop, "books": _book, "vintage": _vase, "building-materials": _bricks,
    "textile": _shirt, "furniture": _table, "appliances": _appliance, "toys": _toy,
}


def _font(size: int) -> ImageFont.ImageFont:
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow built without FreeType
        return ImageFont.load_default()


def draw_image(root: str, number: int, label: str) -> Image.Image:
    rng = random.Random(f"{root}-{number}")
    image = Image.new("RGB", SIZE, rng.choice(BACKGROUNDS))
    draw = ImageDraw.Draw(image)
    ink, accent = rng.sample(INKS, 2)
    DRAWERS.get(root, _toy)(draw, rng, ink, accent)
    draw.rectangle((0, 530, SIZE[0], SIZE[1]), fill=ink)
    draw.text((24, 548), label, fill="#ffffff", font=_font(30))
    return image


def ensure_image_pool(labels: dict[str, str]) -> dict[str, list[str]]:
    """Draw the missing pool images; return, per root category slug, the storage names to reference."""
    folder = Path(settings.MEDIA_ROOT) / UPLOAD_DIR
    folder.mkdir(parents=True, exist_ok=True)
    pool: dict[str, list[str]] = {}
    for root, label in labels.items():
        names = []
        for number in range(1, IMAGES_PER_ROOT + 1):
            name = f"{UPLOAD_DIR}/{root}-{number:02d}.jpg"
            path = Path(settings.MEDIA_ROOT) / name
            if not path.exists():
                draw_image(root, number, label).save(path, "JPEG", quality=80)
            names.append(name)
        pool[root] = names
    return pool
