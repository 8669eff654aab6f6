"""The cooperation network page: who cooperates with whom, nationally and within a province,
and the tile map of the provinces (cooperation/network.py)."""

import datetime
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from cooperation import network
from cooperation.models import Agreement
from regions.models import Organisation
from tests.helpers import html

NETWORK = reverse("cooperation:network")


def network_url(province=None, **query):
    from django.http import QueryDict

    url = reverse("cooperation:network_province", args=[province]) if province else NETWORK
    params = QueryDict(mutable=True)
    params.update(query)
    return f"{url}?{params.urlencode()}" if query else url


@pytest.fixture
def cooperation(banten, make_province, make_region, make_government, make_organisation):
    """Banten (its province, Kabupaten Serang, Kota Serang) and Jawa Barat (Kabupaten
    Bandung), a ministry and an institution abroad, and their agreements:

    - 2023, KSDD: Kabupaten Serang and Kabupaten Bandung;
    - 2024, KSDD: the provinces of Banten and Jawa Barat; and the same again, a draft;
    - 2025, KSDLL: Kabupaten Serang and an institution in Beijing;
    - 2025, KSDD: Kabupaten Serang and Kota Serang, with a ministry as facilitator.
    """
    return banten | _more(make_province, make_region, make_government, make_organisation)


def _more(make_province, make_region, make_government, make_organisation):
    jabar = make_province(code="32", name="Jawa Barat")
    bandung = make_region(province=jabar, code="32.04", name="Kabupaten Bandung")
    return {
        "jabar": jabar,
        "bandung": bandung,
        "pemprov_jabar": make_government(region=jabar, name="Pemerintah Provinsi Jawa Barat"),
        "pemkab_bandung": make_government(region=bandung, name="Pemerintah Kabupaten Bandung"),
        "beijing": make_organisation(
            slug="iastic-beijing",
            name="IASTIC Beijing",
            kind=Organisation.Kind.INSTITUTION,
            country="CN",
        ),
        "ministry": make_organisation(
            slug="kemendagri",
            name="Kementerian Dalam Negeri",
            short_name="Kemendagri",
            kind=Organisation.Kind.MINISTRY,
        ),
    }


@pytest.fixture
def agreements(cooperation, make_agreement):
    c = cooperation
    return {
        "serang_bandung": make_agreement(
            date=datetime.date(2023, 1, 30), parties=[c["pemkab"], c["pemkab_bandung"]]
        ),
        "provinces": make_agreement(
            date=datetime.date(2024, 5, 2), parties=[c["pemprov"], c["pemprov_jabar"]]
        ),
        "draft": make_agreement(
            date=datetime.date(2024, 6, 2),
            parties=[c["pemprov"], c["pemprov_jabar"]],
            is_published=False,
        ),
        "beijing": make_agreement(
            date=datetime.date(2025, 3, 1), parties=[c["pemkab"], (c["beijing"], "participant")]
        ),
        "serang": make_agreement(
            date=datetime.date(2025, 8, 1),
            parties=[c["pemkab"], c["pemkot"], (c["ministry"], "facilitator")],
        ),
    }


def pairs(response):
    """{(one, other): count} of the network's table of links, as names."""
    return {
        (edge.source.name, edge.target.name): edge.count
        for edge in response.context["network"].pairs
    }


def list_count(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.context["paginator"].count


def test_national_network_links_provinces_and_partners_by_their_agreements(client, agreements):
    response = client.get(NETWORK)

    assert pairs(response) == {
        ("Provinsi Banten", "Provinsi Jawa Barat"): 2,  # the regencies' and the provinces'
        ("Provinsi Banten", "IASTIC Beijing"): 1,
        ("Provinsi Banten", "Kementerian Dalam Negeri"): 1,
    }
    page = html(response)
    assert "Jaringan kerja sama" in page
    # The drawing names each link with its number, for readers who cannot see it.
    assert "Provinsi Banten dan Provinsi Jawa Barat: 2 kerja sama" in page


def test_within_a_province_its_regencies_link_to_each_other_other_provinces_and_partners(
    client, agreements
):
    response = client.get(network_url("36"))

    assert pairs(response) == {
        ("Kabupaten Serang", "Provinsi Jawa Barat"): 1,
        ("Kabupaten Serang", "Kota Serang"): 1,
        ("Kabupaten Serang", "IASTIC Beijing"): 1,
        ("Kabupaten Serang", "Kementerian Dalam Negeri"): 1,
        ("Kota Serang", "Kementerian Dalam Negeri"): 1,
    }
    assert "Jaringan kerja sama di Provinsi Banten" in html(response)


def test_every_link_node_and_tile_leads_to_the_list_with_the_same_count(client, agreements):
    for url in (network_url(), network_url("36"), network_url(year="2025")):
        data = client.get(url).context["network"]
        items = [*data.pairs, *data.nodes, *data.tiles]
        assert items
        for item in items:
            assert list_count(client, item.url) == item.count, item.url


def test_partners_keep_their_share_of_the_table_beside_busier_links_between_regions(
    client, agreements, cooperation, make_province, make_government, make_agreement, monkeypatch
):
    bengkulu = make_government(region=make_province(code="17", name="Bengkulu"))
    for _ in range(2):
        make_agreement(parties=[cooperation["pemprov"], bengkulu])
    monkeypatch.setattr(network, "TABLE_PAIRS", 2)
    monkeypatch.setattr(network, "TABLE_PARTNER_PAIRS", 1)

    response = client.get(NETWORK)

    shown = pairs(response)
    assert len(shown) == 2
    assert ("Provinsi Banten", "Provinsi Jawa Barat") in shown
    assert {"IASTIC Beijing", "Kementerian Dalam Negeri"} & {other for _one, other in shown}
    assert response.context["network"].pair_count == 4
    assert "Ditampilkan 2 hubungan terkuat dari 4 hubungan." in html(response)


def test_links_keep_the_filters_and_are_built_as_query_strings(client, agreements):
    data = client.get(network_url("36", year="2025", category="KSDD")).context["network"]

    urls = [edge.url for edge in data.pairs]
    assert urls  # Kabupaten Serang and Kota Serang, and the ministry
    assert all(re.search(r"[?&]year=2025(&|$)", url) for url in urls)
    assert all(re.search(r"[?&]category=KSDD(&|$)", url) for url in urls)
    assert any("partner_region=36.73" in url for url in urls)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"year": "2023"}, {("Provinsi Banten", "Provinsi Jawa Barat"): 1}),
        ({"category": "KSDLL"}, {("Provinsi Banten", "IASTIC Beijing"): 1}),
        (
            {"year": "2025", "category": "KSDD"},
            {("Provinsi Banten", "Kementerian Dalam Negeri"): 1},
        ),
        ({"year": "2010"}, {}),
    ],
)
def test_year_and_category_filter_the_network(client, agreements, query, expected):
    response = client.get(network_url(**query))

    assert pairs(response) == expected
    if not expected:
        assert "Tidak ada kerja sama" in html(response)


def test_the_filter_form_is_the_lists_year_and_category(client, agreements):
    response = client.get(NETWORK)

    assert list(response.context["filter"].form.fields) == ["year", "category"]
    assert 'name="year"' in html(response)
    assert 'name="q"' not in html(response)


def test_drafts_count_for_staff_only(client, admin_client, agreements):
    assert pairs(client.get(NETWORK))[("Provinsi Banten", "Provinsi Jawa Barat")] == 2
    assert pairs(admin_client.get(NETWORK))[("Provinsi Banten", "Provinsi Jawa Barat")] == 3


@pytest.mark.parametrize("query", [{"year": "abc"}, {"year": "99999"}, {"category": "nope"}])
def test_bad_filter_input_shows_the_form_error_and_the_unfiltered_network(
    client, agreements, query
):
    response = client.get(network_url(**query))

    assert response.status_code == 200
    assert response.context["filter"].form.errors
    assert "Jaringan di bawah ini tidak difilter." in html(response)
    assert pairs(response)[("Provinsi Banten", "Provinsi Jawa Barat")] == 2


@pytest.mark.parametrize("code", ["36.04", "99", "x"])
def test_a_network_within_anything_but_a_province_is_404(client, agreements, code):
    assert client.get(network_url(code)).status_code == 404


def test_the_map_colours_provinces_by_activity_with_a_legend_and_a_table(client, agreements):
    response = client.get(NETWORK)
    data = response.context["network"]

    tiles = {tile.code: tile for tile in data.tiles}
    assert tiles["36"].count == 4 and tiles["32"].count == 2
    assert tiles["36"].activity > tiles["32"].activity > 0
    assert tiles["36"].network_url == reverse("cooperation:network_province", args=["36"])
    page = html(response)
    assert 'class="tile tile-a' in page
    assert "Provinsi menurut keaktifan" in page
    # The legend's classes cover the counts.
    assert data.legend[0] == (0, 0, 0)
    assert data.legend[-1][2] == 4


def test_the_drawings_respect_the_content_security_policy_and_have_text_alternatives(
    client, agreements
):
    page = html(client.get(NETWORK))

    assert "style=" not in page
    assert "<script" not in page.split("<main", 1)[1]
    for svg in re.findall(r"<svg.*?</svg>", page, re.S):
        assert re.search(r'<svg[^>]*aria-labelledby="[^"]+"', svg)
        assert "<title" in svg and "<desc" in svg
        # Numbers as the SVG standard writes them, whatever the language (no "12,5").
        assert not re.search(r'(?:x|y|cx|cy)="-?\d+,\d', svg)


def test_the_tile_grid_places_every_province_of_the_fixture_once():
    regions = json.loads(Path(settings.BASE_DIR, "fixtures", "regions.json").read_text())
    codes = {row["fields"]["code"] for row in regions if row["fields"]["kind"] == "province"}

    assert set(network.TILE_GRID) == codes
    places = [(column, row) for column, row, _label in network.TILE_GRID.values()]
    assert len(set(places)) == len(places)


def test_the_network_is_computed_once_per_data_change(
    client, agreements, cooperation, make_agreement, django_assert_num_queries
):
    client.get(NETWORK)
    with django_assert_num_queries(1):  # the data version only
        response = client.get(NETWORK)
    assert pairs(response)[("Provinsi Banten", "Provinsi Jawa Barat")] == 2

    make_agreement(parties=[cooperation["pemkot"], cooperation["pemkab_bandung"]])

    assert pairs(client.get(NETWORK))[("Provinsi Banten", "Provinsi Jawa Barat")] == 3


def test_an_edit_of_an_agreement_refreshes_the_network(client, agreements):
    assert pairs(client.get(network_url(year="2023")))

    agreement = agreements["serang_bandung"]
    agreement.date = datetime.date(2022, 1, 1)
    agreement.save()

    assert pairs(client.get(network_url(year="2023"))) == {}


@pytest.fixture
def many(banten, make_agreement, make_government, make_organisation):
    """``n`` agreements of Kabupaten Serang, each with a new region's government and a new
    partner that acts for no region."""

    def make(n):
        for _ in range(n):
            partner = make_organisation(kind=Organisation.Kind.MINISTRY)
            make_agreement(
                parties=[banten["pemkab"], make_government(), (partner, "participant")],
                kind=Agreement.Kind.JOINT_AGREEMENT,
            )

    return make


@pytest.mark.parametrize("rows", [1, 30])
@pytest.mark.parametrize(
    ("url", "province_queries"), [(network_url(), 0), (network_url("36", year="2025"), 1)]
)
def test_network_query_count_does_not_grow_with_rows(
    client, many, django_assert_num_queries, rows, url, province_queries
):
    many(rows)
    # The province asked for, the data version; on a miss: pairs of regions, of regions and
    # partners, the regions' counts, the partners' counts, the regions' and partners' names.
    with django_assert_num_queries(province_queries + 7):
        response = client.get(url)
    assert response.context["network"].pair_count >= rows
    with django_assert_num_queries(province_queries + 1):
        client.get(url)
