"""VAT rates and the split of gross prices into net and tax.

Prices are entered gross. A line's rate comes from its product type's tax class in the delivery
country (Belgium for click & collect), else the country's default rate, else Belgium's; a
``vat_exempt`` vendor charges 0 % on everything it sells, delivery included. Rates are returned
as fractions (``Decimal("0.21")``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import prices

from saleor_ext.core.sql import column, fetch, table
from saleor_ext.product.models import ProductType
from saleor_ext.vendor.models import Vendor

from .models import DEFAULT_COUNTRY_RATES, FALLBACK_COUNTRY, TaxClassCountryRate

ZERO = Decimal(0)


@dataclass(frozen=True)
class VatLine:
    """The total of one VAT rate on an invoice or order."""

    rate: Decimal
    net: prices.Money
    tax: prices.Money
    gross: prices.Money


def _fraction(percent: Decimal) -> Decimal:
    return (Decimal(percent) / 100).normalize() if percent else ZERO


def _countries(country_code: str | None) -> list[str]:
    country = (country_code or "").strip().upper()
    return list(dict.fromkeys(c for c in (country, FALLBACK_COUNTRY) if c))


def _rates_sql() -> str:
    # One round trip for the three things a rate depends on: exempt vendors, the rates of the
    # product types' classes, and the countries' default rates (rows without a class).
    rate, vendor, product_type = TaxClassCountryRate, Vendor, ProductType
    return f"""
        SELECT 'exempt', v.{column(vendor, "id")}, NULL, NULL
          FROM {table(vendor)} v
         WHERE v.{column(vendor, "id")} = ANY(%s) AND v.{column(vendor, "vat_exempt")}
        UNION ALL
        SELECT 'type', pt.{column(product_type, "id")}, r.{column(rate, "country")}, r.{column(rate, "rate")}
          FROM {table(product_type)} pt
          JOIN {table(rate)} r ON r.{column(rate, "tax_class")} = pt.{column(product_type, "tax_class")}
         WHERE pt.{column(product_type, "id")} = ANY(%s) AND r.{column(rate, "country")} = ANY(%s)
        UNION ALL
        SELECT 'default', NULL, r.{column(rate, "country")}, r.{column(rate, "rate")}
          FROM {table(rate)} r
         WHERE r.{column(rate, "tax_class")} IS NULL AND r.{column(rate, "country")} = ANY(%s)
    """


def _resolve(class_rates: dict[str, Decimal], default_rates: dict[str, Decimal], countries: list[str]) -> Decimal:
    for country in countries:
        if country in class_rates:
            return class_rates[country]
        if country in default_rates:
            return default_rates[country]
    return DEFAULT_COUNTRY_RATES[FALLBACK_COUNTRY]


def vat_rates(
    pairs: Iterable[tuple[int | None, int]], country_code: str
) -> dict[tuple[int | None, int], Decimal]:
    """Rate of each ``(product_type_id, vendor_id)`` pair for a delivery to ``country_code``, in one query."""
    pairs = set(pairs)
    if not pairs:
        return {}
    countries = _countries(country_code)
    vendor_ids = sorted({vendor_id for _, vendor_id in pairs})
    type_ids = sorted({type_id for type_id, _ in pairs if type_id is not None})
    exempt: set[int] = set()
    class_rates: dict[int, dict[str, Decimal]] = {}
    default_rates = dict(DEFAULT_COUNTRY_RATES)
    for kind, key, country, rate in fetch(_rates_sql(), [vendor_ids, type_ids, countries, countries]):
        if kind == "exempt":
            exempt.add(key)
        elif kind == "type":
            class_rates.setdefault(key, {})[country] = rate
        else:
            default_rates[country] = rate
    return {
        (type_id, vendor_id): ZERO
        if vendor_id in exempt
        else _fraction(_resolve(class_rates.get(type_id, {}), default_rates, countries))
        for type_id, vendor_id in pairs
    }


def vat_rate(*, product_type_id: int | None, vendor_id: int, country_code: str) -> Decimal:
    """Rate of an item of this product type sold by this vendor, delivered to ``country_code``."""
    return vat_rates([(product_type_id, vendor_id)], country_code)[(product_type_id, vendor_id)]


def shipping_key(vendor_id: int) -> tuple[None, int]:
    """The ``vat_rates`` pair of a vendor's deliveries: no product type, so the country's standard
    rate (0 for an exempt vendor). Callers may ask it together with their items' pairs."""
    return (None, vendor_id)


def shipping_vat_rates(vendor_ids: Iterable[int], country_code: str) -> dict[int, Decimal]:
    """Each vendor's delivery rate: the country's standard rate, 0 for an exempt vendor (one query)."""
    rates = vat_rates([shipping_key(vendor_id) for vendor_id in vendor_ids], country_code)
    return {vendor_id: rate for (_, vendor_id), rate in rates.items()}


def shipping_vat_rate(*, vendor_id: int, country_code: str) -> Decimal:
    """Delivery is taxed at the country's standard rate, 0 if the vendor is exempt."""
    return shipping_vat_rates([vendor_id], country_code)[vendor_id]


def split_gross(gross: prices.Money, rate: Decimal) -> prices.TaxedMoney:
    """Net is gross / (1 + rate) rounded half-up to the currency's smallest unit; tax = gross - net."""
    gross = gross.quantize(rounding=ROUND_HALF_UP)
    net = prices.Money(gross.amount / (1 + Decimal(rate)), gross.currency).quantize(rounding=ROUND_HALF_UP)
    return prices.TaxedMoney(net=net, gross=gross)


def vat_breakdown(items: Iterable[tuple[prices.Money, Decimal]]) -> list[VatLine]:
    """Totals per rate, lowest rate first; each total is the sum of its lines split one by one, so
    the lines of an invoice add up to its totals."""
    totals: dict[Decimal, prices.TaxedMoney] = {}
    for gross, rate in items:
        rate = Decimal(rate).normalize() if rate else ZERO
        taxed = split_gross(gross, rate)
        totals[rate] = totals[rate] + taxed if rate in totals else taxed
    return [
        VatLine(rate=rate, net=taxed.net, tax=taxed.tax, gross=taxed.gross)
        for rate, taxed in sorted(totals.items())
    ]
