"""Generated second-hand catalogue for the Odoo simulator: categories, FR/NL item names, prices,
weights, barcodes and small product photos (drawn with Pillow, encoded once).

Everything is derived from a ``random.Random`` the caller seeds, so a seed gives the same shop.
"""

from __future__ import annotations

import base64
import hashlib
import io
import random
from dataclasses import dataclass

from PIL import Image, ImageDraw


@dataclass(frozen=True)
class Kind:
    """One shelf of a second-hand shop: its category names, price and weight ranges, item words."""

    fr: str
    nl: str
    price: tuple[float, float]
    weight: tuple[float, float]
    fr_items: tuple[str, ...]
    nl_items: tuple[str, ...]
    fr_details: tuple[str, ...]
    nl_details: tuple[str, ...]
    sizes: tuple[str, ...] = ()


KINDS: tuple[Kind, ...] = (
    Kind(
        "Vêtements", "Kleding", (2.0, 45.0), (0.15, 1.4),
        ("Veste en jean", "Pull en laine", "Robe d'été", "Manteau d'hiver", "Chemise à carreaux", "Jupe plissée",
         "Blouson en cuir", "Pantalon en velours", "Trench-coat", "Gilet tricoté"),
        ("Spijkerjasje", "Wollen trui", "Zomerjurk", "Winterjas", "Geruit hemd", "Plooirok", "Leren jack",
         "Ribfluwelen broek", "Regenjas", "Gebreid vest"),
        ("bleu", "noir", "beige", "vintage", "années 80", "comme neuf", "marque belge", "coton bio"),
        ("blauw", "zwart", "beige", "vintage", "jaren 80", "als nieuw", "Belgisch merk", "biokatoen"),
        ("XS", "S", "M", "L", "XL", "38", "40", "42"),
    ),
    Kind(
        "Meubles", "Meubelen", (15.0, 320.0), (3.0, 45.0),
        ("Chaise en chêne", "Table basse", "Commode", "Armoire", "Bibliothèque", "Fauteuil club", "Buffet",
         "Table de chevet", "Bureau d'écolier", "Tabouret de bar"),
        ("Eiken stoel", "Salontafel", "Ladekast", "Kleerkast", "Boekenkast", "Clubzetel", "Dressoir",
         "Nachtkastje", "Schoolbank", "Barkruk"),
        ("en pin", "en teck", "style scandinave", "années 60", "à restaurer", "laqué blanc", "en rotin"),
        ("grenen", "teak", "Scandinavische stijl", "jaren 60", "op te knappen", "wit gelakt", "rotan"),
    ),
    Kind(
        "Livres", "Boeken", (0.5, 18.0), (0.1, 1.2),
        ("Roman policier", "Bande dessinée", "Livre de cuisine", "Atlas du monde", "Dictionnaire",
         "Recueil de poèmes", "Guide de voyage", "Livre pour enfants"),
        ("Detectiveroman", "Stripalbum", "Kookboek", "Wereldatlas", "Woordenboek", "Gedichtenbundel", "Reisgids",
         "Kinderboek"),
        ("édition de poche", "première édition", "relié", "illustré", "en néerlandais", "dédicacé"),
        ("pocketeditie", "eerste druk", "gebonden", "geïllustreerd", "in het Frans", "gesigneerd"),
    ),
    Kind(
        "Vaisselle", "Servies", (1.0, 60.0), (0.2, 6.0),
        ("Service à café", "Lot de verres", "Plat en faïence", "Théière", "Saladier en verre", "Assiettes creuses",
         "Carafe en cristal", "Moulin à café"),
        ("Koffieservies", "Set glazen", "Aardewerken schaal", "Theepot", "Glazen slakom", "Diepe borden",
         "Kristallen karaf", "Koffiemolen"),
        ("Boch", "Villeroy", "art déco", "à fleurs", "6 pièces", "12 pièces", "émaillé"),
        ("Boch", "Villeroy", "art deco", "met bloemen", "6 stuks", "12 stuks", "geëmailleerd"),
    ),
    Kind(
        "Électroménager", "Elektro", (8.0, 180.0), (1.0, 25.0),
        ("Machine à café", "Grille-pain", "Aspirateur", "Micro-ondes", "Mixeur", "Radio-réveil", "Fer à repasser",
         "Lampe de bureau"),
        ("Koffiezetapparaat", "Broodrooster", "Stofzuiger", "Microgolfoven", "Blender", "Wekkerradio",
         "Strijkijzer", "Bureaulamp"),
        ("testé", "révisé", "garantie 6 mois", "avec notice", "compact", "inox"),
        ("getest", "nagekeken", "6 maanden garantie", "met handleiding", "compact", "inox"),
    ),
    Kind(
        "Jouets", "Speelgoed", (1.0, 40.0), (0.1, 4.0),
        ("Puzzle 1000 pièces", "Jeu de société", "Poupée ancienne", "Voiture miniature", "Peluche", "Train en bois",
         "Boîte de Lego", "Cerf-volant"),
        ("Puzzel 1000 stukjes", "Gezelschapsspel", "Oude pop", "Miniatuurauto", "Knuffel", "Houten trein",
         "Doos Lego", "Vlieger"),
        ("complet", "boîte d'origine", "années 90", "comme neuf", "3 ans et plus"),
        ("volledig", "originele doos", "jaren 90", "als nieuw", "vanaf 3 jaar"),
    ),
    Kind(
        "Vélos", "Fietsen", (25.0, 400.0), (8.0, 22.0),
        ("Vélo de ville", "VTT", "Vélo enfant", "Vélo de course", "Vélo pliant", "Siège vélo enfant"),
        ("Stadsfiets", "Mountainbike", "Kinderfiets", "Koersfiets", "Plooifiets", "Kinderzitje"),
        ("3 vitesses", "7 vitesses", "révisé", "avec panier", "cadre aluminium", "24 pouces"),
        ("3 versnellingen", "7 versnellingen", "nagekeken", "met mand", "aluminium frame", "24 inch"),
    ),
    Kind(
        "Décoration", "Decoratie", (2.0, 90.0), (0.2, 8.0),
        ("Miroir doré", "Vase en céramique", "Cadre photo", "Lampe à poser", "Tapis berbère", "Horloge murale",
         "Bougeoir en laiton", "Affiche ancienne"),
        ("Vergulde spiegel", "Keramische vaas", "Fotokader", "Tafellamp", "Berbertapijt", "Wandklok",
         "Koperen kandelaar", "Oude affiche"),
        ("vintage", "fait main", "années 70", "grand format", "en laiton", "rétro"),
        ("vintage", "handgemaakt", "jaren 70", "groot formaat", "messing", "retro"),
    ),
)

CONDITIONS_FR = (
    "Très bon état.", "Bon état, légères traces d'usage.", "État correct, quelques rayures.", "Comme neuf.",
    "Nettoyé et vérifié par notre équipe.", "Pièce unique, à venir voir en magasin.",
)
CONDITIONS_NL = (
    "Zeer goede staat.", "Goede staat, lichte gebruikssporen.", "Redelijke staat, enkele krassen.", "Als nieuw.",
    "Gereinigd en nagekeken door ons team.", "Uniek stuk, kom het bekijken in de winkel.",
)


def price(rng: random.Random, low: float, high: float) -> float:
    """A shop price: whole euros or ,50 below 20 €, whole or 5-euro steps above."""
    value = rng.uniform(low, high)
    if value < 20:
        return round(value * 2) / 2 or 0.5
    if value < 100:
        return float(round(value))
    return float(round(value / 5) * 5)


def ean13(rng: random.Random) -> str:
    digits = [rng.randrange(10) for _ in range(12)]
    digits[0] = 5  # 54x: Belgian GS1 prefixes
    digits[1] = 4
    total = sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits))
    return "".join(map(str, digits)) + str((10 - total % 10) % 10)


def item_name(rng: random.Random, kind: Kind, lang: str) -> str:
    items, details = (kind.fr_items, kind.fr_details) if lang == "fr" else (kind.nl_items, kind.nl_details)
    name = f"{rng.choice(items)} {rng.choice(details)}"
    if kind.sizes and rng.random() < 0.7:
        name += f" ({'taille' if lang == 'fr' else 'maat'} {rng.choice(kind.sizes)})"
    return name


def description(rng: random.Random, lang: str) -> str:
    return rng.choice(CONDITIONS_FR if lang == "fr" else CONDITIONS_NL)


def draw_photo(number: int, size: int = 256) -> bytes:
    """A small JPEG "photo": a coloured background with a few shapes, distinct for each number."""
    rng = random.Random(number * 7919 + 17)
    background = tuple(rng.randrange(90, 235) for _ in range(3))
    image = Image.new("RGB", (size, size), background)
    draw = ImageDraw.Draw(image)
    for _ in range(4):
        x, y = rng.randrange(size), rng.randrange(size)
        w, h = rng.randrange(20, size // 2), rng.randrange(20, size // 2)
        colour = tuple(rng.randrange(256) for _ in range(3))
        if rng.random() < 0.5:
            draw.ellipse((x, y, x + w, y + h), fill=colour)
        else:
            draw.rectangle((x, y, x + w, y + h), fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def resized(data: bytes, side: int) -> bytes:
    """Odoo's image_<side> fields: the image shrunk to fit ``side`` (never enlarged)."""
    with Image.open(io.BytesIO(data)) as image:
        if max(image.size) <= side:
            return data
        image = image.convert("RGB")
        image.thumbnail((side, side))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=80)
        return buffer.getvalue()


class ImageStore:
    """Images by content hash, each with its base64 forms computed once (1920 and the smaller sizes)."""

    SIZES = (1024, 512, 256, 128)

    def __init__(self) -> None:
        self._b64: dict[str, dict[int, str]] = {}
        self._raw: dict[str, bytes] = {}

    def add_bytes(self, data: bytes) -> str:
        key = hashlib.sha1(data).hexdigest()
        if key not in self._raw:
            self._raw[key] = data
            self._b64[key] = {1920: base64.b64encode(data).decode()}
        return key

    def add_base64(self, value: str) -> str:
        return self.add_bytes(base64.b64decode(value, validate=True))

    def base64(self, key: str, side: int = 1920) -> str:
        forms = self._b64[key]
        if side not in forms:
            forms[side] = base64.b64encode(resized(self._raw[key], side)).decode()
        return forms[side]
