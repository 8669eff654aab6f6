"""The catalogue's agreement pages: home, agreement list and detail, follow-up list."""

import datetime
import re

import pytest
from django.contrib.admin import AdminSite, ModelAdmin
from django.urls import include, path, reverse

from cooperation.models import Agreement, Citation, Document, Evaluation, FollowUp, Participant
from regions.models import Organisation
from tests.helpers import html

# A URLconf with an admin that edits agreements, for the staff "edit" link (the project's own
# admin registration may change; the link must follow whatever the admin offers).
_admin_site = AdminSite(name="admin")
_admin_site.register(Agreement, ModelAdmin)
urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", _admin_site.urls),
    path("api/", include("cooperation.api.urls")),  # the footer links to its documentation
    path("", include("cooperation.region_urls")),
    path("", include("cooperation.app_urls")),
]


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user("staf", is_staff=True)


@pytest.fixture
def serang(make_province, make_region, make_government):
    banten = make_province(code="36", name="Banten")
    kabupaten = make_region(province=banten, code="36.04", name="Kabupaten Serang")
    government = make_government(
        region=kabupaten, name="Pemerintah Kabupaten Serang", short_name="Pemkab Serang"
    )
    return kabupaten, government


@pytest.fixture
def bandung(make_province, make_region, make_government):
    jabar = make_province(code="32", name="Jawa Barat")
    kabupaten = make_region(province=jabar, code="32.04", name="Kabupaten Bandung")
    government = make_government(
        region=kabupaten, name="Pemerintah Kabupaten Bandung", short_name="Pemkab Bandung"
    )
    return kabupaten, government


@pytest.fixture
def signing(serang, bandung, make_agreement, make_sector):
    """Kabupaten Serang and Kabupaten Bandung sign a joint agreement on Monday 30 January 2023."""
    return make_agreement(
        title="Penandatanganan kerja sama Kabupaten Serang dan Kabupaten Bandung",
        date=datetime.date(2023, 1, 30),
        venue="Pendopo Bupati Bandung",
        venue_region=bandung[0],
        parties=[serang[1], bandung[1]],
        sectors=[make_sector(name="Pariwisata", name_en="Tourism")],
        summary="Kedua kabupaten sepakat bekerja sama.",
    )


# --- Home ----------------------------------------------------------------------------------


def test_home_key_figures_count_what_the_reader_may_see(
    client, make_agreement, make_follow_up, make_organisation, today
):
    abroad = make_organisation(kind=Organisation.Kind.UNIVERSITY, country="JP")
    signed = make_agreement(
        date=today.replace(month=2, day=1),
        valid_until=today + datetime.timedelta(days=300),
        parties=None,
    )
    signed.parties.create(organisation=abroad, role="signatory")
    make_agreement(  # a meeting this year: not signed, not in force
        kind=Agreement.Kind.EXPLORATORY_MEETING,
        stage=Agreement.Stage.EXPLORATION,
        date=today.replace(month=3, day=1),
    )
    make_agreement(  # signed last year, its validity ended
        date=today.replace(year=today.year - 1),
        valid_until=today - datetime.timedelta(days=1),
    )
    make_follow_up(signed)
    make_follow_up(signed, status=FollowUp.Status.DONE)
    draft = make_agreement(date=today, is_published=False)
    draft.parties.create(organisation=make_organisation(country="MY"), role="signatory")
    make_follow_up(draft)

    response = client.get(reverse("cooperation:home"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.context["figures"] == {
        "total": 3,
        "in_force": 1,
        "signed_this_year": 1,
        "year": today.year,
        "open_follow_ups": 1,
        "partners_abroad": 1,
    }
    page = html(response)
    assert "The catalogue holds 3 agreements" in page
    assert f"signed in {today.year}" in page


def test_home_leads_with_what_needs_action_then_figures_then_the_latest(client, make_agreement):
    make_agreement()

    page = html(client.get(reverse("cooperation:home"), HTTP_ACCEPT_LANGUAGE="en"))

    headings = [
        " ".join(text.split()) for text in re.findall(r"<h2[^>]*>(.*?)</h2>", page, flags=re.S)
    ]
    assert headings[: headings.index("Latest agreements") + 1] == [
        "Overdue follow-ups",
        "Follow-ups due within 30 days",
        "Validity ending within 90 days",
        "Agreements without progress",
        "In force, with no evaluation in the last 6 months",
        "Key figures",
        "Latest agreements",
    ]
    assert reverse("cooperation:statistics") in page


def test_home_figures_follow_a_change_to_the_data(client, make_agreement):
    client.get(reverse("cooperation:home"))
    make_agreement()

    response = client.get(reverse("cooperation:home"))

    assert response.context["figures"]["total"] == 1


def test_home_due_soon_finds_recurring_follow_ups_by_their_next_occurrence(
    client, make_agreement, make_follow_up, today
):
    days = datetime.timedelta
    agreement = make_agreement(valid_until=today + days(400))
    monthly = make_follow_up(
        agreement, action="Laporan bulanan", due_date=today - days(45), recurrence="monthly"
    )
    monthly.occurrences.filter(due_date__lt=today).update(done_on=today - days(1))
    make_follow_up(agreement, action="Kunjungan balasan", due_date=today + days(10))
    make_follow_up(agreement, action="Rapat tahunan", due_date=today + days(40))
    make_follow_up(
        agreement, action="Evaluasi triwulan", due_date=today + days(45), recurrence="quarterly"
    )
    done = make_follow_up(
        agreement, action="Laporan selesai", due_date=today - days(45), recurrence="monthly"
    )
    done.occurrences.filter(due_date__lt=today + days(31)).update(done_on=today - days(1))

    response = client.get(reverse("cooperation:home"), HTTP_ACCEPT_LANGUAGE="en")

    # In the order of the list (due date): the monthly report is due again within 30 days.
    assert [f.action for f in response.context["due_soon"]] == [
        "Laporan bulanan",
        "Kunjungan balasan",
    ]


def test_home_lists_overdue_and_soon_due_follow_ups(client, make_agreement, make_follow_up, today):
    agreement = make_agreement(title="Kerja sama air bersih")
    make_follow_up(agreement, action="Survei lokasi", due_date=today - datetime.timedelta(days=3))
    make_follow_up(
        agreement, action="Kunjungan balasan", due_date=today + datetime.timedelta(days=10)
    )
    make_follow_up(
        agreement,
        action="Rapat teknis selesai",
        status=FollowUp.Status.DONE,
        due_date=today - datetime.timedelta(days=3),
    )
    draft = make_agreement(is_published=False)
    make_follow_up(draft, action="Rahasia", due_date=today - datetime.timedelta(days=3))

    response = client.get(reverse("cooperation:home"), HTTP_ACCEPT_LANGUAGE="en")

    assert [f.action for f in response.context["overdue"]] == ["Survei lokasi"]
    assert [f.action for f in response.context["due_soon"]] == ["Kunjungan balasan"]
    page = html(response)
    assert "Overdue</span>" in page
    assert "Rahasia" not in page
    assert "Rapat teknis selesai" not in page


def test_home_follow_up_lists_each_hold_their_first_ten(
    client, make_agreement, make_follow_up, today
):
    days = datetime.timedelta
    agreement = make_agreement(valid_until=today + days(400))
    # Overdue, and due again within 30 days: in both lists, first by its (first) due date.
    make_follow_up(
        agreement, action="Laporan bulanan", due_date=today - days(45), recurrence="monthly"
    )
    for n in range(12):
        make_follow_up(agreement, action=f"Terlambat {n:02}", due_date=today - days(30 - n))
        make_follow_up(agreement, action=f"Segera {n:02}", due_date=today + days(1 + n))

    response = client.get(reverse("cooperation:home"))

    assert [f.action for f in response.context["overdue"]] == [
        "Laporan bulanan",
        *(f"Terlambat {n:02}" for n in range(9)),
    ]
    assert [f.action for f in response.context["due_soon"]] == [
        "Laporan bulanan",
        *(f"Segera {n:02}" for n in range(9)),
    ]


def test_home_lists_agreements_whose_validity_ends_within_90_days(client, make_agreement, today):
    make_agreement(title="Berakhir segera", valid_until=today + datetime.timedelta(days=60))
    make_agreement(title="Masih lama", valid_until=today + datetime.timedelta(days=200))
    make_agreement(title="Sudah berakhir", valid_until=today - datetime.timedelta(days=1))

    response = client.get(reverse("cooperation:home"))

    assert [a.title for a in response.context["ending_soon"]] == ["Berakhir segera"]


def test_home_lists_stalled_agreements_and_explains_what_stalled_means(
    client, make_agreement, make_follow_up, today
):
    old = today - datetime.timedelta(days=400)
    make_agreement(title="Terhenti", date=old)
    busy = make_agreement(title="Sedang berjalan", date=old)
    make_follow_up(busy, status=FollowUp.Status.IN_PROGRESS)
    make_agreement(title="Selesai", date=old, stage=Agreement.Stage.TERMINATED)
    make_agreement(title="Baru", date=today - datetime.timedelta(days=30))

    response = client.get(reverse("cooperation:home"), HTTP_ACCEPT_LANGUAGE="en")

    assert [a.title for a in response.context["stalled"]] == ["Terhenti"]
    assert "An agreement counts as without progress when it has not ended, is 6 months old" in html(
        response
    )


# --- Agreement list -----------------------------------------------------------------------


def test_agreement_list_row_shows_date_title_parties_kind_stage_and_sectors(client, signing):
    response = client.get(reverse("cooperation:agreement_list"))

    page = html(response)
    assert '<time datetime="2023-01-30">Senin, 30 Januari 2023</time>' in page
    assert f'<a href="{signing.get_absolute_url()}">{signing.title}</a>' in page
    assert "Pemkab Serang" in page and "Pemkab Bandung" in page
    assert "Pariwisata" in page
    assert signing.get_kind_display() in page


def test_agreement_list_speaks_english_when_the_browser_asks(client, signing):
    response = client.get(reverse("cooperation:agreement_list"), HTTP_ACCEPT_LANGUAGE="en")

    page = html(response)
    assert '<html lang="en">' in page
    assert '<time datetime="2023-01-30">Monday, 30 January 2023</time>' in page
    assert "Tourism" in page


def test_agreement_list_badges_speak_each_reader_s_language(client, signing):
    url = reverse("cooperation:agreement_list")
    indonesian = html(client.get(url))
    english = html(client.get(url, HTTP_ACCEPT_LANGUAGE="en"))

    badge = '<span class="badge badge-stage-joint-agreement-signed">{}</span>'
    assert badge.format("KSB ditandatangani") in indonesian
    assert badge.format("joint agreement signed") in english


def test_agreement_list_is_indonesian_by_default(client, signing):
    page = html(client.get(reverse("cooperation:agreement_list")))

    assert '<html lang="id">' in page


def test_drafts_are_hidden_from_visitors_and_marked_for_staff(client, staff_user, make_agreement):
    make_agreement(title="Draf rahasia", is_published=False)
    make_agreement(title="Sudah terbit")

    anonymous = html(client.get(reverse("cooperation:agreement_list")))
    searched = html(client.get(reverse("cooperation:agreement_list"), {"q": "rahasia"}))
    client.force_login(staff_user)
    for_staff = html(client.get(reverse("cooperation:agreement_list"), HTTP_ACCEPT_LANGUAGE="en"))

    assert "Draf rahasia" not in anonymous and "Sudah terbit" in anonymous
    assert "rahasia</mark>" not in searched
    assert "Draf rahasia" in for_staff
    assert 'Draf rahasia</a> <span class="badge badge-draft">Draft</span>' in for_staff


def test_agreement_list_filter_form_is_a_get_form_with_labelled_fields(client, signing):
    page = html(client.get(reverse("cooperation:agreement_list")))

    assert '<form class="filters" method="get"' in page
    for name in ["q", "region", "partner", "kind", "stage", "category", "sector", "country"]:
        assert f'<label for="id_{name}">' in page


def test_pagination_links_keep_the_filters(client, make_agreement):
    for n in range(25):
        make_agreement(title=f"Kunjungan {n:02d}", stage=Agreement.Stage.EXPLORATION)

    response = client.get(
        reverse("cooperation:agreement_list"), {"stage": "exploration", "order": "title"}
    )

    page = html(response)
    assert len(response.context["page_obj"].object_list) == 20
    assert 'href="?stage=exploration&amp;order=title&amp;page=2"' in page
    second = client.get(
        reverse("cooperation:agreement_list"),
        {"stage": "exploration", "order": "title", "page": 2},
    )
    assert [a.title for a in second.context["page_obj"]] == [
        f"Kunjungan {n:02d}" for n in range(20, 25)
    ]


def test_invalid_filter_shows_the_error_and_an_empty_list(client, signing):
    response = client.get(
        reverse("cooperation:agreement_list"),
        {"date_from": "30-01-2023"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    page = html(response)
    assert response.status_code == 200
    assert "Enter a valid date." in page
    assert "0 agreements found" in page
    assert signing.title not in page


# --- Agreement detail ---------------------------------------------------------------------


def test_agreement_detail_shows_the_record(
    client, signing, serang, make_person, make_position, make_tenure, make_source
):
    bupati = make_position(organisation=serang[1], title="Bupati Serang", role="head")
    ratu_tatu = make_person(name="Ratu Tatu Chasanah", slug="ratu-tatu-chasanah")
    make_tenure(person=ratu_tatu, position=bupati, start_date=datetime.date(2021, 2, 26))
    Participant.objects.create(
        agreement=signing, person=ratu_tatu, position=bupati, role="signatory"
    )
    Citation.objects.create(
        agreement=signing,
        source=make_source(publisher="bisnisbanten.com", headline="Pemkab Serang bekerja sama"),
    )
    Citation.objects.create(
        agreement=signing,
        source=make_source(
            publisher="contoh.id", headline="Dengan tautan", url="https://contoh.id/berita"
        ),
    )
    signing.data_notes = "Tanggal dikonfirmasi dengan nama hari."
    signing.save()

    response = client.get(signing.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")

    page = html(response)
    assert f"<h1>{signing.title}</h1>" in page
    assert '<time datetime="2023-01-30">Monday, 30 January 2023</time>' in page
    assert "KSDD: with another Indonesian region" in page
    assert "Pendopo Bupati Bandung" in page
    assert '<a href="/regions/32.04/">Kabupaten Bandung</a>' in page
    assert '<a href="/organisations/pemerintah-36-04/">Pemerintah Kabupaten Serang</a>' in page
    assert "signatory party" in page
    assert '<a href="/officials/ratu-tatu-chasanah/">Ratu Tatu Chasanah</a>' in page
    assert "Bupati Serang" in page
    assert "Kedua kabupaten sepakat bekerja sama." in page
    assert "<cite>Pemkab Serang bekerja sama</cite>" in page  # no URL: no link
    assert 'href="https://contoh.id/berita"' in page
    assert "Tanggal dikonfirmasi dengan nama hari." in page


def test_participant_is_shown_with_the_position_held_on_the_day(
    client, signing, serang, make_person, make_position, make_tenure
):
    wakil = make_position(organisation=serang[1], title="Wakil Bupati Serang", role="deputy_head")
    bupati = make_position(organisation=serang[1], title="Bupati Serang", role="head")
    person = make_person(name="Pandji Tirtayasa")
    make_tenure(person=person, position=wakil, start_date=datetime.date(2021, 2, 26))
    make_tenure(person=person, position=bupati, start_date=datetime.date(2025, 2, 20))
    Participant.objects.create(agreement=signing, person=person, position=wakil, role="witness")

    page = html(client.get(signing.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"))

    assert "Wakil Bupati Serang" in page
    assert "witness" in page


def test_agreement_detail_marks_overdue_follow_ups(client, signing, serang, make_follow_up):
    make_follow_up(
        signing,
        action="Survei bersama",
        responsible=serang[1],
        due_date=datetime.date(2023, 3, 1),
    )
    make_follow_up(signing, action="Kunjungan balasan", due_date=None)

    page = html(client.get(signing.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"))

    assert '<tr class="overdue">' in page
    assert "Survei bersama" in page
    assert '<time datetime="2023-03-01">Wednesday, 1 March 2023</time>' in page
    assert '<span class="badge badge-overdue">Overdue</span>' in page
    assert "no due date" in page
    assert page.count('class="overdue"') == 1


def test_agreement_detail_shows_the_site_apart_from_the_venue(
    client, banten, make_agreement, make_district
):
    ciruas = make_district(regency=banten["kabupaten"], code="36.04.09", name="Ciruas")
    agreement = make_agreement(
        venue="Pendopo Bupati Serang", site="TPAS Cilowong", site_region=ciruas
    )

    page = html(client.get(agreement.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"))

    assert "<dt>Site of implementation</dt>" in page
    assert (
        'TPAS Cilowong, <a href="/regions/36.04.09/">Kecamatan Ciruas</a>, '
        '<a href="/regions/36.04/">Kabupaten Serang</a>, '
        '<a href="/regions/36/">Provinsi Banten</a>' in page
    )
    assert "Pendopo Bupati Serang" in page


def test_agreement_detail_shows_the_chain_without_drafts_for_visitors(
    client, staff_user, signing, make_agreement, make_relation
):
    meeting = make_agreement(title="Pertemuan penjajakan", date=datetime.date(2023, 1, 1))
    make_relation(signing, meeting)
    make_relation(make_agreement(title="PKS terbit"), signing, type="implements")
    make_relation(make_agreement(title="PKS draf", is_published=False), signing)

    page = html(client.get(signing.get_absolute_url()))
    client.force_login(staff_user)
    staff_page = html(client.get(signing.get_absolute_url()))

    assert "Pertemuan penjajakan" in page and "PKS terbit" in page
    assert "PKS draf" not in page
    assert "PKS draf" in staff_page


def test_unpublished_agreement_is_404_for_visitors_and_a_marked_draft_for_staff(
    client, staff_user, make_agreement
):
    draft = make_agreement(title="Masih draf", is_published=False)

    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(staff_user)
    page = html(client.get(draft.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"))
    assert '<span class="badge badge-draft">Draft</span>' in page


def test_unknown_agreement_is_404(client, db):
    response = client.get(reverse("cooperation:agreement_detail", args=["tidak-ada"]))
    assert response.status_code == 404


@pytest.mark.urls(__name__)
def test_only_users_who_may_edit_get_a_link_to_the_admin(
    client, admin_user, signing, editor_client, viewer_client
):
    edit_url = reverse("admin:cooperation_agreement_change", args=[signing.pk])
    link = f'<a href="{edit_url}">'

    assert edit_url not in html(client.get(signing.get_absolute_url()))
    assert edit_url not in html(viewer_client.get(signing.get_absolute_url()))  # staff, read-only
    assert link in html(editor_client.get(signing.get_absolute_url()))
    client.force_login(admin_user)
    assert link in html(client.get(signing.get_absolute_url()))


# --- Follow-ups list ----------------------------------------------------------------------


def test_follow_up_list_filters_by_status_and_overdue(client, signing, make_follow_up, today):
    make_follow_up(signing, action="Terlambat", due_date=today - datetime.timedelta(days=1))
    make_follow_up(signing, action="Nanti", due_date=today + datetime.timedelta(days=100))
    make_follow_up(signing, action="Beres", status=FollowUp.Status.DONE)

    overdue = html(client.get(reverse("cooperation:followup_list"), {"overdue": "on"}))
    done = html(client.get(reverse("cooperation:followup_list"), {"status": "done"}))

    assert "Terlambat" in overdue and "Nanti" not in overdue and "Beres" not in overdue
    assert "Beres" in done and "Terlambat" not in done


def test_follow_up_list_hides_follow_ups_of_drafts(client, make_agreement, make_follow_up):
    make_follow_up(make_agreement(is_published=False), action="Tindak lanjut draf")
    make_follow_up(make_agreement(), action="Tindak lanjut terbit")

    page = html(client.get(reverse("cooperation:followup_list")))

    assert "Tindak lanjut terbit" in page and "Tindak lanjut draf" not in page


# --- Login required -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/", "/agreements/?stage=exploration", "/follow-ups/", "/regions/", "/regions/36/"],
)
def test_login_required_setting_sends_visitors_to_the_login_page(client, settings, db, url):
    settings.CATALOGUE_LOGIN_REQUIRED = True

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_login_required_setting_lets_signed_in_users_read(client, settings, django_user_model):
    settings.CATALOGUE_LOGIN_REQUIRED = True
    client.force_login(django_user_model.objects.create_user("pembaca"))

    assert client.get(reverse("cooperation:agreement_list")).status_code == 200


# --- Layout ---------------------------------------------------------------------------------


def test_pages_have_landmarks_skip_link_and_a_language_switch_without_javascript(client, signing):
    page = html(client.get(signing.get_absolute_url() + "?x=1"))

    assert '<a class="skip-link" href="#main">' in page
    assert '<main id="main"' in page and "<header" in page and "<footer" in page
    assert 'action="/i18n/setlang/" method="post"' in page
    assert f'name="next" value="{signing.get_absolute_url()}?x=1"' in page
    assert 'name="language" value="en"' in page
    assert "<script" not in page and "style=" not in page and "onclick" not in page
    assert "Open Database License" in page


def test_language_switch_changes_the_language_and_keeps_the_page(client, signing):
    response = client.post(
        "/i18n/setlang/",
        {"language": "en", "next": signing.get_absolute_url()},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == signing.get_absolute_url()
    assert '<html lang="en">' in html(response)


# --- Query counts -------------------------------------------------------------------------


@pytest.fixture
def many_agreements(make_agreement, make_sector, make_follow_up, make_organisation, today):
    """``n`` published agreements, each with parties, two sectors, open follow-ups with two
    responsible organisations, and a monthly one with its occurrences."""

    def make(n):
        sectors = [make_sector(), make_sector()]
        partner = make_organisation(kind=Organisation.Kind.UNIVERSITY)
        agency = make_organisation()
        agreements = []
        for i in range(n):
            agreement = make_agreement(
                sectors=sectors,
                date=today - datetime.timedelta(days=300 + i),
                valid_until=today + datetime.timedelta(days=30),
            )
            make_follow_up(
                agreement,
                due_date=today - datetime.timedelta(days=1),
                responsible=[partner, agency],
            )
            make_follow_up(agreement, due_date=today + datetime.timedelta(days=5))
            make_follow_up(
                agreement,
                due_date=today - datetime.timedelta(days=100),
                recurrence=FollowUp.Recurrence.MONTHLY,
                responsible=agency,
            )
            agreement.parties.create(organisation=partner, role="participant")
            agreements.append(agreement)
        return agreements

    return make


@pytest.mark.parametrize("rows", [1, 50])
def test_home_query_count_does_not_grow_with_rows(
    client, many_agreements, django_assert_num_queries, rows
):
    many_agreements(rows)
    # the data version (cooperation.caching), latest + parties + sectors, the overdue and due
    # soon follow-ups (one query for both lists, FollowUpQuerySet.overdue_and_due_within) with
    # their responsible organisations and occurrences, ending soon, stalled, evaluation due;
    # and once per data version the key figures: agreements (all, in force, signed this
    # year), open follow-ups, partners abroad
    with django_assert_num_queries(13):
        response = client.get(reverse("cooperation:home"))
    # each agreement has a one-off follow-up in each list and a recurring one in both
    assert (
        len(response.context["overdue"]) == len(response.context["due_soon"]) == min(2 * rows, 10)
    )
    with django_assert_num_queries(10):  # the figures cached
        client.get(reverse("cooperation:home"))


@pytest.mark.parametrize("rows", [1, 50])
def test_agreement_list_query_count_does_not_grow_with_rows(
    client, many_agreements, django_assert_num_queries, rows
):
    many_agreements(rows)
    # count, page, parties, sectors, the sector and country choices (regions and partners
    # are typed into pickers: no choices to list), facets (stage, kind, category; sectors)
    with django_assert_num_queries(8):
        client.get(reverse("cooperation:agreement_list"), {"open_follow_ups": "on"})


@pytest.mark.parametrize("rows", [1, 50])
def test_searched_agreement_list_by_region_and_partner_query_count_does_not_grow_with_rows(
    client, many_agreements, django_assert_num_queries, rows
):
    many_agreements(rows)
    partner = Agreement.objects.first().parties.first().organisation
    region = partner.region
    # as above, plus the region and the partner found from what was typed
    with django_assert_num_queries(10):
        response = client.get(
            reverse("cooperation:agreement_list"),
            {"q": "kerja sama", "region": region.code, "partner": partner.name},
        )
    assert not response.context["filter"].errors


@pytest.mark.parametrize("rows", [1, 50])
def test_agreement_detail_query_count_does_not_grow_with_rows(
    client,
    signing,
    make_participant,
    make_follow_up,
    make_source,
    make_agreement,
    make_organisation,
    make_relation,
    django_assert_num_queries,
    rows,
):
    agency = make_organisation()
    for _ in range(rows):
        make_participant(signing)
        make_follow_up(signing, responsible=[agency, make_organisation()])
        make_follow_up(
            signing,
            due_date=signing.date,
            recurrence=FollowUp.Recurrence.QUARTERLY,
            recurs_until=signing.date + datetime.timedelta(days=700),
        )
        n = signing.evaluations.count()
        evaluation = Evaluation.objects.create(
            agreement=signing,
            year=2023 + n // 2,
            period=("semester_1", "semester_2")[n % 2],
            evaluated_on=datetime.date(2023 + n // 2, 12, 31),
            evaluator=agency,
            assessment="on_track",
        )
        make_follow_up(signing, evaluation=evaluation)
        Citation.objects.create(agreement=signing, source=make_source())
        make_relation(make_agreement(), signing, type="implements")
        Document.objects.create(
            agreement=signing,
            type=Document.Type.ANNEX,
            title="Lampiran",
            file="documents/lampiran.pdf",
            content_type="application/pdf",
        )
    # agreement, parties, participants, sectors, terms, follow-ups (with their responsible
    # organisations and occurrences), citations, documents, evaluations (their evidence and
    # follow-ups are among the agreement's), the chain (its relations, one recursive query)
    with django_assert_num_queries(12):
        response = client.get(signing.get_absolute_url())
    latest = response.context["agreement"].evaluations.all()[0]
    assert len(latest.recommended_follow_ups) == 1
    assert len(response.context["chain"].later) == rows


@pytest.mark.parametrize("rows", [1, 50])
def test_follow_up_list_query_count_does_not_grow_with_rows(
    client, many_agreements, django_assert_num_queries, rows
):
    many_agreements(rows)
    # count and page, responsible organisations, occurrences (organisations and regions are
    # typed into pickers: no choices to list)
    with django_assert_num_queries(4):
        client.get(reverse("cooperation:followup_list"))


# --- Long lists: counted up to a limit --------------------------------------------------------


def words(response):
    """The page's text, tags removed and white space collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html(response)).split())


@pytest.fixture
def short_pages(monkeypatch):
    """Lists of 2 rows a page that count at most 3 rows (beyond the page asked for)."""
    from cooperation import selectors, views

    monkeypatch.setattr(views.AgreementListView, "paginate_by", 2)
    monkeypatch.setattr(selectors.CappedCountPaginator, "count_limit", 3)


def test_a_list_longer_than_the_count_limit_says_more_than_and_pages_on(
    client, make_agreement, short_pages, english
):
    for _ in range(6):
        make_agreement(stage=Agreement.Stage.IMPLEMENTATION)
    url = reverse("cooperation:agreement_list")
    kind = {"kind": Agreement.Kind.JOINT_AGREEMENT}

    first = words(client.get(url, kind))
    assert "More than 3 agreements found" in first
    assert "Page 1 Next" in first
    assert "in implementation (" not in first  # no facets over an uncounted list

    # A page beyond the limit counts as far as it needs: the last page knows it is the last.
    last = words(client.get(url, {**kind, "page": 3}))
    assert "6 agreements found" in last
    assert "Page 3 of 3" in last and "Next" not in last


def test_a_list_within_the_count_limit_is_counted_exactly_with_facets(
    client, make_agreement, short_pages, english
):
    for _ in range(3):
        make_agreement(stage=Agreement.Stage.IMPLEMENTATION)

    page = words(
        client.get(reverse("cooperation:agreement_list"), {"kind": Agreement.Kind.JOINT_AGREEMENT})
    )

    assert "3 agreements found" in page and "More than" not in page
    assert "Page 1 of 2 Next" in page
    assert "in implementation (3)" in page


@pytest.mark.parametrize("rows", [1, 50])
def test_agreement_list_reads_its_filter_choices_from_the_cache_once_warm(
    client, many_agreements, django_assert_num_queries, rows
):
    many_agreements(rows)
    url = reverse("cooperation:agreement_list")
    client.get(url, {"open_follow_ups": "on"})  # finds the sector and country choices
    # count, page, parties, sectors, facets (stage, kind, category; sectors): the sector and
    # country choices come from the cache (selectors.filter_choices)
    with django_assert_num_queries(6):
        client.get(url, {"open_follow_ups": "on"})


def test_agreement_list_shows_each_agreement_s_parties_in_the_order_entered(
    client, make_agreement, make_organisation
):
    zebra = make_organisation(name="Zebra Institute", kind=Organisation.Kind.UNIVERSITY)
    alpha = make_organisation(name="Alpha Institute", kind=Organisation.Kind.UNIVERSITY)
    make_agreement(title="Older", date=datetime.date(2024, 1, 1), parties=[alpha, zebra])
    make_agreement(title="Newer", date=datetime.date(2025, 1, 1), parties=[zebra, alpha])

    page = words(client.get(reverse("cooperation:agreement_list")))

    newer, older = "Newer .*? Zebra Institute Alpha Institute ", "Older .*? Alpha Institute Zebra"
    assert re.search(f"{newer}.*?{older}", page)
