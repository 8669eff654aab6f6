"""The admin of agreements and their parts, sectors and sources."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cooperation.models import (
    Agreement,
    Citation,
    FollowUp,
    Sector,
    Source,
)
from regions.models import Organisation
from tests.helpers import (
    admin_url,
    change_form_data,
    changelist,
    count_queries,
    html,
    inline_errors,
)

PDF = b"%PDF-1.4\n%test\n"


def test_filtered_and_searched_agreement_list_queries_do_not_grow_with_the_rows(
    superuser_client, make_agreement
):
    url = admin_url(Agreement, "changelist")
    params = (
        "?q=Kerja&category=KSDD&year=2025&is_published__exact=1&stage__exact=joint_agreement_signed"
    )
    make_agreement()
    superuser_client.get(url + params)
    with_one = count_queries(superuser_client, url + params)

    for _ in range(19):
        make_agreement()
    response = superuser_client.get(url + params)
    with_twenty = count_queries(superuser_client, url + params)

    assert response.context["cl"].result_count == 20
    assert with_twenty == with_one


def test_agreement_change_page_queries_do_not_grow_with_its_parts(
    superuser_client,
    make_agreement,
    make_government,
    make_participant,
    make_position,
    make_follow_up,
    make_source,
    make_relation,
):
    """Each inline row's autocomplete fields show the row's records as loaded with the rows,
    not one query per field per row."""

    def add_parts(agreement):
        agreement.parties.create(organisation=make_government(), role="participant")
        make_participant(agreement, position=make_position())
        make_follow_up(agreement, responsible=make_government(), source=make_source())
        Citation.objects.create(agreement=agreement, source=make_source())
        make_relation(agreement, make_agreement(date=datetime.date(2024, 1, 1)))

    agreement = make_agreement()
    add_parts(agreement)
    url = admin_url(Agreement, "change", agreement.pk)
    superuser_client.get(url)
    with_one = count_queries(superuser_client, url)

    for _ in range(9):
        add_parts(agreement)
    response = superuser_client.get(url)
    with_ten = count_queries(superuser_client, url)

    assert agreement.participants.count() == 10
    assert response.content.decode().count("selected>") >= 10 * 5  # every row's choices shown
    assert with_ten == with_one


# --- Agreement list: columns, filters, search ---------------------------------------------


@pytest.fixture
def admin_catalogue(
    make_province, make_region, make_government, make_organisation, make_agreement, make_sector
):
    """Four agreements of different kinds, stages, categories, sectors, years and regions."""
    banten = make_province(code="36", name="Banten")
    serang = make_region(province=banten, code="36.04", name="Kabupaten Serang")
    kota_serang = make_region(province=banten, code="36.73", name="Kota Serang", kind="city")
    bengkulu = make_province(code="17", name="Bengkulu")
    jabar = make_province(code="32", name="Jawa Barat")
    bandung = make_region(province=jabar, code="32.04", name="Kabupaten Bandung")
    investment = make_sector(name="Investasi", slug="investasi")
    tourism = make_sector(name="Pariwisata", slug="pariwisata")
    pemkab_serang = make_government(region=serang, name="Pemerintah Kabupaten Serang")
    pemkab_bandung = make_government(region=bandung)
    iastic = make_organisation(name="IASTIC Beijing", kind="institution", country="CN")
    apkasi = make_organisation(name="Apkasi", kind="association")
    return {
        "ksdd_provinces": make_agreement(
            title="Kesepakatan Bersama Banten dan Bengkulu",
            parties=[make_government(region=banten), make_government(region=bengkulu)],
            date=datetime.date(2025, 10, 24),
            sectors=[investment],
        ),
        "ksdll": make_agreement(
            title="Pertemuan dengan IASTIC",
            kind=Agreement.Kind.EXPLORATORY_MEETING,
            stage=Agreement.Stage.EXPLORATION,
            parties=[pemkab_serang, iastic, (apkasi, "organiser")],
            date=datetime.date(2024, 5, 2),
            sectors=[investment],
            summary="Penjajakan investasi teknologi pertanian.",
        ),
        "visit": make_agreement(
            title="Kunjungan kerja ke Kota Bandung",
            kind=Agreement.Kind.WORKING_VISIT,
            stage=Agreement.Stage.EXPLORATION,
            parties=[make_government(region=kota_serang), pemkab_bandung],
            date=datetime.date(2023, 1, 30),
            sectors=[tourism],
            is_published=False,
        ),
        "ksdpk": make_agreement(
            title="Kerja sama dengan PT Contoh",
            kind=Agreement.Kind.COOPERATION_AGREEMENT,
            stage=Agreement.Stage.IMPLEMENTATION,
            parties=[pemkab_bandung, make_organisation(name="PT Contoh")],
            date=datetime.date(2023, 6, 1),
        ),
    }


def titles(agreements):
    return sorted(agreement.title for agreement in agreements)


def test_agreement_list_shows_derived_category_and_parties(superuser_client, admin_catalogue):
    response = superuser_client.get(admin_url(Agreement, "changelist"))

    content = response.content.decode()
    assert "KSDLL: with an institution abroad" in content
    assert "KSDPK: with a third party in Indonesia" in content
    assert "Pemerintah Kabupaten Serang, IASTIC Beijing, Apkasi" in content


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind__exact": "working_visit"}, ["visit"]),
        ({"stage__exact": "exploration"}, ["ksdll", "visit"]),
        ({"category": "KSDD"}, ["ksdd_provinces", "visit"]),
        ({"category": "KSDLL"}, ["ksdll"]),
        ({"category": "KSDPK"}, ["ksdpk"]),
        ({"category": "KSDPL"}, []),
        ({"year": "2023"}, ["ksdpk", "visit"]),
        ({"is_published__exact": "0"}, ["visit"]),
        # A province includes its regencies and cities.
        ({"region": "36"}, ["ksdd_provinces", "ksdll", "visit"]),
        ({"region": "36.04"}, ["ksdll"]),
        ({"region": "32"}, ["ksdpk", "visit"]),
        ({"region": "17"}, ["ksdd_provinces"]),
    ],
)
def test_agreement_list_filters(superuser_client, admin_catalogue, params, expected):
    found = changelist(superuser_client, Agreement, **params)

    assert titles(found) == titles(admin_catalogue[key] for key in expected)


def test_agreement_list_filters_by_sector(superuser_client, admin_catalogue):
    investment = Sector.objects.get(slug="investasi")

    found = changelist(superuser_client, Agreement, sector=investment.slug)

    assert titles(found) == titles([admin_catalogue["ksdd_provinces"], admin_catalogue["ksdll"]])


def test_agreement_list_filters_by_partner_organisation(superuser_client, admin_catalogue):
    serang = Organisation.objects.get(name="Pemerintah Kabupaten Serang")

    found = changelist(superuser_client, Agreement, partner=serang.slug)

    assert titles(found) == titles([admin_catalogue["ksdll"]])


@pytest.mark.parametrize("typed", ["36.04", "Kabupaten Serang", "Kabupaten Serang (36.04)"])
def test_the_region_filter_takes_a_code_or_a_name_as_the_public_list_does(
    superuser_client, admin_catalogue, typed
):
    response = superuser_client.get(admin_url(Agreement, "changelist"), {"region": typed})

    assert titles(response.context["cl"].result_list) == titles([admin_catalogue["ksdll"]])
    # The box shows the region found as the picker fills it in, and asks the public picker.
    content = response.content.decode()
    assert 'value="Kabupaten Serang (36.04)"' in content
    assert f'data-picker="{reverse("cooperation:pick_region")}"' in content


def test_a_region_filter_that_names_several_regions_says_which_and_lists_nothing(
    superuser_client, admin_catalogue
):
    response = superuser_client.get(admin_url(Agreement, "changelist"), {"region": "Serang"})

    assert list(response.context["cl"].result_list) == []
    assert (
        "Several regions match: Kabupaten Serang (36.04), Kota Serang (36.73)."
        in response.content.decode()
    )


def test_the_partner_filter_keeps_the_other_filters(superuser_client, admin_catalogue):
    response = superuser_client.get(
        admin_url(Agreement, "changelist"), {"partner": "Apkasi", "year": "2024"}
    )

    assert titles(response.context["cl"].result_list) == titles([admin_catalogue["ksdll"]])
    assert '<input type="hidden" name="year" value="2024">' in response.content.decode()


def test_the_region_filter_lists_no_region_until_one_is_chosen(superuser_client, admin_catalogue):
    # At national scale a list of every region is what made the page time out (issue 12).
    response = superuser_client.get(admin_url(Agreement, "changelist"))

    region_filter = next(
        spec
        for spec in response.context["cl"].filter_specs
        if getattr(spec, "parameter_name", None) == "region"
    )
    assert region_filter.lookup_choices == []
    assert "js/picker.js" in response.content.decode()


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("Bengkulu", ["ksdd_provinces"]),  # title
        ("pertanian", ["ksdll"]),  # summary
        ("Apkasi", ["ksdll"]),  # a party's name
        ("IASTIC pertanian", ["ksdll"]),  # every word must match
    ],
)
def test_agreement_search_covers_title_summary_and_party_names(
    superuser_client, admin_catalogue, term, expected
):
    found = changelist(superuser_client, Agreement, q=term)

    assert titles(found) == titles(admin_catalogue[key] for key in expected)


def test_agreement_change_page_shows_the_derived_category_read_only(
    superuser_client, admin_catalogue
):
    response = superuser_client.get(admin_url(Agreement, "change", admin_catalogue["ksdll"].pk))

    form = response.context["adminform"].form
    assert "category" not in form.fields
    assert "KSDLL: with an institution abroad" in response.content.decode()


def test_publish_and_unpublish_actions_change_the_flag_and_keep_history(
    superuser_client, admin_catalogue
):
    visit = admin_catalogue["visit"]
    url = admin_url(Agreement, "changelist")

    response = superuser_client.post(
        url, {"action": "publish", "_selected_action": [visit.pk]}, follow=True
    )
    visit.refresh_from_db()
    assert visit.is_published
    assert "1 agreement was published." in response.content.decode()
    assert visit.history.first().history_user.username == "admin"

    superuser_client.post(url, {"action": "unpublish", "_selected_action": [visit.pk]})
    visit.refresh_from_db()
    assert not visit.is_published


# --- Agreement change form with inlines ---------------------------------------------------


def test_superuser_edits_an_agreement_and_its_inlines_on_one_page(
    superuser_client, make_agreement, make_source
):
    agreement = make_agreement(title="Judul lama")
    source = make_source(headline="Banten dan Bengkulu teken kerja sama")
    url = admin_url(Agreement, "change", agreement.pk)
    data = change_form_data(superuser_client.get(url), title="Judul baru")
    data.update(
        {
            "citations-TOTAL_FORMS": "1",
            "citations-0-source": str(source.pk),
            "citations-0-note": "Berita penandatanganan",
        }
    )

    response = superuser_client.post(url, data)

    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.title == "Judul baru"
    assert list(agreement.sources.all()) == [source]


def test_an_agreement_needs_at_least_two_parties(superuser_client, make_agreement):
    agreement = make_agreement()
    url = admin_url(Agreement, "change", agreement.pk)
    data = change_form_data(superuser_client.get(url))
    data["parties-1-DELETE"] = "on"

    response = superuser_client.post(url, data)

    assert response.status_code == 200
    assert "Please submit at least 2 forms." in response.content.decode()
    assert agreement.parties.count() == 2


def test_an_organisation_is_a_party_only_once(superuser_client, make_agreement):
    agreement = make_agreement()
    first, second = agreement.parties.all()
    url = admin_url(Agreement, "change", agreement.pk)
    data = change_form_data(superuser_client.get(url))
    data["parties-1-organisation"] = str(first.organisation_id)

    response = superuser_client.post(url, data)

    assert response.status_code == 200
    named = (
        f"{first.organisation.name} is already a party to this agreement: each organisation is "
        "a party once."
    )
    assert inline_errors(response) == {"parties-1-organisation": [named]}
    second.refresh_from_db()
    assert second.organisation_id != first.organisation_id


def test_a_new_agreement_naming_one_organisation_twice_is_told_which(
    superuser_client, make_government
):
    banten = make_government()
    url = admin_url(Agreement, "add")
    data = change_form_data(
        superuser_client.get(url),
        title="Kunjungan kerja",
        slug="kunjungan-kerja",
        kind=Agreement.Kind.WORKING_VISIT,
        stage=Agreement.Stage.EXPLORATION,
    )
    data.update(
        {
            "parties-TOTAL_FORMS": "2",
            "parties-0-organisation": str(banten.pk),
            "parties-0-role": "host",
            "parties-1-organisation": str(banten.pk),
            "parties-1-role": "visitor",
        }
    )

    response = superuser_client.post(url, data)

    assert response.status_code == 200
    assert inline_errors(response) == {
        "parties-1-organisation": [
            f"{banten.name} is already a party to this agreement: each organisation is a "
            "party once."
        ]
    }
    assert not Agreement.objects.filter(slug="kunjungan-kerja").exists()


def test_adding_an_agreement_with_parties_on_one_page(
    superuser_client, make_government, make_sector
):
    banten, bengkulu = make_government(), make_government()
    sector = make_sector()
    page = superuser_client.get(admin_url(Agreement, "add"))
    data = change_form_data(
        page,
        title="Kesepakatan Bersama Banten dan Bengkulu",
        slug="ksb-banten-bengkulu",
        kind="joint_agreement",
        stage="joint_agreement_signed",
        date="2025-10-24",
        sectors=[str(sector.pk)],
    )
    data.update(
        {
            "parties-TOTAL_FORMS": "2",
            "parties-0-organisation": str(banten.pk),
            "parties-0-role": "signatory",
            "parties-1-organisation": str(bengkulu.pk),
            "parties-1-role": "signatory",
        }
    )

    response = superuser_client.post(admin_url(Agreement, "add"), data)

    assert response.status_code == 302
    agreement = Agreement.objects.get(slug="ksb-banten-bengkulu")
    assert agreement.category == Agreement.Category.KSDD
    assert set(agreement.parties.values_list("organisation", flat=True)) == {
        banten.pk,
        bengkulu.pk,
    }
    assert list(agreement.sectors.all()) == [sector]


# --- History ------------------------------------------------------------------------------


def test_history_lists_a_change_with_its_user_and_revert_restores_it(
    client, django_user_model, make_agreement
):
    client.force_login(django_user_model.objects.create_superuser("petugas_ani"))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    superuser_client = client
    agreement = make_agreement(title="Judul asli")
    url = admin_url(Agreement, "change", agreement.pk)
    superuser_client.post(url, change_form_data(superuser_client.get(url), title="Judul salah"))
    original = agreement.history.earliest()

    history = superuser_client.get(admin_url(Agreement, "history", agreement.pk)).content.decode()
    assert "Judul asli" in history and "Judul salah" in history
    assert "petugas_ani" in history  # the user who made the change

    revert_url = reverse(
        "admin:cooperation_agreement_simple_history", args=[agreement.pk, original.history_id]
    )
    form_page = superuser_client.get(revert_url)
    assert "Revert" in form_page.content.decode()
    response = superuser_client.post(revert_url, change_form_data(form_page))

    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.title == "Judul asli"
    assert agreement.history.count() == 3


def test_history_in_indonesian_names_its_columns_and_shows_a_dash_for_what_is_unknown(
    superuser_client, make_agreement
):
    agreement = make_agreement()  # made outside the admin: no user, no reason

    page = superuser_client.get(
        admin_url(Agreement, "history", agreement.pk), HTTP_ACCEPT_LANGUAGE="id"
    )

    cells = [cell.strip() for cell in html(page).split("<td>")]
    assert "Perubahan</th>" in page.content.decode()
    assert "None" not in page.content.decode()
    assert sum(cell.startswith("—") for cell in cells) == 2  # changed by, change reason


def test_the_published_filter_is_titled_by_publication_status(superuser_client, admin_catalogue):
    indonesian = superuser_client.get(admin_url(Agreement, "changelist"), HTTP_ACCEPT_LANGUAGE="id")
    english = superuser_client.get(admin_url(Agreement, "changelist"), HTTP_ACCEPT_LANGUAGE="en")

    assert "Berdasarkan status terbit" in indonesian.content.decode()
    assert "By publication status" in english.content.decode()


# --- Sectors, sources, follow-ups -----------------------------------------------------------


def test_deleting_a_sector_that_agreements_use_is_refused_naming_them(
    superuser_client, make_sector, make_agreement
):
    sector = make_sector(name="Pengelolaan sampah")
    make_agreement(title="Kerja sama TPAS", sectors=[sector])
    url = admin_url(Sector, "delete", sector.pk)

    page = superuser_client.get(url)
    posted = superuser_client.post(url, {"post": "yes"})

    content = page.content.decode()
    assert "would require deleting the following protected related objects" in content
    assert "Kerja sama TPAS" in content
    assert posted.status_code == 200
    assert Sector.objects.filter(pk=sector.pk).exists()


def test_bulk_deleting_sectors_in_use_is_refused_too(superuser_client, make_sector, make_agreement):
    used, unused = make_sector(), make_sector()
    make_agreement(title="Kerja sama UMKM", sectors=[used])

    response = superuser_client.post(
        admin_url(Sector, "changelist"),
        {"action": "delete_selected", "_selected_action": [used.pk, unused.pk], "post": "yes"},
    )

    assert "Kerja sama UMKM" in response.content.decode()
    assert Sector.objects.filter(pk__in=[used.pk, unused.pk]).count() == 2


def test_deleting_an_unused_sector_works(superuser_client, make_sector):
    sector = make_sector()

    response = superuser_client.post(admin_url(Sector, "delete", sector.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not Sector.objects.filter(pk=sector.pk).exists()


def test_deleting_a_source_that_agreements_cite_is_refused_naming_them(
    superuser_client, make_source, make_agreement
):
    source = make_source()
    Citation.objects.create(agreement=make_agreement(title="Kunjungan kerja"), source=source)

    page = superuser_client.get(admin_url(Source, "delete", source.pk)).content.decode()

    assert "protected related objects" in page
    assert "Kunjungan kerja" in page


def test_source_pages_show_which_agreements_cite_it(superuser_client, make_source, make_agreement):
    source = make_source(headline="Serang dan Bandung teken kerja sama")
    for title in ("Penandatanganan PKS", "Kunjungan balasan"):
        Citation.objects.create(agreement=make_agreement(title=title), source=source)

    listing = superuser_client.get(admin_url(Source, "changelist")).content.decode()
    change = superuser_client.get(admin_url(Source, "change", source.pk)).content.decode()

    for page in (listing, change):
        assert "Penandatanganan PKS" in page
        assert "Kunjungan balasan" in page


@pytest.fixture
def follow_ups(make_agreement, make_follow_up, make_organisation, today):
    agreement = make_agreement()
    bappeda = make_organisation(name="Bappeda Litbang", kind="company")
    return {
        "late": make_follow_up(
            agreement,
            action="Survei lokasi",
            due_date=today - datetime.timedelta(days=3),
            responsible=bappeda,
        ),
        "coming": make_follow_up(
            agreement, action="Kunjungan balasan", due_date=today + datetime.timedelta(days=30)
        ),
        "done": make_follow_up(
            agreement,
            action="Rapat teknis",
            due_date=today - datetime.timedelta(days=60),
            status=FollowUp.Status.DONE,
            done_on=today - datetime.timedelta(days=50),
        ),
        "undated": make_follow_up(agreement, action="Pembahasan antar-OPD"),
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"overdue": "yes"}, ["late"]),
        ({"overdue": "no"}, ["coming", "done", "undated"]),
        ({"status__exact": "done"}, ["done"]),
        ({"status__exact": "planned"}, ["coming", "late", "undated"]),
    ],
)
def test_follow_up_list_filters_by_status_and_overdue(
    superuser_client, follow_ups, params, expected
):
    found = changelist(superuser_client, FollowUp, **params)

    assert sorted(follow_up.action for follow_up in found) == sorted(
        follow_ups[key].action for key in expected
    )


def test_follow_up_list_filters_by_responsible_organisation(superuser_client, follow_ups):
    bappeda = Organisation.objects.get(name="Bappeda Litbang")

    found = changelist(superuser_client, FollowUp, responsible=bappeda.slug)

    assert found == [follow_ups["late"]]


def test_follow_up_list_marks_overdue_rows(superuser_client, follow_ups):
    response = superuser_client.get(admin_url(FollowUp, "changelist"))

    content = response.content.decode()
    assert content.count('alt="True"') == 1  # only the late survey is overdue


def test_a_deleted_agreement_is_restored_from_its_history(superuser_client, make_agreement):
    agreement = make_agreement(title="Kunjungan kerja ke Kota Bandung")
    pk = agreement.pk
    superuser_client.post(admin_url(Agreement, "delete", pk), {"post": "yes"})
    assert not Agreement.objects.filter(pk=pk).exists()
    last = Agreement.history.filter(id=pk, history_type="-").get()
    revert_url = reverse("admin:cooperation_agreement_simple_history", args=[pk, last.history_id])

    history = superuser_client.get(admin_url(Agreement, "history", pk))
    form_page = superuser_client.get(revert_url)
    response = superuser_client.post(revert_url, change_form_data(form_page))

    assert history.status_code == 200
    assert response.status_code == 302
    assert Agreement.objects.get(pk=pk).title == "Kunjungan kerja ke Kota Bandung"


def test_a_view_only_user_cannot_restore_a_deleted_agreement(
    client, django_user_model, make_agreement
):
    agreement = make_agreement()
    pk = agreement.pk
    viewer = django_user_model.objects.create_user("penonton", is_staff=True)
    viewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_agreement", "view_historicalagreement"])
    )
    agreement.delete()
    last = Agreement.history.filter(id=pk, history_type="-").get()
    revert_url = reverse("admin:cooperation_agreement_simple_history", args=[pk, last.history_id])
    client.force_login(viewer)

    response = client.post(revert_url, {"title": "Dipulihkan", "slug": "dipulihkan"})

    assert response.status_code == 403
    assert not Agreement.objects.filter(pk=pk).exists()


# --- Documents ----------------------------------------------------------------------------


def document_upload(client, agreement, upload):
    url = admin_url(Agreement, "change", agreement.pk)
    data = change_form_data(client.get(url))
    data.update(
        {
            "documents-TOTAL_FORMS": "1",
            "documents-0-type": "signed_text",
            "documents-0-title": "Naskah Kesepakatan Bersama",
            "documents-0-date": "2025-10-24",
            "documents-0-file": upload,
        }
    )
    return client.post(url, data)


def test_a_signed_pdf_is_attached_on_the_agreement_page(superuser_client, media, make_agreement):
    agreement = make_agreement()

    response = document_upload(superuser_client, agreement, SimpleUploadedFile("naskah.pdf", PDF))

    assert response.status_code == 302
    document = agreement.documents.get()
    assert document.content_type == "application/pdf"
    assert document.title == "Naskah Kesepakatan Bersama"
    assert "naskah" not in document.file.name  # stored under a generated name


def test_a_file_that_is_not_a_pdf_or_image_is_refused_with_a_message(
    superuser_client, media, make_agreement
):
    agreement = make_agreement()

    response = document_upload(
        superuser_client, agreement, SimpleUploadedFile("naskah.pdf", b"MZ not really a pdf")
    )

    assert response.status_code == 200
    assert (
        "Only PDF, PNG and JPEG files are accepted; this file&#x27;s content is none of these."
        in response.content.decode()
    )
    assert not agreement.documents.exists()
