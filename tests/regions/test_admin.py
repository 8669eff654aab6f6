"""The admin of regions, organisations, officials, positions and tenures."""

import datetime

from regions.models import Organisation, Person, Position, Region, Tenure
from tests.helpers import admin_url, change_form_data


def test_region_list_filters_by_kind_and_province_and_searches_code_and_name(
    superuser_client, make_province, make_region
):
    banten = make_province(code="36", name="Banten")
    make_region(province=banten, code="36.04", name="Kabupaten Serang")
    make_region(province=banten, code="36.73", name="Kota Serang", kind="city")
    jabar = make_province(code="32", name="Jawa Barat")
    make_region(province=jabar, code="32.04", name="Kabupaten Bandung")
    url = admin_url(Region, "changelist")

    cities = superuser_client.get(url, {"kind": "city"}).context["cl"].result_list
    in_banten = superuser_client.get(url, {"province": "36"}).context["cl"].result_list
    by_code = superuser_client.get(url, {"q": "32.04"}).context["cl"].result_list
    by_name = superuser_client.get(url, {"q": "serang"}).context["cl"].result_list

    assert [str(region) for region in cities] == ["Kota Serang"]
    assert [region.code for region in in_banten] == ["36.04", "36.73"]
    assert [region.code for region in by_code] == ["32.04"]
    assert [region.code for region in by_name] == ["36.04", "36.73"]


def test_person_list_shows_full_name_with_titles_and_posts(superuser_client, make_tenure):
    person = Person.objects.create(
        slug="ratu-tatu-chasanah",
        name="Ratu Tatu Chasanah",
        honorific_prefix="Hj.",
        honorific_suffix="S.E., M.AP.",
    )
    make_tenure(
        person=person,
        position=Position.objects.create(
            slug="bupati-serang",
            title="Bupati Serang",
            organisation=Organisation.objects.create(
                slug="pemerintah-uji", name="Pemerintah Uji", kind="company"
            ),
        ),
    )

    content = superuser_client.get(admin_url(Person, "changelist")).content.decode()

    assert "Hj. Ratu Tatu Chasanah, S.E., M.AP." in content
    assert "Bupati Serang" in content


def test_person_change_page_edits_tenures_inline(superuser_client, make_tenure):
    tenure = make_tenure(start_date=datetime.date(2021, 2, 26))

    response = superuser_client.get(admin_url(Person, "change", tenure.person.pk))

    formset = response.context["inline_admin_formsets"][0]
    assert formset.formset.model is Tenure
    assert formset.formset.forms[0].instance == tenure


# --- Deleting what agreements use is refused ----------------------------------------------


def test_deleting_a_region_that_agreements_use_is_refused_naming_them(
    superuser_client, make_region, make_agreement
):
    region = make_region(name="Kabupaten Serang")
    make_agreement(title="Kunjungan ke Serang", venue_region=region, parties=[])
    url = admin_url(Region, "delete", region.pk)

    page = superuser_client.get(url)
    posted = superuser_client.post(url, {"post": "yes"})

    content = page.content.decode()
    assert "would require deleting the following protected related objects" in content
    assert "Kunjungan ke Serang" in content
    assert posted.status_code == 200
    assert Region.objects.filter(pk=region.pk).exists()


def test_deleting_an_organisation_that_is_a_party_is_refused_naming_the_agreement(
    superuser_client, make_government, make_agreement
):
    government = make_government()
    make_agreement(
        title="Kesepakatan Bersama Banten dan Bengkulu", parties=[government, make_government()]
    )
    url = admin_url(Organisation, "delete", government.pk)

    page = superuser_client.get(url)
    superuser_client.post(url, {"post": "yes"})

    content = page.content.decode()
    assert "protected related objects" in content
    assert "Kesepakatan Bersama Banten dan Bengkulu" in content
    assert Organisation.objects.filter(pk=government.pk).exists()


def test_deleting_an_official_who_took_part_is_refused_naming_the_participation(
    superuser_client, make_person, make_agreement, make_participant
):
    person = make_person(name="Ratu Rachmatuzakiyah")
    make_participant(make_agreement(title="Penandatanganan PKS"), person=person)
    url = admin_url(Person, "delete", person.pk)

    page = superuser_client.get(url)
    superuser_client.post(url, {"post": "yes"})

    content = page.content.decode()
    assert "protected related objects" in content
    assert "Participant: " in content
    assert "Penandatanganan PKS" in content
    assert Person.objects.filter(pk=person.pk).exists()


def test_deleting_an_unused_region_works(superuser_client, make_region):
    region = make_region()

    response = superuser_client.post(admin_url(Region, "delete", region.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not Region.objects.filter(pk=region.pk).exists()


def test_an_agency_placed_outside_its_governments_region_is_refused_on_the_region_field(
    superuser_client, make_government, make_region
):
    government = make_government()
    elsewhere = make_region()
    url = admin_url(Organisation, "add")

    response = superuser_client.post(
        url,
        {
            "slug": "dlh-uji",
            "name": "Dinas Lingkungan Hidup",
            "kind": "regional_agency",
            "parent": government.pk,
            "region": elsewhere.pk,
            "country": "ID",
        },
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["region"]
    assert f"{elsewhere} lies outside {government}'s region" in errors["region"][0]
    assert not Organisation.objects.filter(slug="dlh-uji").exists()


def test_the_same_post_twice_from_an_unknown_start_is_refused_on_the_page(
    superuser_client, make_position
):
    post = make_position()
    add_page = superuser_client.get(admin_url(Person, "add"))
    data = change_form_data(add_page, name="Ratu Tatu Chasanah", slug="ratu-tatu-chasanah")
    data.update({"tenures-TOTAL_FORMS": "2", "tenures-0-position": str(post.pk)})
    data["tenures-1-position"] = str(post.pk)

    response = superuser_client.post(admin_url(Person, "add"), data, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "This official already holds this post from an unknown date." in (
        response.content.decode()
    )
    assert not Person.objects.filter(slug="ratu-tatu-chasanah").exists()
