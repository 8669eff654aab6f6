"""Amounts of rupiah as people write them, in the reader's language: exact
("Rp14.000.000.000 per tahun", "IDR 14,000,000,000 per year") and short ("Rp14 miliar/tahun",
"IDR 14 billion/year"). Used by the template filters ``rupiah`` and ``rupiah_short``, the
exports and the fact sheet."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats, numberformat
from django.utils.translation import pgettext

from .models.terms import TermPeriod

# Short forms: the largest scale an amount reaches, with at most this many decimals.
SHORT_DECIMALS = 2


def _scales():
    return [
        (Decimal(10) ** 12, pgettext("money scale", "%(number)s trillion")),
        (Decimal(10) ** 9, pgettext("money scale", "%(number)s billion")),
        (Decimal(10) ** 6, pgettext("money scale", "%(number)s million")),
        (Decimal(10) ** 3, pgettext("money scale", "%(number)s thousand")),
    ]


def _number(value, decimal_pos):
    return numberformat.format(
        value,
        formats.get_format("DECIMAL_SEPARATOR"),
        decimal_pos=decimal_pos,
        grouping=3,
        thousand_sep=formats.get_format("THOUSAND_SEPARATOR"),
        force_grouping=True,
    )


def _currency(number_text):
    # Translators: an amount of rupiah; Indonesian writes "Rp14.000" (no space).
    return pgettext("money", "IDR %(amount)s") % {"amount": number_text}


def _with_period(money, period, short):
    if not period:
        return money
    if period == TermPeriod.ONCE:
        text = pgettext("money period", "%(money)s, once")
    elif period == TermPeriod.MONTHLY:
        text = (
            pgettext("money period short", "%(money)s/month")
            if short
            else pgettext("money period", "%(money)s per month")
        )
    else:
        text = (
            pgettext("money period short", "%(money)s/year")
            if short
            else pgettext("money period", "%(money)s per year")
        )
    return text % {"money": money}


def _decimal(amount):
    if amount is None or amount == "":
        return None
    return amount if isinstance(amount, Decimal) else Decimal(str(amount))


def rupiah(amount, period=""):
    """The exact amount: "Rp14.000.000.000 per tahun"; sen only where there are any."""
    amount = _decimal(amount)
    if amount is None:
        return ""
    whole = amount == amount.to_integral_value()
    return _with_period(_currency(_number(amount, 0 if whole else 2)), period, short=False)


def rupiah_short(amount, period=""):
    """The amount in words of scale, rounded: "Rp14 miliar/tahun", "Rp1,25 juta/bulan"."""
    amount = _decimal(amount)
    if amount is None:
        return ""
    number = None
    for index, (scale, words) in enumerate(_scales()):
        if abs(amount) < scale:
            continue
        rounded = (amount / scale).quantize(Decimal(1).scaleb(-SHORT_DECIMALS), ROUND_HALF_UP)
        if index > 0 and abs(rounded) >= 1000:  # 999.999 million rounds to 1 billion
            scale, words = _scales()[index - 1]
            rounded = (amount / scale).quantize(Decimal(1).scaleb(-SHORT_DECIMALS), ROUND_HALF_UP)
        rounded = rounded.normalize()
        decimals = max(0, -rounded.as_tuple().exponent)
        number = words % {"number": _number(rounded, decimals)}
        break
    if number is None:  # under a thousand
        whole = amount == amount.to_integral_value()
        number = _number(amount, 0 if whole else 2)
    return _with_period(_currency(number), period, short=True)


def quantity(value):
    """A quantity in the reader's language, with only the decimals it has: "1.250,5"."""
    value = _decimal(value)
    if value is None:
        return ""
    value = value.normalize()
    return _number(value, max(0, -value.as_tuple().exponent))
