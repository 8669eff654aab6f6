"""Money as Indonesian readers write it, exact and short, and its English equivalents (the
``rupiah`` and ``rupiah_short`` template filters)."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from cooperation.money import rupiah, rupiah_short


def render(language, text, **context):
    with translation.override(language):
        return Template("{% load catalogue %}" + text).render(Context(context))


@pytest.mark.parametrize(
    ("amount", "period", "indonesian", "english"),
    [
        (14_000_000_000, "yearly", "Rp14.000.000.000 per tahun", "IDR 14,000,000,000 per year"),
        (250_000_000, "monthly", "Rp250.000.000 per bulan", "IDR 250,000,000 per month"),
        (5_000_000, "once", "Rp5.000.000, sekali", "IDR 5,000,000, once"),
        (Decimal("1500.50"), "", "Rp1.500,50", "IDR 1,500.50"),
        (750, "", "Rp750", "IDR 750"),
    ],
)
def test_exact_amounts(amount, period, indonesian, english):
    template = "{{ amount|rupiah:period }}"
    assert render("id", template, amount=amount, period=period) == indonesian
    assert render("en", template, amount=amount, period=period) == english


@pytest.mark.parametrize(
    ("amount", "period", "indonesian", "english"),
    [
        (14_000_000_000, "yearly", "Rp14 miliar/tahun", "IDR 14 billion/year"),
        (1_250_000, "monthly", "Rp1,25 juta/bulan", "IDR 1.25 million/month"),
        (2_500_000_000_000, "", "Rp2,5 triliun", "IDR 2.5 trillion"),
        (75_000, "yearly", "Rp75 ribu/tahun", "IDR 75 thousand/year"),
        (999_999_999, "", "Rp1 miliar", "IDR 1 billion"),  # rounds up into the next scale
        (1_234_567_890, "", "Rp1,23 miliar", "IDR 1.23 billion"),
        (5_000_000, "once", "Rp5 juta, sekali", "IDR 5 million, once"),
        (500, "", "Rp500", "IDR 500"),
    ],
)
def test_short_amounts(amount, period, indonesian, english):
    template = "{{ amount|rupiah_short:period }}"
    assert render("id", template, amount=amount, period=period) == indonesian
    assert render("en", template, amount=amount, period=period) == english


def test_no_amount_is_an_empty_string():
    assert render("id", "[{{ none|rupiah }}][{{ none|rupiah_short }}]", none=None) == "[][]"


def test_quantities_show_only_the_decimals_they_have():
    assert render("id", "{{ q|quantity }}", q=Decimal("1250.500")) == "1.250,5"
    assert render("en", "{{ q|quantity }}", q=Decimal("40.000")) == "40"


@given(st.integers(min_value=1, max_value=10**16 - 1))
def test_the_exact_amount_reads_back_as_the_same_number(amount):
    with translation.override("id"):
        text = rupiah(amount)
    assert text.startswith("Rp")
    assert int(text[2:].replace(".", "")) == amount


@given(st.integers(min_value=1000, max_value=10**16 - 1))
def test_the_short_amount_is_within_half_a_percent(amount):
    with translation.override("en"):
        number, scale = rupiah_short(amount)[len("IDR ") :].replace(",", "").split(" ")
    factor = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
    assert 1 <= Decimal(number) < 1000 or scale == "trillion"
    assert abs(Decimal(number) * factor[scale] - amount) <= Decimal("0.005") * amount
