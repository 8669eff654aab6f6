"""The agreement and follow-up filters, as a reader uses them through the list pages."""

import datetime
import re

import pytest
from django.urls import reverse

from cooperation.models import Agreement, FollowUp
from regions.models import Organisation


@pytest.fixture
def elsewhere(make_province, make_region, make_government):
    province = make_province(code="17", name="Bengkulu")
    return make_government(
        region=make_region(province=province, code="17.71", name="Kota Bengkulu", kind="city"),
        name="Pemerintah Kota Bengkulu",
    )


def titles(client, **params):
    response = client.get(reverse("cooperation:agreement_list"), params)
    assert response.status_code == 200
    return [agreement.title for agreement in response.context["object_list"]]


def test_region_filter_on_a_province_includes_its_regencies_and_cities(
    client, banten, elsewhere, make_agreement
):
    make_agreement(title="Kabupaten", parties=[banten["pemkab"], elsewhere])
    make_agreement(title="Provinsi", parties=[banten["pemprov"]])
    make_agreement(title="Lain", parties=[elsewhere])

    assert sorted(titles(client, region="36")) == ["Kabupaten", "Provinsi"]
    assert titles(client, region="36.04") == ["Kabupaten"]


def test_region_filter_counts_an_agency_for_its_government_s_region(
    client, banten, make_organisation, make_agreement
):
    agency = make_organisation(
        name="Bappeda Kabupaten Serang",
        kind=Organisation.Kind.REGIONAL_AGENCY,
        parent=banten["pemkab"],
    )
    make_agreement(title="Lewat dinas", parties=[agency])

    assert titles(client, region="36.04") == ["Lewat dinas"]


def test_text_search_matches_title_summary_and_party_names(
    client, banten, elsewhere, make_agreement
):
    make_agreement(title="Air bersih", parties=[elsewhere])
    make_agreement(title="Lain", summary="Tentang UMKM dan pariwisata", parties=[elsewhere])
    make_agreement(title="Dengan Serang", parties=[banten["pemkab"]])

    assert titles(client, q="air") == ["Air bersih"]
    assert titles(client, q="umkm") == ["Lain"]
    assert titles(client, q="pemkab serang") == ["Dengan Serang"]


def test_partner_filter_by_organisation_slug(client, banten, elsewhere, make_agreement):
    make_agreement(title="Dengan Bengkulu", parties=[banten["pemkab"], elsewhere])
    make_agreement(title="Sendiri", parties=[banten["pemkab"]])

    assert titles(client, partner=elsewhere.slug) == ["Dengan Bengkulu"]


def test_together_with_region_keeps_the_agreements_that_concern_both_regions(
    client, banten, elsewhere, make_agreement
):
    make_agreement(title="Serang dan Bengkulu", parties=[banten["pemkab"], elsewhere])
    make_agreement(title="Provinsi dan Bengkulu", parties=[banten["pemprov"], elsewhere])
    make_agreement(title="Kota dan Kabupaten", parties=[banten["pemkot"], banten["bappeda"]])

    assert titles(client, region="36.04", partner_region="17") == ["Serang dan Bengkulu"]
    assert sorted(titles(client, region="36", partner_region="17.71")) == [
        "Provinsi dan Bengkulu",
        "Serang dan Bengkulu",
    ]
    assert titles(client, region="36.73", partner_region="36.04") == ["Kota dan Kabupaten"]
    response = client.get(reverse("cooperation:agreement_list"), {"partner_region": "Nowhere"})
    assert "partner_region" in response.context["filter"].errors


def test_kind_stage_and_sector_filters(client, make_agreement, make_sector):
    tourism = make_sector(slug="pariwisata", name="Pariwisata")
    make_agreement(
        title="Kunjungan",
        kind=Agreement.Kind.WORKING_VISIT,
        stage=Agreement.Stage.EXPLORATION,
        sectors=[tourism],
    )
    make_agreement(title="MoU")

    assert titles(client, kind="working_visit") == ["Kunjungan"]
    assert titles(client, stage="joint_agreement_signed") == ["MoU"]
    assert titles(client, sector="pariwisata") == ["Kunjungan"]


def test_category_and_foreign_country_filters(client, banten, make_organisation, make_agreement):
    iastic = make_organisation(
        name="IASTIC Beijing", kind=Organisation.Kind.INSTITUTION, country="CN"
    )
    make_agreement(title="Dengan Beijing", parties=[banten["pemkab"], iastic])
    make_agreement(title="Antardaerah")

    assert titles(client, category="KSDLL") == ["Dengan Beijing"]
    assert titles(client, category="KSDD") == ["Antardaerah"]
    assert titles(client, country="CN") == ["Dengan Beijing"]
    response = client.get(reverse("cooperation:agreement_list"), {"country": "JP"})
    assert "country" in response.context["filter"].errors  # no partner from Japan
    assert '<option value="CN">' in response.content.decode()


def test_date_range_and_year_filters(client, make_agreement):
    make_agreement(title="2023", date=datetime.date(2023, 1, 30))
    make_agreement(title="2025", date=datetime.date(2025, 10, 24))

    assert titles(client, date_from="2024-01-01") == ["2025"]
    assert titles(client, date_to="2024-01-01") == ["2023"]
    assert titles(client, year="2023") == ["2023"]


def test_open_follow_ups_filter(client, make_agreement, make_follow_up):
    make_follow_up(make_agreement(title="Terbuka"), status=FollowUp.Status.PLANNED)
    make_follow_up(make_agreement(title="Selesai"), status=FollowUp.Status.DONE)

    assert titles(client, open_follow_ups="on") == ["Terbuka"]
    assert sorted(titles(client)) == ["Selesai", "Terbuka"]


def test_ordering_whitelist(client, make_agreement):
    make_agreement(title="B", date=datetime.date(2024, 1, 1))
    make_agreement(title="A", date=datetime.date(2025, 1, 1))

    assert titles(client) == ["A", "B"]  # newest first by default
    assert titles(client, order="title") == ["A", "B"]
    assert titles(client, order="-title") == ["B", "A"]
    assert titles(client, order="date") == ["B", "A"]
    response = client.get(
        reverse("cooperation:agreement_list"), {"order": "is_published"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Select a valid choice." in response.content.decode()
    assert list(response.context["object_list"]) == []


def test_text_filter_rejects_nul_characters_with_a_field_error(client, make_agreement):
    make_agreement(title="Apa saja")

    response = client.get(
        reverse("cooperation:agreement_list"), {"q": "a\x00b"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200
    assert response.context["filter"].errors["q"] == ["Null characters are not allowed."]
    assert list(response.context["object_list"]) == []


@pytest.mark.parametrize("name", ["region", "partner", "sector", "country", "kind", "order"])
def test_choice_filters_reject_nul_characters_before_querying(client, db, name):
    response = client.get(reverse("cooperation:agreement_list"), {name: "3\x006"})

    assert response.status_code == 200
    assert name in response.context["filter"].errors


def test_follow_up_filters_by_region_responsible_and_due_dates(
    client, banten, elsewhere, make_agreement, make_follow_up
):
    make_follow_up(
        make_agreement(parties=[banten["pemkab"]]),
        action="Di Serang",
        responsible=banten["pemkab"],
        due_date=datetime.date(2026, 1, 10),
    )
    make_follow_up(
        make_agreement(parties=[elsewhere]),
        action="Di Bengkulu",
        responsible=elsewhere,
        due_date=datetime.date(2026, 3, 10),
    )

    def actions(**params):
        response = client.get(reverse("cooperation:followup_list"), params)
        return [follow_up.action for follow_up in response.context["object_list"]]

    assert actions(region="36") == ["Di Serang"]
    assert actions(responsible=elsewhere.slug) == ["Di Bengkulu"]
    assert actions(due_from="2026-02-01") == ["Di Bengkulu"]
    assert actions(due_to="2026-02-01") == ["Di Serang"]


def test_ordering_by_stage_follows_the_life_cycle(client, make_agreement):
    make_agreement(title="Berakhir", stage=Agreement.Stage.TERMINATED)
    make_agreement(title="Penjajakan", stage=Agreement.Stage.EXPLORATION)
    make_agreement(title="PKS", stage=Agreement.Stage.COOPERATION_AGREEMENT_SIGNED)

    assert titles(client, order="stage") == ["Penjajakan", "PKS", "Berakhir"]
    assert titles(client, order="-stage") == ["Berakhir", "PKS", "Penjajakan"]


# --- The filter form, rendered from a cache while a field is empty -------------------------


def form_field(response, name):
    """The HTML of the filter form's field ``name`` (its <select> or <input>)."""
    page = response.content.decode()
    found = re.search(rf'<select name="{name}"[^>]*>.*?</select>', page, re.S) or re.search(
        rf'<input type="[a-z]+" name="{name}"[^>]*>', page
    )
    return found.group(0)


def test_a_filter_filled_in_on_one_page_is_empty_on_the_next(client, make_agreement, english):
    make_agreement(date=datetime.date(2020, 5, 1))
    url = reverse("cooperation:agreement_list")

    filled = client.get(url, {"year": "2020", "order": "title"})
    assert 'value="2020"' in form_field(filled, "year")
    assert '<option value="title" selected>' in form_field(filled, "order")

    # The empty fields come from the cache; what the last reader typed is not in them.
    for _ in range(2):
        empty = client.get(url, {"kind": Agreement.Kind.JOINT_AGREEMENT})
        assert "value=" not in form_field(empty, "year")
        assert "selected" not in form_field(empty, "order").replace('value="" selected', "")


def test_facet_counts_follow_each_page_s_results(client, make_agreement, english):
    make_agreement(kind=Agreement.Kind.JOINT_AGREEMENT, stage=Agreement.Stage.IMPLEMENTATION)
    make_agreement(kind=Agreement.Kind.JOINT_AGREEMENT, stage=Agreement.Stage.IMPLEMENTATION)
    make_agreement(kind=Agreement.Kind.EXPLORATORY_MEETING, stage=Agreement.Stage.EXPLORATION)
    url = reverse("cooperation:agreement_list")

    joint = form_field(client.get(url, {"kind": Agreement.Kind.JOINT_AGREEMENT}), "stage")
    meetings = form_field(client.get(url, {"kind": Agreement.Kind.EXPLORATORY_MEETING}), "stage")

    assert "in implementation (2)" in joint and "exploration (0)" in joint
    assert "in implementation (0)" in meetings and "exploration (1)" in meetings
    # The empty choice once, as without facets.
    assert joint.count("All stages") == 1
