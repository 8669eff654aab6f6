"""The admin of regions, organisations, officials, positions and tenures."""

import datetime

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from regions.models import Organisation, Person, Position, Region, Tenure

REGIONS_ADMINS = sorted(
    (model for model in admin.site._registry if model._meta.app_label == "regions"),
    key=lambda model: model._meta.model_name,
)


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def superuser_client(client, admin_user):
    client.force_login(admin_user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def make_rows(make_province, make_region, make_government, make_organisation, make_person):
    """``make_rows(Model)`` adds one row of ``Model`` with its relations filled in."""

    def make_tenure_row():
        person = make_person(honorific_prefix="H.", honorific_suffix="S.E.")
        position = Position.objects.create(
            slug=f"jabatan-{person.slug}",
            title=f"Bupati {person.slug}",
            organisation=make_government(),
        )
        Tenure.objects.create(
            person=person, position=position, start_date=datetime.date(2021, 2, 26)
        )
        return Tenure.objects.get(person=person)

    def make_person_row():
        return make_tenure_row().person

    def make_position_row():
        return make_tenure_row().position

    def make_organisation_row():
        government = make_government()
        return make_organisation(
            kind=Organisation.Kind.REGIONAL_AGENCY, parent=government, region=government.region
        )

    builders = {
        Region: make_region,
        Organisation: make_organisation_row,
        Person: make_person_row,
        Position: make_position_row,
        Tenure: make_tenure_row,
    }

    def make(model):
        return builders[model]()

    return make


def test_every_regions_model_is_registered_with_history():
    assert set(REGIONS_ADMINS) == {Region, Organisation, Person, Position, Tenure}
    for model in REGIONS_ADMINS:
        assert hasattr(admin.site._registry[model], "history_view")


@pytest.mark.parametrize("model", REGIONS_ADMINS, ids=lambda model: model._meta.model_name)
def test_changelist_add_and_change_pages_open_for_a_superuser(superuser_client, make_rows, model):
    obj = make_rows(model)

    changelist = superuser_client.get(admin_url(model, "changelist"))
    add = superuser_client.get(admin_url(model, "add"))
    change = superuser_client.get(admin_url(model, "change", obj.pk))
    history = superuser_client.get(admin_url(model, "history", obj.pk))

    assert changelist.status_code == 200
    assert str(obj) in changelist.content.decode()
    assert add.status_code == 200
    assert f"Add {model._meta.verbose_name}" in add.content.decode()
    assert change.status_code == 200
    assert f"Change {model._meta.verbose_name}" in change.content.decode()
    assert history.status_code == 200
    assert "Added" in history.content.decode() or "Created" in history.content.decode()


@pytest.mark.parametrize("model", REGIONS_ADMINS, ids=lambda model: model._meta.model_name)
def test_admin_pages_send_an_anonymous_visitor_to_the_login_page(client, make_rows, model):
    obj = make_rows(model)

    for url in (
        admin_url(model, "changelist"),
        admin_url(model, "add"),
        admin_url(model, "change", obj.pk),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('admin:login')}?next={url}"


@pytest.mark.parametrize("model", REGIONS_ADMINS, ids=lambda model: model._meta.model_name)
def test_changelist_sorts_by_every_column(superuser_client, make_rows, model):
    first, second = make_rows(model), make_rows(model)
    columns = len(admin.site._registry[model].list_display)

    for index in range(1, columns + 1):
        for order in (str(index), f"-{index}"):
            response = superuser_client.get(admin_url(model, "changelist"), {"o": order})
            assert response.status_code == 200
            assert {first, second} <= set(response.context["cl"].result_list)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("model", REGIONS_ADMINS, ids=lambda model: model._meta.model_name)
def test_changelist_queries_do_not_grow_with_the_rows(superuser_client, make_rows, model):
    url = admin_url(model, "changelist")
    make_rows(model)
    superuser_client.get(url)  # warm the caches (content types, session)
    with_one = count_queries(superuser_client, url)

    for _ in range(19):
        make_rows(model)
    with_twenty = count_queries(superuser_client, url)

    assert model.objects.count() >= 20
    assert with_twenty == with_one


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
