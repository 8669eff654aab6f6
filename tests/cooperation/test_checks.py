"""Checks an officer needs (issue 7 item 8): a participant's post not recorded on the day, the
same agreement entered twice, and who may delete an agreement."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse

from cooperation.models import (
    Agreement,
    Evaluation,
    FollowUpOccurrence,
    Participant,
    ReminderSent,
)
from tests.helpers import admin_url, change_form_data, html

SIGNED = datetime.date(2023, 1, 30)


def warnings(response):
    return [
        str(message)
        for message in get_messages(response.wsgi_request)
        if message.level_tag == "warning"
    ]


@pytest.fixture
def bupati(make_position, make_person):
    """The post of Bupati Serang, held by Ratu Tatu Chasanah from 2021 until her successor
    took office on 20 February 2025 (the end itself is not recorded)."""
    post = make_position(title="Bupati Serang", role="head")
    tatu = make_person(name="Ratu Tatu Chasanah", slug="ratu-tatu-chasanah")
    zakiyah = make_person(name="Ratu Rachmatuzakiyah", slug="ratu-rachmatuzakiyah")
    post.tenures.create(person=tatu, start_date=datetime.date(2021, 2, 26))
    post.tenures.create(person=zakiyah, start_date=datetime.date(2025, 2, 20))
    return post


@pytest.fixture
def signing(make_agreement):
    return make_agreement(title="Penandatanganan Serang–Bandung", date=SIGNED)


def post_recorded(agreement):
    return {
        participant.person.name: participant.post_recorded
        for participant in Participant.objects.filter(agreement=agreement).with_post_recorded()
    }


# --- Who held the post that day -----------------------------------------------------------


def test_the_tenures_say_whether_a_participant_held_the_post_that_day(
    signing, bupati, make_participant, make_person
):
    tatu, zakiyah = (tenure.person for tenure in bupati.tenures.order_by("start_date"))
    make_participant(signing, person=tatu, position=bupati)
    make_participant(signing, person=zakiyah, position=bupati)  # only from 2025
    make_participant(signing, person=make_person(name="Tanpa jabatan"))  # nothing to check

    assert post_recorded(signing) == {
        "Ratu Tatu Chasanah": True,
        "Ratu Rachmatuzakiyah": False,
        "Tanpa jabatan": None,
    }
    signing.date = datetime.date(2025, 10, 24)  # after the successor took office
    signing.save()
    assert post_recorded(signing)["Ratu Tatu Chasanah"] is False
    assert post_recorded(signing)["Ratu Rachmatuzakiyah"] is True
    signing.date = None
    signing.save()
    assert set(post_recorded(signing).values()) == {None}


def test_saving_an_agreement_warns_of_a_post_not_recorded_that_day_but_saves_it(
    superuser_client, signing, bupati, make_participant
):
    zakiyah = bupati.tenures.get(start_date=datetime.date(2025, 2, 20)).person
    participant = make_participant(signing, person=zakiyah, position=bupati)
    url = admin_url(Agreement, "change", signing.pk)

    response = superuser_client.post(
        url, change_form_data(superuser_client.get(url), title="Judul diperbaiki")
    )

    assert response.status_code == 302
    assert warnings(response) == [
        "Check Ratu Rachmatuzakiyah: the catalogue's tenures do not record them as Bupati "
        "Serang on 30 January 2023. The participant was saved; if the source is right, add the "
        f'tenure on <a href="{admin_url(type(zakiyah), "change", zakiyah.pk)}">the '
        "official's page</a>."
    ]
    signing.refresh_from_db()
    assert signing.title == "Judul diperbaiki"
    assert Participant.objects.filter(pk=participant.pk).exists()


def test_a_post_held_that_day_gives_no_warning(superuser_client, signing, bupati, make_participant):
    tatu = bupati.tenures.get(start_date=datetime.date(2021, 2, 26)).person
    make_participant(signing, person=tatu, position=bupati)
    url = admin_url(Agreement, "change", signing.pk)

    response = superuser_client.post(url, change_form_data(superuser_client.get(url)))

    assert response.status_code == 302
    assert warnings(response) == []


def test_the_participant_page_warns_too(superuser_client, signing, bupati, make_participant):
    zakiyah = bupati.tenures.get(start_date=datetime.date(2025, 2, 20)).person
    participant = make_participant(signing, person=zakiyah, position=bupati)
    url = admin_url(Participant, "change", participant.pk)

    response = superuser_client.post(url, change_form_data(superuser_client.get(url)))

    assert response.status_code == 302
    assert len(warnings(response)) == 1
    assert "do not record them as Bupati Serang on 30 January 2023" in warnings(response)[0]


def test_the_public_page_marks_a_post_not_recorded_that_day(
    client, signing, bupati, make_participant
):
    tatu, zakiyah = (tenure.person for tenure in bupati.tenures.order_by("start_date"))
    make_participant(signing, person=tatu, position=bupati)
    make_participant(signing, person=zakiyah, position=bupati, role="witness")

    english = html(client.get(signing.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"))
    indonesian = html(client.get(signing.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="id"))

    assert english.count("post not recorded for this date") == 1
    rows = english.split("<tr>")
    marked = next(row for row in rows if "post not recorded for this date" in row)
    assert "Ratu Rachmatuzakiyah" in marked and "Ratu Tatu Chasanah" not in marked
    assert "tenures may be incomplete" in marked
    assert indonesian.count("jabatan belum tercatat pada tanggal ini") == 1


# --- The same agreement twice ---------------------------------------------------------------


def test_saving_an_agreement_like_an_existing_one_warns_and_links_to_it(
    superuser_client, make_agreement, make_government
):
    banten, bengkulu, other = make_government(), make_government(), make_government()
    existing = make_agreement(parties=[banten, bengkulu], date=SIGNED)
    twin = make_agreement(parties=[(bengkulu, "host"), (banten, "visitor")], date=SIGNED)
    different = make_agreement(parties=[banten, bengkulu, other], date=SIGNED)

    def save(agreement):
        url = admin_url(Agreement, "change", agreement.pk)
        response = superuser_client.post(url, change_form_data(superuser_client.get(url)))
        assert response.status_code == 302
        return warnings(response)

    assert save(twin) == [
        "Another agreement has the same date, kind and parties: "
        f'<a href="{admin_url(Agreement, "change", existing.pk)}">{existing.title}</a>. '
        "Check that this one is not the same agreement entered twice."
    ]
    assert save(different) == []  # a third party
    twin.kind = Agreement.Kind.COOPERATION_AGREEMENT
    twin.save()
    assert save(twin) == []  # another kind


# --- Deleting agreements ----------------------------------------------------------------------


@pytest.fixture
def draft_with_parts(make_agreement, make_follow_up, make_participant):
    draft = make_agreement(is_published=False, valid_until=datetime.date(2026, 12, 31))
    make_participant(draft)
    evaluation = Evaluation.objects.create(
        agreement=draft,
        year=2025,
        evaluated_on=datetime.date(2025, 12, 15),
        assessment=Evaluation.Assessment.ON_TRACK,
    )
    make_follow_up(
        draft,
        action="Monitoring bulanan",
        due_date=datetime.date(2026, 1, 31),
        recurrence="monthly",
        evaluation=evaluation,
    )
    ReminderSent.objects.create(
        kind=ReminderSent.Kind.values[0],
        agreement=draft,
        deadline=datetime.date(2026, 12, 31),
        recipients="bagian.kerjasama@example.org",
    )
    return draft


def test_an_editor_deletes_a_draft_with_its_parts(editor_client, draft_with_parts):
    assert FollowUpOccurrence.objects.filter(follow_up__agreement=draft_with_parts).exists()
    url = admin_url(Agreement, "delete", draft_with_parts.pk)

    page = editor_client.get(url)
    response = editor_client.post(url, {"post": "yes"})

    assert page.status_code == 200
    assert not page.context["perms_lacking"]
    assert response.status_code == 302
    assert not Agreement.objects.filter(pk=draft_with_parts.pk).exists()
    assert not Evaluation.objects.exists() and not FollowUpOccurrence.objects.exists()


def test_an_editor_deletes_a_recurring_follow_up_with_its_occurrences(
    editor_client, draft_with_parts
):
    follow_up = draft_with_parts.follow_ups.get()
    url = admin_url(type(follow_up), "delete", follow_up.pk)

    response = editor_client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not FollowUpOccurrence.objects.exists()
    assert Agreement.objects.filter(pk=draft_with_parts.pk).exists()


def test_an_editor_cannot_delete_a_published_agreement_but_an_administrator_can(
    editor_client, superuser_client, make_agreement
):
    published = make_agreement(is_published=True)
    url = admin_url(Agreement, "delete", published.pk)

    change_page = editor_client.get(admin_url(Agreement, "change", published.pk))
    assert not change_page.context["has_delete_permission"]
    assert editor_client.get(url).status_code == 403
    assert editor_client.post(url, {"post": "yes"}).status_code == 403
    assert Agreement.objects.filter(pk=published.pk).exists()

    assert superuser_client.post(url, {"post": "yes"}).status_code == 302
    assert not Agreement.objects.filter(pk=published.pk).exists()


def test_an_editor_cannot_delete_an_agreement_by_turning_it_back_into_a_draft_first(
    editor_client, make_agreement
):
    once_public = make_agreement(is_published=True, title="Pernah terbit")
    once_public.is_published = False
    once_public.save()  # as the Editor may, on its change page
    never_public = make_agreement(is_published=False)
    url = admin_url(Agreement, "delete", once_public.pk)
    selection = {"action": "delete_selected", "_selected_action": [once_public.pk]}

    page = editor_client.post(admin_url(Agreement, "changelist"), selection)

    assert editor_client.post(url, {"post": "yes"}).status_code == 403
    assert list(page.context["perms_lacking"]) == [
        "Pernah terbit (published: only an administrator deletes it)"
    ]
    assert Agreement.objects.filter(pk=once_public.pk).exists()
    assert (
        editor_client.post(
            admin_url(Agreement, "delete", never_public.pk), {"post": "yes"}
        ).status_code
        == 302
    )


def test_the_bulk_delete_action_keeps_published_agreements_from_editors(
    editor_client, make_agreement
):
    draft = make_agreement(is_published=False)
    published = make_agreement(is_published=True, title="Kesepakatan yang sudah terbit")
    selection = {"action": "delete_selected", "_selected_action": [draft.pk, published.pk]}
    changelist = admin_url(Agreement, "changelist")

    page = editor_client.post(changelist, selection)
    confirmed = editor_client.post(changelist, {**selection, "post": "yes"})

    assert page.status_code == 200
    assert list(page.context["perms_lacking"]) == [
        "Kesepakatan yang sudah terbit (published: only an administrator deletes it)"
    ]
    assert confirmed.status_code == 403
    assert Agreement.objects.filter(pk__in=[draft.pk, published.pk]).count() == 2

    only_drafts = editor_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [draft.pk], "post": "yes"}
    )
    assert only_drafts.status_code == 302
    assert not Agreement.objects.filter(pk=draft.pk).exists()
    assert Agreement.objects.filter(pk=published.pk).exists()


def test_administrators_may_be_given_the_right_to_delete_published_agreements(
    group_client, make_agreement, django_user_model
):
    client = group_client("Editor", name="kepala-bagian")
    user = django_user_model.objects.get(username="kepala-bagian")
    user.user_permissions.add(Permission.objects.get(codename="delete_published_agreement"))
    published = make_agreement(is_published=True)

    response = client.post(admin_url(Agreement, "delete", published.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not Agreement.objects.filter(pk=published.pk).exists()


def test_the_new_permission_is_named_in_the_admin(superuser_client):
    response = superuser_client.get(reverse("admin:auth_group_add"))

    assert "Can delete a published agreement" in response.content.decode()
