"""Gross prices split into net and VAT, and the per-rate totals of an invoice."""

from __future__ import annotations

from decimal import Decimal

import pytest
from prices import Money, TaxedMoney

from saleor_ext.tax.services import VatLine, split_gross, vat_breakdown


def eur(amount: str) -> Money:
    return Money(Decimal(amount), "EUR")


@pytest.mark.parametrize(
    ("gross", "rate", "net", "tax"),
    [
        ("12.10", "0.21", "10.00", "2.10"),
        ("10.60", "0.06", "10.00", "0.60"),
        ("120.00", "0.21", "99.17", "20.83"),
        ("0.99", "0.21", "0.82", "0.17"),
        ("4.50", "0", "4.50", "0.00"),
        ("0.00", "0.21", "0.00", "0.00"),
    ],
)
def test_gross_is_split_into_net_rounded_to_the_cent_and_the_rest_as_vat(gross, rate, net, tax):
    taxed = split_gross(eur(gross), Decimal(rate))

    assert taxed == TaxedMoney(net=eur(net), gross=eur(gross))
    assert taxed.tax == eur(tax)
    assert taxed.net.amount.as_tuple().exponent == -2


def test_a_gross_amount_with_extra_decimals_is_rounded_to_the_cent_first():
    taxed = split_gross(eur("12.105"), Decimal("0.21"))
    assert taxed.gross == eur("12.11")
    assert taxed.net + taxed.tax == taxed.gross


def test_breakdown_groups_lines_per_rate_lowest_first():
    lines = [
        (eur("12.10"), Decimal("0.21")),
        (eur("10.60"), Decimal("0.06")),
        (eur("120.00"), Decimal("0.21")),
        (eur("4.50"), Decimal("0")),
    ]

    assert vat_breakdown(lines) == [
        VatLine(rate=Decimal("0"), net=eur("4.50"), tax=eur("0.00"), gross=eur("4.50")),
        VatLine(rate=Decimal("0.06"), net=eur("10.00"), tax=eur("0.60"), gross=eur("10.60")),
        VatLine(rate=Decimal("0.21"), net=eur("109.17"), tax=eur("22.93"), gross=eur("132.10")),
    ]


def test_breakdown_totals_are_the_sums_of_the_rounded_lines():
    # Three lines of 0.99 €: each is 0.82 net + 0.17 VAT; splitting the 2.97 € total instead
    # would give 2.45 + 0.52, and the invoice lines would not add up to its totals.
    (line,) = vat_breakdown([(eur("0.99"), Decimal("0.21"))] * 3)

    assert (line.net, line.tax, line.gross) == (eur("2.46"), eur("0.51"), eur("2.97"))
    assert split_gross(eur("2.97"), Decimal("0.21")).net == eur("2.45")


def test_rates_written_differently_are_one_rate():
    lines = vat_breakdown([(eur("1.21"), Decimal("0.21")), (eur("1.21"), Decimal("0.210"))])
    assert [line.rate for line in lines] == [Decimal("0.21")]
    assert lines[0].gross == eur("2.42")


def test_nothing_to_break_down():
    assert vat_breakdown([]) == []
