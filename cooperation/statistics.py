"""The statistics page's numbers: agreements per year by category, by stage, follow-ups by
status, money terms per year, the regions most often concerned and the partners' countries.

They are counted over the agreement list's own filter set (``AgreementFilter``, offering the
region, the year and the category), grouped in SQL (one query per chart, a constant number),
and cached per version of the data (``cooperation.caching``): only codes and numbers are
cached, the labels and links are made per request in the reader's language.

Every bar, segment and table cell links to the list it summarises, with the page's filters:
a count leads to a list of that many rows.
"""

import csv
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.http import QueryDict
from django.urls import reverse
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_countries import countries

from regions.models import INDONESIA, Region

from . import caching
from .models import AgreementRegion, FollowUp, Party, Term, can_see_drafts
from .money import rupiah_short
from .selectors import reader, visible_agreements

# The filters the page offers: those of the agreement list, applied the same way.
STATISTICS_FILTERS = ("region", "year", "category")
TOP_SIZE = 10  # rows of the regions' and the countries' charts
BAR_SHARE = 70  # percent of a chart's width the longest bar takes; the value stands beside it
# Heights in pixels: a row's label line, a bar, a bar and the space under it, between rows.
LABEL_HEIGHT, BAR_HEIGHT, BAR_STEP, ROW_GAP = 20, 16, 20, 8


def statistics_filterset(request, params=None):
    """The agreement list's filter set, offering the statistics page's filters, on the
    agreements the request's user may see."""
    from .filters import AgreementFilter  # it asks cooperation.selectors for its choices

    return AgreementFilter(
        request.GET if params is None else params,
        queryset=visible_agreements(request.user),
        request=request,
        only=STATISTICS_FILTERS,
    )


def applied_filters(filterset):
    """The filters a valid filter set applies, as the list's query string names them (a
    region by its code): the base of every link from the page."""
    data = filterset.form.cleaned_data
    query = QueryDict(mutable=True)
    if data.get("region"):
        query["region"] = data["region"].code
    if data.get("year"):
        query["year"] = str(data["year"])
    if data.get("category"):
        query["category"] = data["category"]
    return query


# --- The numbers (cached) -----------------------------------------------------------------


def _agreement_numbers(agreements):
    """{"years": {year: {category: n}}, "stages": {stage: n}} in one grouped query."""
    years, stages = defaultdict(dict), defaultdict(int)
    rows = (
        agreements.order_by()
        .annotate(year=ExtractYear("date"))
        .values_list("year", "category", "stage")
        .annotate(n=Count("*"))
    )
    for year, category, stage, n in rows:
        stages[stage] += n
        if year is not None:
            years[year][category] = years[year].get(category, 0) + n
    return {"years": dict(sorted(years.items())), "stages": dict(stages)}


def _follow_up_numbers(agreements):
    return dict(
        FollowUp.objects.filter(agreement__in=agreements.values("pk"))
        .order_by()
        .values_list("status")
        .annotate(n=Count("*"))
        .values_list("status", "n")
    )


def _money_numbers(agreements):
    return [
        (year, yearly or Decimal(0), once or Decimal(0), n)
        for year, yearly, once, n in Term.objects.filter(
            agreement__in=agreements.values("pk")
        ).totals_by_year()
    ]


def _sub_regions(region):
    """The regions one level under ``region`` (provinces under none): those the regions'
    chart counts. A list filtered by one of them is part of the list filtered by ``region``."""
    if region is None:
        return {"region__kind": Region.Kind.PROVINCE}
    if region.kind == Region.Kind.PROVINCE:
        return {"region__province": region, "region__kind__in": Region.MIDDLE_KINDS}
    if region.kind in Region.MIDDLE_KINDS:
        return {"region__regency": region}
    return None  # a district has no regions under it


def _region_numbers(agreements, region):
    """[(code, name, kind, n)] of the regions under the filter's (provinces under none) with
    the most agreements."""
    lookups = _sub_regions(region)
    if lookups is None:
        return []
    return list(
        AgreementRegion.objects.filter(agreement__in=agreements.values("pk"), **lookups)
        .order_by()
        .values_list("region__code", "region__name", "region__kind")
        .annotate(n=Count("*"))
        .order_by("-n", "region__code")[:TOP_SIZE]
    )


def _country_numbers(agreements):
    """[(country code, n)] of the partners abroad, by the number of agreements."""
    return list(
        Party.objects.filter(agreement__in=agreements.values("pk"))
        .exclude(organisation__country=INDONESIA)
        .order_by()
        .values_list("organisation__country")
        .annotate(n=Count("agreement", distinct=True))
        .order_by("-n", "organisation__country")[:TOP_SIZE]
    )


def statistics_numbers(filterset):
    """The numbers of every chart for a valid filter set, cached per data version, reader
    kind (drafts or not) and filters."""
    agreements = filterset.qs
    region = filterset.form.cleaned_data.get("region")
    drafts = "drafts" if can_see_drafts(reader(filterset.request)) else "published"

    def compute():
        return {
            **_agreement_numbers(agreements),
            "follow_ups": _follow_up_numbers(agreements),
            "money": _money_numbers(agreements),
            "regions": _region_numbers(agreements, region),
            "countries": _country_numbers(agreements),
        }

    return caching.cached(f"statistics:{drafts}:{applied_filters(filterset).urlencode()}", compute)


# --- Charts: labels, links and geometry, in the reader's language --------------------------


@dataclass
class Series:
    label: str
    css: str  # the class that colours it (static/css/catalogue.css)
    code: str = ""  # the filter value it stands for, if any
    title: str = ""  # the label in full, for the legend

    @property
    def legend(self):
        return self.title or self.label


@dataclass
class Cell:
    value: object
    url: str | None
    series: Series
    # Set by Chart.layout(): across in percent of the width, down in pixels; the value shown.
    x: float = 0
    width: float = 0
    y: int = 0
    text: str = ""


@dataclass
class Row:
    label: str
    url: str | None
    cells: list
    total: object = None
    # Set by Chart.layout().
    label_y: int = 0
    value_y: int = 0
    end: float = 0
    total_text: str = ""


@dataclass
class Chart:
    slug: str
    title: str
    description: str
    row_header: str
    series: list
    rows: list
    money: bool = False
    stacked: bool = True  # one bar per row (its segments the series), else a bar per series
    csv_url: str = ""
    height: int = 0  # set by layout()

    @property
    def show_total(self):
        return self.stacked and len(self.series) > 1

    def format(self, value):
        if self.money:
            return rupiah_short(value)
        return formats.number_format(value, force_grouping=True)

    def layout(self):
        """Each bar's place: across in percent of the width (the longest bar BAR_SHARE
        percent), down in pixels (a row's label, then its bar or a bar per series); and each
        value as the chart shows it."""
        largest = max(
            [row.total if self.stacked else max(c.value for c in row.cells) for row in self.rows]
            or [0]
        )
        scale = BAR_SHARE / float(largest) if largest else 0
        y = 0
        for row in self.rows:
            row.label_y = y + LABEL_HEIGHT - 5
            x = 0
            for index, cell in enumerate(row.cells):
                cell.width = round(float(cell.value) * scale, 3)
                cell.x = round(x, 3)
                cell.y = y + LABEL_HEIGHT + (0 if self.stacked else index * BAR_STEP)
                cell.text = self.format(cell.value)
                if self.stacked:
                    x += cell.width
            row.end = round(x, 3)
            row.value_y = y + LABEL_HEIGHT + BAR_HEIGHT - 3
            # A count (a money chart's rows count agreements: the table's last column).
            row.total_text = formats.number_format(row.total, force_grouping=True)
            y += LABEL_HEIGHT + (1 if self.stacked else len(row.cells)) * BAR_STEP + ROW_GAP
        self.height = max(y, 1)
        return self


def _link(url_name, base, **values):
    query = base.copy()
    for name, value in values.items():
        query[name] = value
    return f"{reverse(url_name)}?{query.urlencode()}"


def _every_year(by_year):
    """(year, value) from the first year to the last, a year with nothing included: a time
    axis without gaps."""
    if not by_year:
        return []
    return [(year, by_year.get(year, {})) for year in range(min(by_year), max(by_year) + 1)]


def _row(label, url, cells):
    return Row(label=label, url=url, cells=cells, total=sum(cell.value for cell in cells))


def _csv_url(slug, base):
    """The chart's table as CSV, in the page's language (a shared link keeps it)."""
    query = base.copy()
    query["lang"] = get_language()
    return f"{reverse('cooperation:statistics_csv', args=[slug])}?{query.urlencode()}"


def build_charts(numbers, base):
    """The page's charts from ``statistics_numbers``, linked to the lists with the filters
    ``base`` (``applied_filters``)."""
    from .models import Agreement

    agreements = "cooperation:agreement_list"
    used = {category for counts in numbers["years"].values() for category in counts}
    series = [
        Series(value, f"chart-{value.lower()}", code=value, title=label)
        for value, label in Agreement.Category.choices
        if value in used
    ]
    if "" in used:  # no filter lists these: their segments link nowhere
        series.append(Series(_("none yet"), "chart-none", title=_("No principal party yet")))
    years = Chart(
        slug="years",
        title=_("Agreements per year, by category"),
        description=_(
            "Each bar is a year, divided by the category of cooperation: KSDD with another "
            "Indonesian region, KSDPK with a third party in Indonesia, KSDPL with a regional "
            "government abroad, KSDLL with an institution abroad."
        ),
        row_header=_("Year"),
        series=series,
        rows=[
            _row(
                str(year),
                _link(agreements, base, year=year),
                [
                    Cell(
                        counts.get(s.code, 0),
                        _link(agreements, base, year=year, category=s.code) if s.code else None,
                        s,
                    )
                    for s in series
                ],
            )
            for year, counts in _every_year(numbers["years"])
        ],
    )
    one = Series(_("Agreements"), "chart-count")
    stages = Chart(
        slug="stages",
        title=_("Agreements by stage"),
        description=_("How many agreements are at each stage of the life cycle."),
        row_header=_("Stage"),
        series=[one],
        rows=[
            _row(label, _link(agreements, base, stage=value), [Cell(n, None, one)])
            for value, label in Agreement.Stage.choices
            if (n := numbers["stages"].get(value, 0))
        ],
    )
    follow_up_series = Series(_("Follow-ups"), "chart-follow-up")
    follow_ups = Chart(
        slug="follow-ups",
        title=_("Follow-up actions by status"),
        description=_("The follow-up actions of these agreements, by their status."),
        row_header=_("Status"),
        series=[follow_up_series],
        rows=[
            _row(
                label,
                _link("cooperation:followup_list", base, status=value),
                [Cell(n, None, follow_up_series)],
            )
            for value, label in FollowUp.Status.choices
            if (n := numbers["follow_ups"].get(value, 0))
        ],
    )
    yearly_series = Series(_("A year (recurring terms)"), "chart-money-yearly")
    once_series = Series(_("Once (one-off terms)"), "chart-money-once")
    money = Chart(
        slug="money",
        title=_("Money agreed, by year of the agreement"),
        description=_(
            "The amounts of the payments, aid and compensation agreed in each year's "
            "agreements: recurring amounts as a total a year (a month's amount twelve times), "
            "one-off amounts apart."
        ),
        row_header=_("Year"),
        series=[yearly_series, once_series],
        money=True,
        stacked=False,
        rows=[
            Row(
                str(year),
                _link(agreements, base, year=year, money_terms="on"),
                [Cell(yearly, None, yearly_series), Cell(once, None, once_series)],
                total=n,
            )
            for year, yearly, once, n in numbers["money"]
        ],
    )
    region_series = Series(_("Agreements"), "chart-region")
    regions = Chart(
        slug="regions",
        title=_("Provinces with the most agreements")
        if not base.get("region")
        else _("Regions with the most agreements, within the region chosen"),
        description=_(
            "The agreements that concern each region: as a party, the venue or the site."
        ),
        row_header=_("Region"),
        series=[region_series],
        rows=[
            _row(
                str(Region(code=code, name=name, kind=kind)),
                _link(agreements, base, region=code),
                [Cell(n, None, region_series)],
            )
            for code, name, kind, n in numbers["regions"]
        ],
    )
    country_series = Series(_("Agreements"), "chart-country")
    country_rows = [
        _row(
            str(countries.name(code)) or code,
            _link(agreements, base, country=code),
            [Cell(n, None, country_series)],
        )
        for code, n in numbers["countries"]
    ]
    partner_countries = Chart(
        slug="countries",
        title=_("Partner countries"),
        description=_("The countries of the partners abroad, by the number of agreements."),
        row_header=_("Country"),
        series=[country_series],
        rows=country_rows,
    )
    charts = [years, stages, follow_ups, money, regions, partner_countries]
    for chart in charts:
        for row in chart.rows:
            for cell in row.cells:
                if cell.url is None and len(chart.series) == 1:
                    cell.url = row.url  # a one-series bar is its row
        chart.csv_url = _csv_url(chart.slug, base)
        chart.layout()
    return charts


CHART_SLUGS = ("years", "stages", "follow-ups", "money", "regions", "countries")


def chart_table(chart):
    """A chart's table as plain values: headers, then a row per bar (the money as numbers)."""
    headers = [chart.row_header, *(series.label for series in chart.series)]
    if chart.show_total:
        headers.append(_("Total"))
    if chart.money:
        headers.append(_("Agreements with money terms"))
    rows = []
    for row in chart.rows:
        values = [row.label, *(_plain_number(cell.value) for cell in row.cells)]
        if chart.show_total or chart.money:
            values.append(_plain_number(row.total))
        rows.append(values)
    return headers, rows


def _plain_number(value):
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return str(value)


def write_csv(chart, file):
    """The chart's table as CSV, with the byte-order mark the list exports have."""
    from .exports import BOM

    file.write(BOM)
    writer = csv.writer(file)
    headers, rows = chart_table(chart)
    writer.writerow(headers)
    writer.writerows(rows)
