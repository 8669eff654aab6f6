"""Region and organisation pickers: a text input that takes a code, a slug or a name (no
JavaScript needed), and the JSON suggestions the picker script shows."""

import pytest
from django.urls import reverse

from regions.models import Organisation


@pytest.fixture
def serang(make_province, make_region, make_government):
    banten = make_province(code="36", name="Banten")
    kabupaten = make_region(province=banten, code="36.04", name="Kabupaten Serang")
    kota = make_region(province=banten, code="36.73", name="Kota Serang", kind="city")
    return {
        "banten": banten,
        "kabupaten": make_government(
            region=kabupaten, name="Pemerintah Kabupaten Serang", short_name="Pemkab Serang"
        ),
        "kota": make_government(
            region=kota, name="Pemerintah Kota Serang", short_name="Pemkot Serang"
        ),
    }


def listed(client, **params):
    response = client.get(reverse("cooperation:agreement_list"), params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response


def titles(response):
    return sorted(agreement.title for agreement in response.context["object_list"])


def test_a_region_is_found_by_its_code_its_name_or_the_picker_s_text(
    client, serang, make_agreement
):
    make_agreement(title="Kabupaten", parties=[serang["kabupaten"]])
    make_agreement(title="Kota", parties=[serang["kota"]])

    for typed in ["36.04", "kabupaten serang", "Kabupaten Serang (36.04)"]:
        assert titles(listed(client, region=typed)) == ["Kabupaten"], typed
    assert titles(listed(client, region="Banten")) == ["Kabupaten", "Kota"]


def test_a_region_name_that_matches_several_lists_them(client, serang, make_agreement):
    make_agreement(parties=[serang["kabupaten"]])

    response = listed(client, region="serang")

    (error,) = response.context["filter"].errors["region"]
    assert "Several regions match" in error
    assert "Kabupaten Serang (36.04)" in error and "Kota Serang (36.73)" in error
    assert list(response.context["object_list"]) == []


def test_a_district_is_picked_by_its_code_and_named_with_its_regency(
    client, serang, make_agreement, make_district, make_government
):
    kabupaten = serang["kabupaten"].region
    district = make_district(regency=kabupaten, code="36.04.09", name="Serang")
    make_agreement(title="Di kecamatan", site_region=district, parties=[make_government()])
    make_agreement(title="Kabupaten", parties=[serang["kabupaten"]])

    # A bare name is never taken for the district of the same name.
    assert (
        "Several regions match"
        in listed(client, region="serang").context["filter"].errors["region"][0]
    )
    assert titles(listed(client, region="36.04.09")) == ["Di kecamatan"]
    # The regency's filter includes its districts.
    assert titles(listed(client, region="36.04")) == ["Di kecamatan", "Kabupaten"]
    suggestions = client.get(reverse("cooperation:pick_region"), {"q": "36.04.09"}).json()
    assert suggestions["results"] == [
        {
            "key": "36.04.09",
            "label": "Kecamatan Serang, Kabupaten Serang",
            "text": "Kecamatan Serang, Kabupaten Serang (36.04.09)",
        }
    ]


def test_a_name_that_matches_nothing_says_so(client, serang):
    response = listed(client, region="Atlantis", partner="PT Tidak Ada")

    errors = response.context["filter"].errors
    assert errors["region"] == ["No region has this code or name."]
    assert errors["partner"] == ["No organisation in the catalogue has this name or short name."]


def test_a_partner_is_found_by_its_short_name_and_shown_as_the_picker_fills_it(
    client, serang, make_agreement
):
    make_agreement(title="Dengan Pemkot", parties=[serang["kabupaten"], serang["kota"]])
    make_agreement(title="Tanpa", parties=[serang["kabupaten"]])

    response = listed(client, partner="pemkot serang")

    assert titles(response) == ["Dengan Pemkot"]
    page = response.content.decode()
    assert 'value="Pemerintah Kota Serang – Pemkot Serang (pemerintah-36-73)"' in page
    assert 'data-picker="/pick/organisations/"' in page


def test_the_follow_up_list_takes_a_responsible_organisation_by_name(
    client, serang, make_agreement, make_follow_up
):
    agreement = make_agreement(parties=[serang["kabupaten"], serang["kota"]])
    make_follow_up(agreement, action="Survei", responsible=serang["kota"])
    make_follow_up(agreement, action="Rapat", responsible=serang["kabupaten"])

    response = client.get(reverse("cooperation:followup_list"), {"responsible": "Pemkot Serang"})

    assert [follow_up.action for follow_up in response.context["object_list"]] == ["Survei"]


def suggestions(client, name, q):
    response = client.get(reverse(f"cooperation:pick_{name}"), {"q": q})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()["results"]


def test_region_suggestions_put_provinces_first(client, serang, make_province):
    make_province(code="17", name="Bengkulu")

    assert suggestions(client, "region", "banten") == [
        {"key": "36", "label": "Provinsi Banten", "text": "Provinsi Banten (36)"}
    ]
    assert [s["key"] for s in suggestions(client, "region", "serang")] == ["36.04", "36.73"]
    assert suggestions(client, "region", "s") == []  # two letters at least
    assert suggestions(client, "region", "se\x00") == []


def test_organisation_suggestions_never_name_one_known_only_through_drafts(
    client, admin_user, serang, make_agreement, make_organisation
):
    secret = make_organisation(name="PT Rahasia Serang", kind=Organisation.Kind.COMPANY)
    make_agreement(parties=[serang["kabupaten"], secret], is_published=False)
    make_agreement(parties=[serang["kabupaten"], serang["kota"]])

    for_visitors = {s["key"] for s in suggestions(client, "organisation", "serang")}
    assert for_visitors == {serang["kabupaten"].slug, serang["kota"].slug}
    response = listed(client, partner="PT Rahasia Serang")
    assert response.context["filter"].errors["partner"]

    client.force_login(admin_user)
    assert secret.slug in {s["key"] for s in suggestions(client, "organisation", "rahasia")}


# --- Facets -------------------------------------------------------------------------------


def test_choices_show_how_many_of_the_current_results_fall_under_them(
    client, serang, make_agreement, make_sector
):
    tourism = make_sector(slug="pariwisata", name="Pariwisata")
    make_agreement(title="Sampah satu", kind="working_visit", sectors=[tourism])
    make_agreement(title="Sampah dua", kind="working_visit")
    make_agreement(title="Lain", kind="joint_agreement", sectors=[tourism])

    page = listed(client, q="sampah").content.decode()

    assert '<option value="working_visit">working visit (2)</option>' in page
    assert '<option value="joint_agreement">joint agreement (Kesepakatan Bersama / MoU) (0)' in page
    assert '<option value="KSDD">KSDD: with another Indonesian region (2)</option>' in page
    assert '<option value="pariwisata">Pariwisata (1)</option>' in page
