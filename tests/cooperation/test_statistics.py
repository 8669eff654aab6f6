"""The statistics page: charts of the agreements a reader may see, filtered as the list is,
each bar a link to the list it counts, each chart's numbers as a table and as CSV."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from cooperation.models import Agreement, FollowUp, Term
from regions.models import Organisation
from tests.helpers import html

STATISTICS = reverse("cooperation:statistics")


def chart(response, slug):
    return next(item for item in response.context["charts"] if item.slug == slug)


def table(chart_):
    """{row label: [cell values]}"""
    return {row.label: [cell.value for cell in row.cells] for row in chart_.rows}


@pytest.fixture
def catalogue(banten, make_agreement, make_organisation, make_follow_up, make_term):
    """Agreements of Kabupaten and Kota Serang (Banten) in 2024 and 2025, one with a partner
    abroad, with follow-ups and money terms; and a draft."""
    abroad = make_organisation(
        name="Kota Kitakyushu", kind=Organisation.Kind.REGIONAL_GOVERNMENT, country="JP"
    )
    ksdd_2024 = make_agreement(
        date=datetime.date(2024, 3, 1), parties=[banten["pemkab"], banten["pemkot"]]
    )
    ksdd_2025 = make_agreement(
        date=datetime.date(2025, 5, 1),
        stage=Agreement.Stage.IMPLEMENTATION,
        parties=[banten["pemkab"], banten["pemprov"]],
    )
    ksdpl_2025 = make_agreement(date=datetime.date(2025, 8, 1), parties=[banten["pemkot"], abroad])
    make_follow_up(ksdd_2024, status=FollowUp.Status.DONE)
    make_follow_up(ksdd_2025, status=FollowUp.Status.PLANNED)
    make_follow_up(ksdpl_2025, status=FollowUp.Status.PLANNED)
    make_term(ksdd_2025, amount=1_000_000, period=Term.Period.MONTHLY)
    make_term(ksdd_2025, amount=5_000_000, period=Term.Period.ONCE)
    make_term(ksdpl_2025, amount=2_000_000, period=Term.Period.YEARLY)
    draft = make_agreement(date=datetime.date(2024, 1, 1), is_published=False)
    make_follow_up(draft, status=FollowUp.Status.CANCELLED)
    return {"ksdd_2024": ksdd_2024, "ksdd_2025": ksdd_2025, "ksdpl_2025": ksdpl_2025}


def test_statistics_count_agreements_per_year_by_category_without_drafts(client, catalogue):
    response = client.get(STATISTICS, HTTP_ACCEPT_LANGUAGE="en")

    years = chart(response, "years")
    assert [series.label for series in years.series] == ["KSDD", "KSDPL"]
    assert table(years) == {"2024": [1, 0], "2025": [1, 1]}  # the draft of 2024 is not counted
    assert [row.total for row in years.rows] == [1, 2]
    assert table(chart(response, "stages")) == {
        "joint agreement signed": [2],
        "in implementation": [1],
    }
    assert table(chart(response, "follow-ups")) == {"planned": [2], "done": [1]}
    page = html(response)
    assert "Agreements per year, by category: the numbers" in page
    assert '<abbr title="KSDPL: with a regional government abroad">KSDPL</abbr>' in page


def test_statistics_total_money_a_year_and_one_off_by_year(client, catalogue):
    response = client.get(STATISTICS, HTTP_ACCEPT_LANGUAGE="en")

    money = chart(response, "money")
    # 2025: Rp1,000,000 a month (12 million a year) and Rp2,000,000 a year; Rp5,000,000 once.
    assert table(money) == {"2025": [Decimal(14_000_000), Decimal(5_000_000)]}
    assert [row.total for row in money.rows] == [2]  # agreements with money terms
    assert "IDR 14 million" in html(response)


def test_statistics_rank_provinces_and_partner_countries(client, catalogue):
    response = client.get(STATISTICS, HTTP_ACCEPT_LANGUAGE="en")

    assert table(chart(response, "regions")) == {"Provinsi Banten": [3]}
    assert table(chart(response, "countries")) == {"Japan": [1]}


def test_a_province_filter_counts_its_agreements_and_ranks_its_regencies_and_cities(
    client, catalogue, make_agreement
):
    make_agreement(date=datetime.date(2025, 1, 1))  # elsewhere

    response = client.get(STATISTICS, {"region": "36"}, HTTP_ACCEPT_LANGUAGE="en")

    assert table(chart(response, "years")) == {"2024": [1, 0], "2025": [1, 1]}
    assert table(chart(response, "regions")) == {"Kabupaten Serang": [2], "Kota Serang": [2]}
    assert chart(response, "regions").title == (
        "Regions with the most agreements, within the region chosen"
    )


def test_year_and_category_filters_are_the_lists_own(client, catalogue):
    response = client.get(
        STATISTICS, {"year": "2025", "category": "KSDD"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert table(chart(response, "years")) == {"2025": [1]}
    assert table(chart(response, "stages")) == {"in implementation": [1]}
    # The page offers the list's filters for region, year and category, and no other.
    assert list(response.context["filter"].form.fields) == ["region", "year", "category"]


def test_a_year_without_agreements_is_shown_as_an_empty_bar(client, make_agreement):
    make_agreement(date=datetime.date(2021, 1, 1))
    make_agreement(date=datetime.date(2023, 1, 1))

    response = client.get(STATISTICS)

    assert [row.label for row in chart(response, "years").rows] == ["2021", "2022", "2023"]


def links_of(response):
    """(url, the number it shows) of every count in the charts that links to a list."""
    found = []
    for item in response.context["charts"]:
        if item.money:
            continue
        for row in item.rows:
            found.append((row.url, row.total))
            found += [(cell.url, cell.value) for cell in row.cells if cell.url]
    return found


@pytest.mark.parametrize("filters", [{}, {"region": "36", "year": "2025"}, {"category": "KSDD"}])
def test_every_chart_link_leads_to_a_list_of_as_many_rows_as_it_counts(client, catalogue, filters):
    response = client.get(STATISTICS, filters)

    links = links_of(response)
    assert len(links) > 8
    for url, count in links:
        listed = client.get(url)
        assert listed.status_code == 200, url
        assert listed.context["paginator"].count == count, url
        for name, value in filters.items():
            assert f"{name}={value}" in url


def test_a_money_bar_leads_to_the_years_agreements_with_money_terms(client, catalogue):
    response = client.get(STATISTICS)

    (row,) = chart(response, "money").rows
    listed = client.get(row.url)
    assert {a.pk for a in listed.context["page_obj"]} == {
        catalogue["ksdd_2025"].pk,
        catalogue["ksdpl_2025"].pk,
    }


def test_charts_are_svg_images_with_text_alternatives_and_no_inline_style(client, catalogue):
    page = html(client.get(STATISTICS, HTTP_ACCEPT_LANGUAGE="en"))

    svgs = re.findall(r"<svg[^>]*>.*?</svg>", page, flags=re.S)
    assert len(svgs) == 6
    for svg in svgs:
        slug = re.search(r'<g role="img" aria-labelledby="chart-([\w-]+)-title', svg).group(1)
        assert f'<title id="chart-{slug}-title">' in svg
        assert f'<desc id="chart-{slug}-desc">' in svg
        assert "style=" not in svg
        assert "<a href=" in svg
    assert "<script" not in page.split("<main", 1)[1]
    # Widths are numbers the browser reads, whatever the language's decimal comma.
    indonesian = html(client.get(STATISTICS))
    assert re.search(r'width="\d+\.\d+%"', indonesian)
    assert not re.search(r'width="\d+,\d+%"', indonesian)


def test_each_chart_has_a_csv_download_of_its_table(client, catalogue):
    response = client.get(STATISTICS, {"year": "2025"}, HTTP_ACCEPT_LANGUAGE="en")
    url = chart(response, "years").csv_url
    assert url.startswith(reverse("cooperation:statistics_csv", args=["years"]))

    download = client.get(url)

    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in download["Content-Disposition"]
    text = download.content.decode("utf-8")
    assert text.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(text.lstrip("\ufeff")))) == [
        ["Year", "KSDD", "KSDPL", "Total"],
        ["2025", "1", "1", "2"],
    ]


def test_the_money_csv_has_exact_amounts(client, catalogue):
    download = client.get(reverse("cooperation:statistics_csv", args=["money"]), {"lang": "en"})

    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8").lstrip("\ufeff"))))
    assert rows == [
        ["Year", "A year (recurring terms)", "Once (one-off terms)", "Agreements with money terms"],
        ["2025", "14000000", "5000000", "2"],
    ]


def test_csv_of_an_unknown_chart_is_404(client, db):
    assert client.get(reverse("cooperation:statistics_csv", args=["nothing"])).status_code == 404


@pytest.mark.parametrize(
    "filters", [{"year": "abc"}, {"region": "Atlantis"}, {"category": "XYZ"}, {"year": "99999"}]
)
def test_a_bad_filter_shows_the_form_error_and_no_chart(client, catalogue, filters):
    response = client.get(STATISTICS, filters)

    assert response.status_code == 200
    assert response.context["charts"] == []
    assert response.context["filter"].form.errors
    assert 'role="alert"' in html(response)
    download = client.get(reverse("cooperation:statistics_csv", args=["years"]), filters)
    assert download.status_code == 400


def test_staff_see_drafts_counted(client, catalogue, django_user_model):
    staff = django_user_model.objects.create_user("staf", password="x", is_staff=True)
    client.force_login(staff)

    response = client.get(STATISTICS)

    assert table(chart(response, "years"))["2024"] == [2, 0]


def test_a_change_to_the_data_shows_at_once(client, catalogue, make_agreement):
    client.get(STATISTICS)
    make_agreement(date=datetime.date(2024, 6, 1))

    response = client.get(STATISTICS)

    assert table(chart(response, "years"))["2024"] == [2, 0]


@pytest.mark.parametrize("rows", [1, 30])
def test_statistics_query_count_does_not_grow_with_rows(
    client, make_agreement, make_follow_up, make_term, django_assert_num_queries, rows
):
    for i in range(rows):
        agreement = make_agreement(date=datetime.date(2020 + i % 6, 1, 1))
        make_follow_up(agreement)
        make_term(agreement)
    # The data version, then (not cached yet) agreements by year, category and stage,
    # follow-ups by status, money by year, provinces, countries.
    with django_assert_num_queries(6):
        client.get(STATISTICS)
    with django_assert_num_queries(1):  # cached: the data version alone
        client.get(STATISTICS)
    code = agreement.region_links.first().region.code
    with django_assert_num_queries(7):  # a region filter finds its region first
        client.get(STATISTICS, {"region": code})
