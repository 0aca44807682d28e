"""Plans the demo catalogue as plain data, from the seed alone (no database writes).

The plan for item ``i`` depends only on the seed and ``i`` (and the shop count), so a larger run
starts with the same items as a smaller one and a rerun finds every item it already created.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils.text import slugify

from .shops import ShopSpec
from .vocabulary import CLOSING, LEAVES, MODEL_TRANSLATIONS, Leaf

# Demo dates are relative to this instant, not to "now", so that runs are reproducible.
EPOCH = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
SERIES_SHARE = 0.10
UNPUBLISHED_SHARE = 0.05
# Price factor by grade position (best first): a worn item sells for less.
GRADE_PRICE_FACTORS = (1.0, 0.85, 0.72, 0.58, 0.35)
GRADE_WEIGHTS = (18, 34, 28, 14, 6)
SKU_PREFIX = {"bikes": "VEL", "it-phones": "INF", "books": "LIV", "vintage": "VIN", "building-materials": "MAT",
              "textile": "TEX", "furniture": "MEU", "appliances": "ELM", "toys": "JOU"}
LANGS = ("FR", "NL", "EN")
GRADE_LABEL = {"FR": "État", "NL": "Staat", "EN": "Condition"}


@dataclass(frozen=True)
class GradeInfo:
    code: str
    labels: dict[str, str]
    descriptions: dict[str, str]


@dataclass
class ItemPlan:
    index: int
    shop: ShopSpec
    root: str
    category: str
    slug: str
    sku: str
    names: dict[str, str]
    descriptions: dict[str, str]
    price: Decimal
    weight: float
    quantity: int
    grade_position: int
    grade_code: str
    published: bool
    created_at: datetime
    media: list[int]
    # attribute slug -> ("choice", (names or None, draw)) | ("maker", str) | ("num", float) | ("bool", bool)
    # | ("text", str)
    attributes: dict[str, tuple[str, object]] = field(default_factory=dict)
    variant_attributes: dict[str, tuple[str, object]] = field(default_factory=dict)


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([,])", r"\1", text)
    return re.sub(r"\s*–\s*$", "", text)


def _nice_price(amount: float) -> Decimal:
    step = 1 if amount < 50 else 5 if amount < 200 else 10
    rounded = max(step, round(amount / step) * step)
    if rounded < 20:
        rounded -= 0.01 if rounded == int(rounded) and rounded > 1 else 0
    return Decimal(str(rounded)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _attribute_value(rng: random.Random, spec: tuple, maker: str) -> tuple[str, object] | None:
    kind = spec[0]
    if kind == "maker":
        return ("maker", maker) if maker else None
    if kind == "choice":
        # The value itself is picked at write time among the configured ones: keep the draw.
        return ("choice", (tuple(spec[1]) if len(spec) > 1 else None, rng.random()))
    if kind == "num":
        lo, hi, step = spec[1], spec[2], spec[3]
        steps = int(round((hi - lo) / step))
        return ("num", round(lo + step * rng.randint(0, steps), 2))
    if kind == "bool":
        return ("bool", rng.random() < spec[1])
    if kind == "text":
        return ("text", rng.choice(spec[1]))
    raise ValueError(f"unknown attribute spec {spec!r}")


def _pick_leaf(rng: random.Random, shop: ShopSpec, leaves_by_root: dict[str, list[str]]) -> tuple[str, str]:
    roots = [root for root in shop.kind.weights if leaves_by_root.get(root)]
    root = rng.choices(roots, weights=[shop.kind.weights[r] for r in roots])[0]
    return root, rng.choice(leaves_by_root[root])


def plan_item(
    index: int,
    seed: int,
    shops: list[ShopSpec],
    leaves_by_root: dict[str, list[str]],
    grades_by_root: dict[str, list[GradeInfo]],
) -> ItemPlan:
    rng = random.Random(f"{seed}:{index}")
    shop = shops[rng.randrange(len(shops))]
    root, category = _pick_leaf(rng, shop, leaves_by_root)
    leaf: Leaf = LEAVES[category]
    noun = rng.choice(leaf.nouns)
    maker, models = rng.choice(leaf.makers)
    model = rng.choice(models)
    detail = rng.choice(leaf.details)
    models_by_lang = (model, *MODEL_TRANSLATIONS.get(model, (model, model)))
    names = {
        lang: _tidy(leaf.title.format(noun=noun[i], maker=maker, model=models_by_lang[i], detail=detail[i]))
        for i, lang in enumerate(LANGS)
    }

    grades = grades_by_root[root]
    weights = GRADE_WEIGHTS[: len(grades)]
    grade_position = rng.choices(range(len(grades)), weights=weights)[0]
    grade = grades[grade_position]

    sentences = rng.sample(leaf.sentences, k=min(2, len(leaf.sentences)))
    descriptions = {}
    for i, lang in enumerate(LANGS):
        parts = [
            # French puts a space before the colon.
            f"{GRADE_LABEL[lang]}{' :' if lang == 'FR' else ':'} {grade.labels[lang]}.",
            grade.descriptions[lang],
            *(sentence[i] for sentence in sentences),
            CLOSING[i].format(town=shop.town.name),
        ]
        descriptions[lang] = " ".join(parts)

    low, high = leaf.price
    factor = GRADE_PRICE_FACTORS[min(grade_position, len(GRADE_PRICE_FACTORS) - 1)]
    price = _nice_price(rng.uniform(low, high) * factor)
    weight = round(rng.uniform(*leaf.weight), 2)
    quantity = rng.randint(2, 10) if rng.random() < SERIES_SHARE else 1
    published = rng.random() >= UNPUBLISHED_SHARE
    created_at = EPOCH - timedelta(minutes=rng.randint(0, 60 * 24 * 180))
    media = rng.sample(range(10), k=rng.choice((1, 2, 2, 3)))

    attributes = {}
    for slug, spec in leaf.attributes.items():
        value = _attribute_value(rng, spec, maker)
        if value is not None:
            attributes[slug] = value
    variant_attributes = {}
    for slug, spec in leaf.variant_attributes.items():
        value = _attribute_value(rng, spec, maker)
        if value is not None:
            variant_attributes[slug] = value

    return ItemPlan(
        index=index,
        shop=shop,
        root=root,
        category=category,
        slug=f"{slugify(names['FR'])[:80].strip('-')}-{index + 1}",
        sku=f"{SKU_PREFIX.get(root, 'ART')}-{index + 1:07d}",
        names=names,
        descriptions=descriptions,
        price=price,
        weight=weight,
        quantity=quantity,
        grade_position=grade_position,
        grade_code=grade.code,
        published=published,
        created_at=created_at,
        media=media,
        attributes=attributes,
        variant_attributes=variant_attributes,
    )


def plan_catalogue(
    count: int,
    seed: int,
    shops: list[ShopSpec],
    leaves_by_root: dict[str, list[str]],
    grades_by_root: dict[str, list[GradeInfo]],
) -> list[ItemPlan]:
    return [plan_item(i, seed, shops, leaves_by_root, grades_by_root) for i in range(count)]
