"""Two officers editing the same record in the admin: the second save never overwrites the
first. Each change page carries a hidden version token; a save from a page opened before someone
else's save is refused with a message telling the officer to reload."""

import threading
import time

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from cooperation.models import Agreement, FollowUp
from tests.helpers import change_form_data, form_errors

STALE = "Someone else changed this {} after you opened it"
MISSING = "This form did not say which version of the {} it was opened on"
# Row locks (SELECT ... FOR UPDATE) need PostgreSQL.
postgresql_only = pytest.mark.postgresql


@pytest.fixture
def edited_agreement(make_agreement, make_follow_up):
    found = make_agreement(title="Kesepakatan Bersama Banten dan Bengkulu")
    make_follow_up(found, action="Kunjungan balasan ke Bengkulu")
    return found


def agreement_url(edited_agreement):
    return reverse("admin:cooperation_agreement_change", args=[edited_agreement.pk])


def follow_up_url(follow_up):
    return reverse("admin:cooperation_followup_change", args=[follow_up.pk])


# --- Agreements -----------------------------------------------------------------------------


def test_the_second_officer_saving_an_agreement_is_told_to_reload(group_client, edited_agreement):
    ani, budi = group_client("Editor", "ani"), group_client("Editor", "budi")
    page_ani = ani.get(agreement_url(edited_agreement))
    page_budi = budi.get(agreement_url(edited_agreement))

    saved = ani.post(agreement_url(edited_agreement), change_form_data(page_ani, title="Judul Ani"))
    refused = budi.post(
        agreement_url(edited_agreement), change_form_data(page_budi, title="Judul Budi")
    )

    assert saved.status_code == 302
    assert refused.status_code == 200
    [message] = form_errors(refused)
    assert message.startswith(STALE.format("agreement"))
    assert "Reload the page" in message
    assert STALE.format("agreement") in refused.content.decode()
    edited_agreement.refresh_from_db()
    assert edited_agreement.title == "Judul Ani"
    assert edited_agreement.history.first().history_user.username == "ani"


def test_the_refused_officer_saves_after_reloading(group_client, edited_agreement):
    ani, budi = group_client("Editor", "ani"), group_client("Editor", "budi")
    page_budi = budi.get(agreement_url(edited_agreement))
    ani.post(
        agreement_url(edited_agreement),
        change_form_data(ani.get(agreement_url(edited_agreement)), title="Judul Ani"),
    )
    assert (
        budi.post(agreement_url(edited_agreement), change_form_data(page_budi)).status_code == 200
    )

    reloaded = budi.get(agreement_url(edited_agreement))
    saved = budi.post(agreement_url(edited_agreement), change_form_data(reloaded, venue="KP3B"))

    assert saved.status_code == 302
    edited_agreement.refresh_from_db()
    assert (edited_agreement.title, edited_agreement.venue) == ("Judul Ani", "KP3B")


def test_a_single_officer_saves_twice_in_a_row(group_client, edited_agreement):
    ani = group_client("Editor", "ani")

    first = ani.post(
        agreement_url(edited_agreement),
        change_form_data(ani.get(agreement_url(edited_agreement)), title="Pertama"),
    )
    second = ani.post(
        agreement_url(edited_agreement),
        change_form_data(ani.get(agreement_url(edited_agreement)), title="Kedua"),
    )

    assert [first.status_code, second.status_code] == [302, 302]
    edited_agreement.refresh_from_db()
    assert edited_agreement.title == "Kedua"


def test_a_change_to_a_follow_up_on_its_own_page_makes_the_agreement_page_stale(
    group_client, edited_agreement
):
    """Otherwise the agreement page would save its old copy of the follow-up over the change."""
    ani, budi = group_client("Editor", "ani"), group_client("Editor", "budi")
    follow_up = edited_agreement.follow_ups.get()
    page_budi = budi.get(agreement_url(edited_agreement))

    saved = ani.post(
        follow_up_url(follow_up),
        change_form_data(ani.get(follow_up_url(follow_up)), status="in_progress"),
    )
    refused = budi.post(
        agreement_url(edited_agreement), change_form_data(page_budi, title="Judul Budi")
    )

    assert saved.status_code == 302
    assert refused.status_code == 200
    assert form_errors(refused)[0].startswith(STALE.format("agreement"))
    follow_up.refresh_from_db()
    assert follow_up.status == "in_progress"
    edited_agreement.refresh_from_db()
    assert edited_agreement.title == "Kesepakatan Bersama Banten dan Bengkulu"


def test_an_agreement_form_posted_without_its_version_is_refused(group_client, edited_agreement):
    ani = group_client("Editor", "ani")
    data = change_form_data(ani.get(agreement_url(edited_agreement)), title="Tanpa versi")
    del data["version"]

    response = ani.post(agreement_url(edited_agreement), data)

    assert response.status_code == 200
    assert form_errors(response)[0].startswith(MISSING.format("agreement"))
    edited_agreement.refresh_from_db()
    assert edited_agreement.title == "Kesepakatan Bersama Banten dan Bengkulu"


def test_the_version_is_a_hidden_field_only_for_officers_who_may_change(
    group_client, edited_agreement, admin_client, django_user_model
):
    viewer = django_user_model.objects.create_user("penonton", is_staff=True)
    viewer.groups.add(Group.objects.get(name="Viewer"))
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(viewer)

    editable = group_client("Editor", "ani").get(agreement_url(edited_agreement)).content.decode()
    read_only = client.get(agreement_url(edited_agreement)).content.decode()

    assert 'type="hidden" name="version"' in editable
    assert 'name="version"' not in read_only
    assert "Version" not in read_only


def test_adding_an_agreement_needs_no_version(group_client, make_government):
    ani = group_client("Editor", "ani")
    data = change_form_data(
        ani.get(reverse("admin:cooperation_agreement_add")),
        title="Kunjungan kerja baru",
        slug="kunjungan-kerja-baru",
        kind="working_visit",
        stage="exploration",
    )
    data.update(
        {
            "parties-TOTAL_FORMS": "2",
            "parties-0-organisation": str(make_government().pk),
            "parties-0-role": "visitor",
            "parties-1-organisation": str(make_government().pk),
            "parties-1-role": "host",
        }
    )

    data["version"] = "tampered\x00"  # the add form has no version field: it is ignored

    response = ani.post(reverse("admin:cooperation_agreement_add"), data)

    assert response.status_code == 302
    assert Agreement.objects.filter(slug="kunjungan-kerja-baru").exists()


# --- Follow-up actions ----------------------------------------------------------------------


def test_the_second_officer_saving_a_follow_up_is_told_to_reload(group_client, edited_agreement):
    ani, budi = group_client("Editor", "ani"), group_client("Editor", "budi")
    follow_up = edited_agreement.follow_ups.get()
    page_ani = ani.get(follow_up_url(follow_up))
    page_budi = budi.get(follow_up_url(follow_up))

    saved = ani.post(follow_up_url(follow_up), change_form_data(page_ani, status="in_progress"))
    refused = budi.post(follow_up_url(follow_up), change_form_data(page_budi, status="cancelled"))

    assert saved.status_code == 302
    assert refused.status_code == 200
    [message] = form_errors(refused)
    assert message.startswith(STALE.format("follow-up action"))
    assert STALE.format("follow-up action") in refused.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.status == "in_progress"


def test_a_follow_up_changed_on_the_agreement_page_makes_its_own_page_stale(
    group_client, edited_agreement
):
    ani, budi = group_client("Editor", "ani"), group_client("Editor", "budi")
    follow_up = edited_agreement.follow_ups.get()
    page_budi = budi.get(follow_up_url(follow_up))
    data = change_form_data(ani.get(agreement_url(edited_agreement)))
    data["follow_ups-0-status"] = "in_progress"

    saved = ani.post(agreement_url(edited_agreement), data)
    refused = budi.post(follow_up_url(follow_up), change_form_data(page_budi, status="cancelled"))

    assert saved.status_code == 302
    assert refused.status_code == 200
    assert form_errors(refused)[0].startswith(STALE.format("follow-up action"))
    follow_up.refresh_from_db()
    assert follow_up.status == "in_progress"


def test_a_single_officer_saves_a_follow_up(group_client, edited_agreement):
    ani = group_client("Editor", "ani")
    follow_up = edited_agreement.follow_ups.get()

    response = ani.post(
        follow_up_url(follow_up),
        change_form_data(ani.get(follow_up_url(follow_up)), status="in_progress"),
    )

    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.status == "in_progress"


def test_a_follow_up_form_posted_without_its_version_is_refused(group_client, edited_agreement):
    ani = group_client("Editor", "ani")
    follow_up = edited_agreement.follow_ups.get()
    data = change_form_data(ani.get(follow_up_url(follow_up)), status="cancelled")
    del data["version"]

    response = ani.post(follow_up_url(follow_up), data)

    assert response.status_code == 200
    assert form_errors(response)[0].startswith(MISSING.format("follow-up action"))
    assert FollowUp.objects.get().status == "planned"


# --- Restoring from the history -------------------------------------------------------------


def test_reverting_from_a_stale_history_page_is_refused(admin_client, edited_agreement):
    record = edited_agreement.history.earliest()
    revert_url = reverse(
        "admin:cooperation_agreement_simple_history", args=[edited_agreement.pk, record.history_id]
    )
    revert_page = admin_client.get(revert_url)
    edited_agreement.title = "Diubah sesudahnya"
    edited_agreement.save()

    response = admin_client.post(revert_url, change_form_data(revert_page))

    assert response.status_code == 200
    edited_agreement.refresh_from_db()
    assert edited_agreement.title == "Diubah sesudahnya"


# --- Two saves at the same moment (row lock) -------------------------------------------------

# SELECT ... FOR UPDATE exists on PostgreSQL (the production database); SQLite has no row
# locks (it serialises writers itself) and an in-memory test database is not shared between
# threads, so this test runs on PostgreSQL only (on SQLite it shows as skipped).


# The test commits, so it runs in a database that other committing tests (the browser
# tests) may have flushed, without the groups the migrations create: Budi is therefore a
# superuser here. The point is the row lock, not the group.
@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_save_waits_for_a_save_in_progress_and_is_then_refused(
    edited_agreement, django_user_model
):
    budi = Client(HTTP_ACCEPT_LANGUAGE="en")
    budi.force_login(django_user_model.objects.create_superuser("budi"))
    page_budi = budi.get(agreement_url(edited_agreement))
    data = change_form_data(page_budi, title="Judul Budi")
    responses = []

    def budi_saves():
        try:
            responses.append(budi.post(agreement_url(edited_agreement), data))
        finally:
            connection.close()

    with transaction.atomic():
        # Ani's save is in progress: the row is locked and her change not yet committed.
        Agreement.objects.select_for_update().get(pk=edited_agreement.pk)
        edited_agreement.title = "Judul Ani"
        edited_agreement.save()
        thread = threading.Thread(target=budi_saves)
        thread.start()
        time.sleep(1)
        assert thread.is_alive(), "Budi's save should wait for Ani's to finish"
    thread.join(timeout=30)

    [response] = responses
    assert response.status_code == 200
    assert form_errors(response)[0].startswith(STALE.format("agreement"))
    edited_agreement.refresh_from_db()
    assert edited_agreement.title == "Judul Ani"


# --- Part pages -------------------------------------------------------------------------------


def test_a_stale_party_page_does_not_revert_a_role_changed_on_the_agreement_page(
    group_client, edited_agreement
):
    ani, budi = group_client("Editor", "ani"), group_client("Editor", "budi")
    party = edited_agreement.parties.order_by("id").first()
    party_url = reverse("admin:cooperation_party_change", args=[party.pk])
    party_page = budi.get(party_url)
    data = change_form_data(ani.get(agreement_url(edited_agreement)))
    data["parties-0-role"] = "host"

    saved = ani.post(agreement_url(edited_agreement), data)
    refused = budi.post(party_url, change_form_data(party_page))

    assert saved.status_code == 302
    assert refused.status_code == 200
    assert form_errors(refused)[0].startswith(STALE.format("party"))
    party.refresh_from_db()
    assert party.role == "host"
