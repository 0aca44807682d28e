"""Fictional member shops in real Walloon and Brussels towns (demo data).

Shops and their numbers are invented; towns, postal codes and street names are real.
The list does not depend on the seed, so every demo database has the same shops.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from slugify import slugify


@dataclass(frozen=True)
class Town:
    name: str
    postal_code: str
    streets: tuple[str, ...]
    phone_prefix: str


TOWNS = [
    Town("Namur", "5000", ("Rue de Fer", "Rue des Brasseurs", "Rue Saint-Nicolas"), "081"),
    Town("Liège", "4000", ("Rue Saint-Gilles", "Rue Féronstrée", "Rue Puits-en-Sock"), "04"),
    Town("Charleroi", "6000", ("Rue de la Montagne", "Boulevard Tirou", "Rue de Marcinelle"), "071"),
    Town("Mons", "7000", ("Rue de Nimy", "Rue d'Havré", "Rue de Bertaimont"), "065"),
    Town("Tournai", "7500", ("Rue Royale", "Rue de la Tête d'Or", "Quai Taille-Pierres"), "069"),
    Town("Wavre", "1300", ("Rue du Pont du Christ", "Chaussée de Bruxelles", "Rue Haute"), "010"),
    Town("Ottignies-Louvain-la-Neuve", "1340", ("Avenue des Combattants", "Rue de la Station"), "010"),
    Town("Arlon", "6700", ("Grand-Rue", "Rue de Diekirch", "Avenue de Longwy"), "063"),
    Town("Verviers", "4800", ("Rue Spintay", "Rue de Heusy", "Pont Saint-Laurent"), "087"),
    Town("Nivelles", "1400", ("Rue de Namur", "Rue Sainte-Anne", "Faubourg de Soignies"), "067"),
    Town("Ixelles", "1050", ("Chaussée d'Ixelles", "Rue de la Brasserie", "Rue Malibran"), "02"),
    Town("Schaerbeek", "1030", ("Chaussée de Haecht", "Rue Josaphat", "Avenue Rogier"), "02"),
    Town("Anderlecht", "1070", ("Chaussée de Mons", "Rue Wayez", "Rue de Birmingham"), "02"),
    Town("Molenbeek-Saint-Jean", "1080", ("Chaussée de Gand", "Rue Ransfort", "Boulevard Léopold II"), "02"),
    Town("Saint-Gilles", "1060", ("Chaussée de Waterloo", "Rue de la Victoire", "Rue de Parme"), "02"),
    Town("Huy", "4500", ("Rue des Augustins", "Rue du Pont", "Quai de Compiègne"), "085"),
    Town("Dinant", "5500", ("Rue Grande", "Rue Adolphe Sax"), "082"),
    Town("Gembloux", "5030", ("Rue Léopold", "Chaussée de Charleroi"), "081"),
    Town("La Louvière", "7100", ("Rue Albert Ier", "Rue Kéramis"), "064"),
    Town("Mouscron", "7700", ("Rue de Tourcoing", "Rue du Christ"), "056"),
    Town("Marche-en-Famenne", "6900", ("Rue du Commerce", "Rue Porte Haute"), "084"),
    Town("Bastogne", "6600", ("Rue du Sablon", "Place McAuliffe"), "061"),
    Town("Forest", "1190", ("Avenue Van Volxem", "Chaussée de Neerstalle"), "02"),
    Town("Etterbeek", "1040", ("Chaussée de Wavre", "Rue des Champs"), "02"),
]
TOWN_BY_NAME = {town.name: town for town in TOWNS}

ROOTS = ("bikes", "it-phones", "books", "vintage", "building-materials", "textile", "furniture", "appliances", "toys")


@dataclass(frozen=True)
class ShopKind:
    code: str
    label: str
    # Relative share of each root category in the shop's stock.
    weights: dict[str, float] = field(default_factory=dict)
    description: str = ""


KINDS = {
    "ressourcerie": ShopKind(
        "ressourcerie", "Ressourcerie",
        {"furniture": 3, "vintage": 3, "books": 2, "textile": 2, "appliances": 2, "toys": 2, "bikes": 1,
         "it-phones": 1, "building-materials": 0.5},
        "Ressourcerie d'économie sociale : collecte, tri, réparation et revente d'objets du quotidien.",
    ),
    "bikes": ShopKind(
        "bikes", "Atelier vélo", {"bikes": 10},
        "Atelier de réparation et de revente de vélos d'occasion, révisés par nos mécaniciens en insertion.",
    ),
    "it": ShopKind(
        "it", "Informatique reconditionnée", {"it-phones": 10},
        "Reconditionnement d'ordinateurs et de smartphones : tests, effacement certifié, garantie.",
    ),
    "books": ShopKind(
        "books", "Bouquinerie", {"books": 8, "vintage": 1},
        "Livres d'occasion, BD et disques triés par des bénévoles passionnés.",
    ),
    "materials": ShopKind(
        "materials", "Matériauthèque", {"building-materials": 10, "furniture": 1},
        "Matériaux de construction de réemploi : démontage soigné, stockage et revente.",
    ),
    "textile": ShopKind(
        "textile", "Friperie", {"textile": 10},
        "Vêtements et accessoires de seconde main, triés, lavés et repassés.",
    ),
    "vintage": ShopKind(
        "vintage", "Brocante", {"vintage": 6, "furniture": 4},
        "Mobilier et objets vintage chinés, restaurés dans notre atelier.",
    ),
    "appliances": ShopKind(
        "appliances", "Électroménager reconditionné", {"appliances": 9, "it-phones": 1},
        "Gros et petit électroménager réparé et garanti par nos techniciens.",
    ),
    "toys": ShopKind(
        "toys", "Jouets de seconde main", {"toys": 8, "books": 1},
        "Jouets et jeux complets, nettoyés et vérifiés pièce par pièce.",
    ),
}

# (name, kind, town): the first shops are written by hand; more are generated below.
NAMED_SHOPS = [
    ("La Ressourcerie Namuroise", "ressourcerie", "Namur"),
    ("Cyclo-Récup Liège", "bikes", "Liège"),
    ("Réso Numérique", "it", "Charleroi"),
    ("Bouquinerie Le Vieux Grimoire", "books", "Mons"),
    ("Matériauthèque Tournaisienne", "materials", "Tournai"),
    ("Friperie Fil à Fil", "textile", "Ixelles"),
    ("Le Grenier de Wavre", "vintage", "Wavre"),
    ("Électro Seconde Vie", "appliances", "Schaerbeek"),
    ("Le Coffre à Jouets", "toys", "Ottignies-Louvain-la-Neuve"),
    ("Ressourcerie du Pays d'Arlon", "ressourcerie", "Arlon"),
    ("Atelier Vélo Solidaire", "bikes", "Anderlecht"),
    ("Recyclerie Informatique Verviétoise", "it", "Verviers"),
    ("Ressourcerie Le Roman Païs", "ressourcerie", "Nivelles"),
    ("Récup'Matériaux Bruxelles", "materials", "Molenbeek-Saint-Jean"),
    ("Les Bouquins de Saint-Gilles", "books", "Saint-Gilles"),
    ("Vintage Meuse", "vintage", "Huy"),
    ("La Fripe Dinantaise", "textile", "Dinant"),
    ("Ressourcerie de la Haute Sambre", "ressourcerie", "Charleroi"),
    ("Vélo d'Occasion Gembloux", "bikes", "Gembloux"),
    ("PC Solidaire du Centre", "it", "La Louvière"),
]
GENERATED_SUFFIXES = ("Solidaire", "Coopérative", "du Quartier", "Circulaire", "Seconde Chance", "Récup")
WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class ShopSpec:
    index: int
    name: str
    slug: str
    kind: ShopKind
    town: Town
    street: str
    number: int
    enterprise_number: str
    opening_hours: dict[str, str]
    phone: str


def bce_number(serial: int) -> str:
    """A BCE/KBO-shaped number (0 + 7 digits + mod-97 check), formatted 0xxx.xxx.xxx."""
    base = 8_000_000 + serial * 7919 % 1_999_999
    body = f"0{base:07d}"
    check = 97 - int(body) % 97
    digits = f"{body}{check:02d}"
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"


def _opening_hours(index: int) -> dict[str, str]:
    patterns = [
        {"tue": "10:00-18:00", "wed": "10:00-18:00", "thu": "10:00-18:00", "fri": "10:00-18:00",
         "sat": "10:00-17:00"},
        {"mon": "13:00-18:00", "tue": "09:30-17:30", "wed": "09:30-17:30", "thu": "09:30-17:30",
         "fri": "09:30-17:30", "sat": "10:00-16:00"},
        {"wed": "13:00-18:00", "fri": "13:00-18:00", "sat": "09:00-17:00"},
        {"tue": "09:00-12:30,13:30-17:00", "wed": "09:00-12:30,13:30-17:00", "thu": "09:00-12:30,13:30-17:00",
         "fri": "09:00-12:30,13:30-17:00", "sat": "09:00-13:00"},
    ]
    hours = patterns[index % len(patterns)]
    return {day: hours.get(day, "") for day in WEEK}


def shop_specs(count: int) -> list[ShopSpec]:
    """The first ``count`` member shops, always the same for a given count."""
    rows = list(NAMED_SHOPS)
    kinds = list(KINDS)
    serial = 0
    while len(rows) < count:
        kind = kinds[serial % len(kinds)]
        town = TOWNS[(serial * 5 + 3) % len(TOWNS)]
        suffix = GENERATED_SUFFIXES[(serial // len(kinds)) % len(GENERATED_SUFFIXES)]
        rows.append((f"{KINDS[kind].label} {suffix} {town.name}", kind, town.name))
        serial += 1
    specs, seen = [], set()
    for index, (name, kind, town_name) in enumerate(rows[:count]):
        town = TOWN_BY_NAME[town_name]
        slug = slugify(name)[:50]
        while slug in seen:
            slug = f"{slug}-{index}"
        seen.add(slug)
        specs.append(
            ShopSpec(
                index=index,
                name=name,
                slug=slug,
                kind=KINDS[kind],
                town=town,
                street=town.streets[index % len(town.streets)],
                number=3 + (index * 37) % 180,
                enterprise_number=bce_number(index + 1),
                opening_hours=_opening_hours(index),
                phone=f"+32 {town.phone_prefix.lstrip('0')} {100 + index * 13 % 900:03d} {10 + index * 7 % 90:02d}",
            )
        )
    return specs
