"""The catalogue's pages for regions, organisations and officials."""

import datetime

import pytest
from django.urls import reverse

from cooperation.models import AgreementRelation, Participant
from cooperation.views import PREVIEW_SIZE
from regions.models import Organisation, Position
from tests.helpers import html


@pytest.fixture
def bupati_serang(banten, make_position, make_person, make_tenure):
    """Bupati Serang: Ratu Tatu Chasanah until 2025, then Ratu Rachmatuzakiyah."""
    post = make_position(
        organisation=banten["pemkab"],
        slug="bupati-serang",
        title="Bupati Serang",
        role=Position.Role.HEAD,
    )
    tatu = make_person(slug="ratu-tatu-chasanah", name="Ratu Tatu Chasanah")
    zakiyah = make_person(slug="ratu-rachmatuzakiyah", name="Ratu Rachmatuzakiyah")
    make_tenure(person=tatu, position=post, start_date=datetime.date(2021, 2, 26))
    make_tenure(person=zakiyah, position=post, start_date=datetime.date(2025, 2, 20))
    return post, tatu, zakiyah


# --- Region detail ------------------------------------------------------------------------


def test_region_detail_shows_kind_code_parent_government_and_agencies(client, banten):
    page = html(client.get(banten["kabupaten"].get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"))

    assert "<h1>Kabupaten Serang</h1>" in page
    assert "<dd>regency</dd>" in page
    assert "<dd>36.04</dd>" in page
    assert '<a href="/regions/36/">Provinsi Banten</a>' in page
    assert "Pemerintah Kabupaten Serang" in page
    assert '<a href="/organisations/bappeda-kabupaten-serang/">' in page


def test_region_page_lists_only_its_government_s_agencies_that_the_reader_may_know_of(
    client, admin_client, banten, make_agreement, make_organisation
):
    secret = make_organisation(
        name="Dinas Rahasia", kind=Organisation.Kind.REGIONAL_AGENCY, parent=banten["pemkab"]
    )
    make_agreement(parties=[secret, banten["pemkot"]], is_published=False)
    province = html(client.get(banten["province"].get_absolute_url()))
    regency = html(client.get(banten["kabupaten"].get_absolute_url()))

    assert "Pemerintah Provinsi Banten" in province
    assert "Bappeda Litbang" not in province  # the regency's agency, not the province's
    assert "Bappeda Litbang Kabupaten Serang" in regency
    assert "Dinas Rahasia" not in regency  # known only through a draft
    assert "Dinas Rahasia" in html(admin_client.get(banten["kabupaten"].get_absolute_url()))


def test_region_page_shows_its_agreements_chains_never_through_a_draft_for_visitors(
    client, admin_client, banten, make_agreement, make_government
):
    def agreement(title, year, **fields):
        return make_agreement(
            title=title,
            date=datetime.date(year, 3, 1),
            parties=[banten["pemkab"], make_government()],
            **fields,
        )

    first = agreement("KSB pengelolaan sampah", 2023)
    renewal = agreement("PKS pengelolaan sampah", 2025)
    AgreementRelation.objects.create(agreement=renewal, type="renews", earlier=first)
    AgreementRelation.objects.create(
        agreement=renewal, type="follows_up", earlier_description="Nota kesepakatan 2019"
    )
    draft = agreement("Adendum PKS (draf)", 2026, is_published=False)
    AgreementRelation.objects.create(agreement=draft, type="amends", earlier=renewal)
    secret = agreement("Rapat penjajakan tertutup", 2022, is_published=False)
    follow_on = agreement("Rapat lanjutan", 2024)
    AgreementRelation.objects.create(agreement=follow_on, type="follows_up", earlier=secret)
    unrelated = agreement("Kunjungan kerja", 2024)
    url = banten["kabupaten"].get_absolute_url()

    indonesian = html(client.get(url, HTTP_ACCEPT_LANGUAGE="id"))
    english = html(client.get(url, HTTP_ACCEPT_LANGUAGE="en"))
    staff = html(admin_client.get(url, HTTP_ACCEPT_LANGUAGE="en"))

    chains = indonesian.split('id="chains"')[1].split("</section>")[0]
    assert f'<a href="{renewal.get_absolute_url()}#related">PKS pengelolaan sampah</a>' in chains
    assert f'memperpanjang: <a href="{first.get_absolute_url()}">KSB pengelolaan sampah</a>' in (
        chains
    )
    assert 'Nota kesepakatan 2019 <span class="note">(di luar katalog)</span>' in chains
    assert "Adendum" not in indonesian and "tertutup" not in indonesian
    assert unrelated.title not in chains
    assert "Chains of agreements" in english and "renews:" in english
    staff_chains = staff.split('id="chains"')[1].split("</section>")[0]
    assert "Adendum PKS (draf)" in staff_chains and "Draft" in staff_chains
    assert "Rapat penjajakan tertutup" in staff_chains


def test_a_region_without_related_agreements_says_so(client, banten, make_agreement):
    make_agreement(parties=[banten["pemkab"], banten["pemkot"]])

    page = html(client.get(banten["kabupaten"].get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"))

    assert "No relations between agreements recorded." in page


def test_province_page_lists_its_regencies_and_cities(client, banten):
    page = html(client.get(banten["province"].get_absolute_url()))

    assert '<a href="/regions/36.04/">Kabupaten Serang</a>' in page
    assert '<a href="/regions/36.73/">Kota Serang</a>' in page


def test_a_site_in_a_district_counts_for_its_regency_and_province_pages(
    client, banten, make_agreement, make_district, make_government
):
    ciruas = make_district(regency=banten["kabupaten"], code="36.04.09", name="Ciruas")
    make_district(regency=banten["kabupaten"], code="36.04.10", name="Tanpa Kerja Sama")
    make_agreement(
        title="Pengolahan sampah di Ciruas",
        site_region=ciruas,
        parties=[make_government(), make_government()],
    )

    for region in (ciruas, banten["kabupaten"], banten["province"]):
        page = html(client.get(region.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"))
        assert "Pengolahan sampah di Ciruas" in page, region
    regency_page = html(client.get(banten["kabupaten"].get_absolute_url()))
    # The regency lists its districts that have agreements, and only those.
    assert '<a href="/regions/36.04.09/">Kecamatan Ciruas</a>' in regency_page
    assert "Tanpa Kerja Sama" not in regency_page
    district_page = html(client.get(ciruas.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"))
    assert '<a href="/regions/36.04/">Kabupaten Serang</a>' in district_page
    assert '<a href="/regions/36/">Provinsi Banten</a>' in district_page


def test_region_list_does_not_list_districts(client, banten, make_district):
    make_district(regency=banten["kabupaten"], code="36.04.09", name="Ciruas")

    page = html(client.get(reverse("regions:region_list")))

    assert "Kabupaten Serang" in page
    assert "Ciruas" not in page


def test_region_detail_lists_who_held_the_head_post_by_period(client, banten, bupati_serang):
    page = html(client.get(banten["kabupaten"].get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"))

    assert '<a href="/officials/ratu-tatu-chasanah/">Ratu Tatu Chasanah</a>' in page
    assert '<a href="/officials/ratu-rachmatuzakiyah/">Ratu Rachmatuzakiyah</a>' in page
    assert '<time datetime="2025-02-20">Thursday, 20 February 2025</time>' in page
    # The latest holder first.
    assert page.index("Ratu Rachmatuzakiyah") < page.index("Ratu Tatu Chasanah")


def test_province_page_lists_agreements_of_its_regions_but_not_drafts(
    client, banten, make_agreement
):
    make_agreement(title="Serang dan Bandung", parties=[banten["pemkab"]])
    make_agreement(title="Kota Serang", parties=[banten["pemkot"]])
    make_agreement(title="Draf", parties=[banten["pemkab"]], is_published=False)

    response = client.get(banten["province"].get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")

    page = html(response)
    assert "Serang dan Bandung" in page and "Kota Serang" in page
    assert "Draf" not in page
    assert "2 agreements" in page


def test_region_partners_are_listed_most_frequent_first(
    client, banten, make_agreement, make_government, make_organisation
):
    apkasi = make_organisation(name="Apkasi", kind=Organisation.Kind.ASSOCIATION)
    bandung = make_government(name="Pemerintah Kabupaten Bandung")
    make_agreement(parties=[banten["pemkab"], bandung])
    make_agreement(parties=[banten["pemkab"], apkasi])
    make_agreement(parties=[banten["bappeda"], apkasi])

    response = client.get(banten["kabupaten"].get_absolute_url())

    partners = [(p.name, p.agreement_count) for p in response.context["partners"]]
    assert partners == [("Apkasi", 2), ("Pemerintah Kabupaten Bandung", 1)]


def test_a_region_with_many_partners_shows_the_most_frequent_and_says_so(client, banten, populated):
    populated(PREVIEW_SIZE + 1)

    response = client.get(banten["kabupaten"].get_absolute_url())

    assert len(response.context["partners"]) == PREVIEW_SIZE
    assert f"Hanya ditampilkan {PREVIEW_SIZE} mitra dengan kerja sama terbanyak." in html(response)


def test_an_organisation_with_many_follow_ups_links_to_all_of_them(client, banten, populated):
    populated(PREVIEW_SIZE + 1)

    response = client.get(banten["pemkab"].get_absolute_url())

    assert len(response.context["follow_ups"]) == PREVIEW_SIZE
    all_of_them = reverse("cooperation:followup_list") + f"?responsible={banten['pemkab'].slug}"
    assert f'href="{all_of_them}"' in html(response)
    listed = client.get(all_of_them)
    assert listed.context["paginator"].count == PREVIEW_SIZE + 1


def test_an_organisation_with_few_follow_ups_lists_them_all_without_a_link(
    client, banten, populated
):
    populated(2)

    response = client.get(banten["pemkab"].get_absolute_url())

    assert len(response.context["follow_ups"]) == 2
    assert "?responsible=" not in html(response)


@pytest.mark.parametrize("code", ["99", "99.99", "abc", "36.4", "3604"])
def test_unknown_or_malformed_region_code_is_404(client, banten, code):
    assert client.get(f"/regions/{code}/").status_code == 404


# --- Region list --------------------------------------------------------------------------


def test_region_list_shows_provinces_with_their_regions_and_agreement_counts(
    client, banten, make_agreement
):
    make_agreement(parties=[banten["pemkab"], banten["pemkot"]])
    make_agreement(parties=[banten["pemkab"]])
    make_agreement(parties=[banten["pemkot"]], is_published=False)

    response = client.get(reverse("regions:region_list"), HTTP_ACCEPT_LANGUAGE="en")

    page = html(response)
    province = response.context["provinces"][0]
    counts = {child.code: child.agreement_count for child in province.children.all()}
    assert province.agreement_count == 2
    assert counts == {"36.04": 2, "36.73": 1}
    assert '<a href="/regions/36/">Provinsi Banten</a>' in page
    assert "2 agreements" in page
    assert '<a href="/regions/36.73/">Kota Serang</a> <span class="count">(1)</span>' in page


# --- Organisation and official ------------------------------------------------------------


def test_organisation_page_shows_positions_and_agreements_with_roles(
    client, banten, bupati_serang, make_agreement
):
    agreement = make_agreement(
        title="Kunjungan kerja", parties=[(banten["pemkab"], "host"), banten["pemkot"]]
    )
    make_agreement(title="Draf", parties=[banten["pemkab"]], is_published=False)

    page = html(client.get(banten["pemkab"].get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"))

    assert "<h1>Pemerintah Kabupaten Serang</h1>" in page
    assert "Bupati Serang" in page and "Ratu Tatu Chasanah" in page
    assert f'<a href="{agreement.get_absolute_url()}">Kunjungan kerja</a>' in page
    assert '<td data-label="Role">host</td>' in page
    assert "Draf" not in page
    assert "Bappeda Litbang Kabupaten Serang" in page  # its agency


def test_official_page_shows_positions_over_time_and_the_post_held_at_each_agreement(
    client, banten, bupati_serang, make_agreement, make_position, make_tenure
):
    post, tatu, _ = bupati_serang
    agreement = make_agreement(title="MoU 2023", date=datetime.date(2023, 1, 30))
    Participant.objects.create(agreement=agreement, person=tatu, position=post, role="signatory")

    page = html(client.get(tatu.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"))

    assert "<h1>Ratu Tatu Chasanah</h1>" in page
    assert '<time datetime="2021-02-26">Friday, 26 February 2021</time>' in page
    assert '<a href="/organisations/pemerintah-36-04/">Pemerintah Kabupaten Serang</a>' in page
    assert f'<a href="{agreement.get_absolute_url()}">MoU 2023</a>' in page
    assert '<td data-label="Position at the time">Bupati Serang</td>' in page
    assert '<td data-label="Role">signatory</td>' in page


def test_official_page_hides_agreements_that_are_drafts(client, bupati_serang, make_agreement):
    post, tatu, _ = bupati_serang
    draft = make_agreement(title="Draf MoU", is_published=False)
    Participant.objects.create(agreement=draft, person=tatu, position=post, role="signatory")

    assert "Draf MoU" not in html(client.get(tatu.get_absolute_url()))


def test_unknown_organisation_and_official_are_404(client, db):
    assert client.get("/organisations/tidak-ada/").status_code == 404
    assert client.get("/officials/tidak-ada/").status_code == 404


# --- Query counts -------------------------------------------------------------------------


@pytest.fixture
def populated(
    banten,
    make_agreement,
    make_government,
    make_person,
    make_tenure,
    make_position,
    make_follow_up,
):
    """``n`` agreements of Kabupaten Serang with a partner each, a follow-up each that its
    government is responsible for, each renewing the one before, and ``n`` officials'
    tenures."""

    def make(n):
        post = make_position(organisation=banten["pemkab"], role=Position.Role.HEAD)
        person = make_person()
        previous = None
        for i in range(n):
            agreement = make_agreement(parties=[banten["pemkab"], make_government()])
            if previous is not None:
                AgreementRelation.objects.create(
                    agreement=agreement, type="renews", earlier=previous
                )
            previous = agreement
            make_follow_up(agreement, responsible=banten["pemkab"])
            Participant.objects.create(
                agreement=agreement, person=person, position=post, role="signatory"
            )
            make_tenure(
                person=person if i == 0 else make_person(),
                position=post,
                start_date=datetime.date(2000 + i, 1, 1),
            )
        return person

    return make


@pytest.mark.parametrize("rows", [1, 50])
@pytest.mark.parametrize("kind", ["kabupaten", "province"])
def test_region_detail_query_count_does_not_grow_with_rows(
    client, banten, populated, django_assert_num_queries, rows, kind
):
    populated(rows)
    # region, then a regency's districts with agreements or a province's regencies and
    # cities, the government with its units (selectors.region_government), leaders, count,
    # page, parties, sectors, partners, relations (chains)
    with django_assert_num_queries(10):
        response = client.get(banten[kind].get_absolute_url())
    assert len(response.context["page_obj"].object_list) == min(rows, 20)
    assert len(response.context["relations"]) == min(rows - 1, PREVIEW_SIZE)


@pytest.mark.parametrize("rows", [1, 50])
def test_region_list_query_count_does_not_grow_with_rows(
    client, populated, django_assert_num_queries, rows
):
    populated(rows)
    # provinces, their children, and the agreement counts of every region (stored links)
    with django_assert_num_queries(3):
        client.get(reverse("regions:region_list"))


@pytest.mark.parametrize("rows", [1, 50])
def test_organisation_detail_query_count_does_not_grow_with_rows(
    client, banten, populated, django_assert_num_queries, rows
):
    populated(rows)
    # organisation, units, positions, tenures, count, page of parties, follow-ups (with their
    # responsible organisations and occurrences)
    with django_assert_num_queries(9):
        client.get(banten["pemkab"].get_absolute_url())


@pytest.mark.parametrize("rows", [1, 50])
def test_person_detail_query_count_does_not_grow_with_rows(
    client, populated, django_assert_num_queries, rows
):
    person = populated(rows)
    # person, tenures, count, page of participations
    with django_assert_num_queries(4):
        client.get(person.get_absolute_url())


def test_a_successor_s_start_closes_an_open_ended_term_on_the_region_page(
    client, banten, bupati_serang
):
    page = html(client.get(banten["kabupaten"].get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"))

    assert 'succeeded on <time datetime="2025-02-20">Thursday, 20 February 2025</time>' in page


def test_heads_are_listed_before_deputies(
    client, banten, bupati_serang, make_position, make_tenure
):
    wakil = make_position(
        organisation=banten["pemkab"], title="Wakil Bupati Serang", role=Position.Role.DEPUTY_HEAD
    )
    make_tenure(position=wakil, start_date=datetime.date(2025, 2, 20))

    page = html(client.get(banten["kabupaten"].get_absolute_url()))

    assert page.index("Bupati Serang</td>") < page.index("Wakil Bupati Serang</td>")
