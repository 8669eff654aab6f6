"""Terms of an agreement (obligations): what one party gives or does for another, with an
amount of money in rupiah and its period, or a quantity and its unit."""

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Count, DecimalField, F, Q, Sum, Value, When
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class TermKind(models.TextChoices):
    PAYMENT = "payment", _("payment or fee")
    FINANCIAL_AID = "financial_aid", _("financial aid")
    COMPENSATION = "compensation", _("compensation")
    IN_KIND_SERVICE = "in_kind_service", _("in-kind service")
    FACILITY_USE = "facility_use", _("use of a facility")
    CAPACITY_LIMIT = "capacity_limit", _("quantity or capacity limit")
    STAFF = "staff", _("staff or expertise")
    DATA = "data", _("data")
    OTHER = "other", _("other")


# Terms of these kinds are money: an amount in rupiah and a period, and nothing else is.
MONEY_KINDS = (TermKind.PAYMENT, TermKind.FINANCIAL_AID, TermKind.COMPENSATION)


class TermPeriod(models.TextChoices):
    ONCE = "once", _("once")
    MONTHLY = "monthly", _("per month")
    YEARLY = "yearly", _("per year")


# How many times a year an amount of each period is paid; a one-off amount is no yearly flow.
TIMES_A_YEAR = {TermPeriod.MONTHLY: 12, TermPeriod.YEARLY: 1}


class QuantityUnit(models.TextChoices):
    TONNES_PER_DAY = "tonnes_per_day", _("tonnes per day")
    HECTARES = "hectares", _("hectares")
    PEOPLE = "people", _("people")
    UNITS = "units", _("units")


class FundingSource(models.TextChoices):
    APBD_PROVINCE = "apbd_province", _("APBD of the province")
    APBD_REGENCY = "apbd_regency", _("APBD of the regency")
    APBD_CITY = "apbd_city", _("APBD of the city")
    APBN = "apbn", _("APBN (state budget)")
    PARTNER = "partner", _("the partner")
    OTHER = "other", _("other")


def _money():
    return Q(kind__in=MONEY_KINDS)


class TermQuerySet(models.QuerySet):
    def money(self):
        return self.filter(_money())

    def yearly(self):
        """Money terms that recur: paid each month or each year."""
        return self.money().filter(period__in=list(TIMES_A_YEAR))

    def totals_by_year(self):
        """The money terms' totals by their agreement's year, in one grouped query: rows of
        (year, total a year of the recurring amounts, total of the one-off amounts, number of
        agreements), oldest year first; agreements without a date are left out. A month's
        amount counts twelve times, as ``Term.yearly_amount`` counts it."""
        money = DecimalField(max_digits=22, decimal_places=2)
        yearly = Case(
            *(
                When(period=period, then=F("amount") * times)
                for period, times in TIMES_A_YEAR.items()
            ),
            default=Value(None),
            output_field=money,
        )
        return (
            self.money()
            .filter(agreement__date__isnull=False)
            .order_by()
            .annotate(year=ExtractYear("agreement__date"))
            .values_list("year")
            .annotate(
                yearly=Sum(yearly, output_field=money),
                once=Sum("amount", filter=Q(period=TermPeriod.ONCE), output_field=money),
                agreements=Count("agreement", distinct=True),
            )
            .order_by("year")
        )


class Term(models.Model):
    """An obligation in an agreement: which party gives or does what for which other party."""

    Kind = TermKind
    Period = TermPeriod
    Unit = QuantityUnit
    FundingSource = FundingSource

    agreement = models.ForeignKey(
        "cooperation.Agreement",
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="terms",
    )
    # RESTRICT, not PROTECT: a party with terms cannot be removed on its own, but deleting the
    # whole agreement deletes both.
    giver = models.ForeignKey(
        "cooperation.Party",
        verbose_name=_("giving party"),
        on_delete=models.RESTRICT,
        related_name="terms_given",
        help_text=_("The party that pays, gives or does this. Save the parties first."),
    )
    receiver = models.ForeignKey(
        "cooperation.Party",
        verbose_name=_("receiving party"),
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="terms_received",
        help_text=_("The party it is for; blank if it is for no party in particular."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(
        _("amount (rupiah)"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("For payments, aid and compensation: the amount in rupiah, as agreed."),
    )
    period = models.CharField(
        _("period"),
        max_length=10,
        choices=Period.choices,
        blank=True,
        help_text=_("For an amount of money: once, per month or per year."),
    )
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=14,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_("For a capacity limit (and optionally other terms): how much."),
    )
    unit = models.CharField(
        _("unit"), max_length=20, choices=Unit.choices, blank=True, help_text=_("Of the quantity.")
    )
    description = models.CharField(
        _("description"),
        max_length=300,
        blank=True,
        help_text=_("Short, in Indonesian: what is given or done."),
    )
    funding_source = models.CharField(
        _("funding source"), max_length=20, choices=FundingSource.choices, blank=True
    )

    history = HistoricalRecords()
    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = ["agreement", "id"]
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=TermKind.values),
                name="term_kind_valid",
                violation_error_message=_("Choose a valid kind of term."),
            ),
            models.CheckConstraint(
                condition=Q(period__in=[*TermPeriod.values, ""]),
                name="term_period_valid",
                violation_error_message=_("Choose a valid period."),
            ),
            models.CheckConstraint(
                condition=Q(unit__in=[*QuantityUnit.values, ""]),
                name="term_unit_valid",
                violation_error_message=_("Choose a valid unit."),
            ),
            models.CheckConstraint(
                condition=Q(funding_source__in=[*FundingSource.values, ""]),
                name="term_funding_source_valid",
                violation_error_message=_("Choose a valid funding source."),
            ),
            models.CheckConstraint(
                condition=(_money() & Q(amount__isnull=False) & ~Q(period=""))
                | (~_money() & Q(amount__isnull=True) & Q(period="")),
                name="term_money_has_amount_and_period",
                violation_error_message=_(
                    "A payment, aid or compensation needs an amount in rupiah and a period; "
                    "other terms have neither."
                ),
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0),
                name="term_amount_positive",
                violation_error_message=_("The amount must be more than zero."),
            ),
            models.CheckConstraint(
                condition=(Q(quantity__isnull=True) & Q(unit=""))
                | (Q(quantity__isnull=False) & ~Q(unit="") & ~_money()),
                name="term_quantity_has_unit",
                violation_error_message=_(
                    "A quantity needs its unit (and a unit its quantity); money terms have none."
                ),
            ),
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gt=0),
                name="term_quantity_positive",
                violation_error_message=_("The quantity must be more than zero."),
            ),
            models.CheckConstraint(
                condition=~Q(kind=TermKind.CAPACITY_LIMIT) | Q(quantity__isnull=False),
                name="term_capacity_has_quantity",
                violation_error_message=_("A capacity limit needs a quantity and its unit."),
            ),
            models.CheckConstraint(
                condition=Q(receiver__isnull=True) | ~Q(receiver=models.F("giver")),
                name="term_giver_is_not_receiver",
                violation_error_message=_("A party does not give to itself."),
            ),
        ]

    def __str__(self):
        return self.description or self.get_kind_display()

    @property
    def is_money(self):
        return self.kind in MONEY_KINDS

    @property
    def yearly_amount(self):
        """The amount a year for a recurring money term (a month's amount times 12); None for a
        one-off amount and for terms that are not money."""
        if not self.is_money or self.amount is None or self.period not in TIMES_A_YEAR:
            return None
        return self.amount * TIMES_A_YEAR[self.period]

    def clean(self):
        super().clean()
        errors = {}
        if self.is_money:
            if self.amount is None:
                errors["amount"] = _("A payment, aid or compensation needs an amount in rupiah.")
            if not self.period:
                errors["period"] = _("Say whether the amount is paid once, per month or per year.")
            if self.quantity is not None or self.unit:
                errors["quantity"] = _(
                    "A money term has an amount in rupiah, not a quantity: make the quantity "
                    "a term of its own."
                )
        else:
            if self.kind and self.amount is not None:
                errors["amount"] = _(
                    "Only payments, financial aid and compensation have an amount in rupiah."
                )
            if self.kind and self.period:
                errors["period"] = _("Only an amount of money has a period.")
            if self.kind == TermKind.CAPACITY_LIMIT and self.quantity is None:
                errors["quantity"] = _("A capacity limit needs a quantity and its unit.")
            if self.quantity is not None and not self.unit:
                errors["unit"] = _("Give the unit of the quantity.")
            if self.unit and self.quantity is None:
                errors["quantity"] = _("Give the quantity in this unit.")
        if self.amount is not None and self.amount <= 0 and "amount" not in errors:
            errors["amount"] = _("The amount must be more than zero.")
        if self.quantity is not None and self.quantity <= 0 and "quantity" not in errors:
            errors["quantity"] = _("The quantity must be more than zero.")
        if self.giver_id and self.agreement_id and self.giver.agreement_id != self.agreement_id:
            errors["giver"] = _("The giving party must be a party to this agreement.")
        if (
            self.receiver_id
            and self.agreement_id
            and self.receiver.agreement_id != self.agreement_id
        ):
            errors["receiver"] = _("The receiving party must be a party to this agreement.")
        if self.receiver_id and self.receiver_id == self.giver_id:
            errors["receiver"] = _("A party does not give to itself.")
        if errors:
            raise ValidationError(errors)


def yearly_money_flows(terms):
    """The yearly money flows of an agreement, per direction: a list of (giver, receiver,
    total a year) with the parties as given (receiver None for money to no party), in the
    order each direction first appears. Monthly amounts count twelve times; one-off amounts
    are not yearly flows. Reads the terms given (prefetched ones: no query)."""
    totals = defaultdict(Decimal)
    parties = {}
    for term in terms:
        yearly = term.yearly_amount
        if yearly is None:
            continue
        direction = (term.giver_id, term.receiver_id)
        parties.setdefault(direction, (term.giver, term.receiver))
        totals[direction] += yearly
    return [(*parties[direction], total) for direction, total in totals.items()]
