"""Nothing lost: an administrator restores a deleted agreement from its history, and its
parties, participants, follow-up actions, sources, documents and relations come back with it."""

import datetime
import threading
import time
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from cooperation.models import (
    Agreement,
    Citation,
    Document,
    Evaluation,
    FollowUp,
    FollowUpOccurrence,
    Party,
)
from tests.helpers import change_form_data, form_errors

PDF = b"%PDF-1.7\n%%EOF\n"


@pytest.fixture
def agreement_with_parts(
    settings,
    tmp_path,
    make_agreement,
    make_government,
    make_participant,
    make_position,
    make_follow_up,
    make_source,
    make_sector,
    make_relation,
):
    settings.MEDIA_ROOT = tmp_path
    found = make_agreement(
        title="Kesepakatan Bersama Banten dan Bengkulu",
        is_published=True,
        sectors=[make_sector(name="Investasi"), make_sector(name="Pariwisata")],
    )
    make_participant(found, position=make_position(title="Gubernur Banten"), role="signatory")
    monitoring = make_follow_up(
        found,
        action="Monitoring triwulanan",
        responsible=[make_government(), make_government()],
        due_date=datetime.date(2025, 12, 31),
        due_precision="quarter",
        recurrence="quarterly",
        recurs_until=datetime.date(2026, 12, 31),
    )
    monitoring.occurrences.filter(due_date=datetime.date(2025, 12, 31)).update(
        done_on=datetime.date(2025, 12, 20)
    )
    Citation.objects.create(agreement=found, source=make_source(), note="berita penandatanganan")
    Document.objects.create(
        agreement=found,
        type=Document.Type.SIGNED_TEXT,
        title="Naskah Kesepakatan Bersama",
        file=ContentFile(PDF, name="naskah.pdf"),
        content_type="application/pdf",
    )
    make_relation(found, make_agreement(title="Nota Kesepakatan 2019"), type="renews")
    make_relation(found, "Perjanjian Kerja Sama Nomor 7 Tahun 2015")
    # A party an editor removed on purpose a day earlier: it must stay removed.
    wrong = Party.objects.create(agreement=found, organisation=make_government(), role="organiser")
    wrong_id = wrong.id
    wrong.delete()
    Party.history.filter(id=wrong_id, history_type="-").update(
        history_date=datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=1)
    )
    return found


def parts(agreement_with_parts):
    return {
        "sectors": sorted(agreement_with_parts.sectors.values_list("name", flat=True)),
        "parties": sorted(agreement_with_parts.parties.values_list("organisation__name", "role")),
        "participants": sorted(
            agreement_with_parts.participants.values_list("position__title", "role")
        ),
        "follow_ups": list(agreement_with_parts.follow_ups.values_list("action", "status")),
        "responsible": sorted(
            agreement_with_parts.follow_ups.values_list("responsible_organisations__name")
        ),
        "occurrences": list(
            FollowUpOccurrence.objects.filter(follow_up__agreement=agreement_with_parts)
            .order_by("due_date")
            .values_list("due_date", "done_on")
        ),
        "citations": list(agreement_with_parts.citations.values_list("source__headline", "note")),
        "documents": list(
            agreement_with_parts.documents.values_list("title", "file", "content_type")
        ),
        "relations": sorted(
            agreement_with_parts.relations.values_list(
                "type", "earlier__title", "earlier_description"
            ),
            key=str,
        ),
    }


def delete_and_restore(client, agreement_with_parts):
    pk = agreement_with_parts.pk
    deleted = client.post(reverse("admin:cooperation_agreement_delete", args=[pk]), {"post": "yes"})
    assert deleted.status_code == 302
    assert not Agreement.objects.filter(pk=pk).exists()
    last = Agreement.history.filter(id=pk, history_type="-").get()
    revert_url = reverse("admin:cooperation_agreement_simple_history", args=[pk, last.history_id])
    return client.post(revert_url, change_form_data(client.get(revert_url)))


def test_restoring_a_deleted_agreement_brings_back_its_parts(
    superuser_client, agreement_with_parts
):
    before = parts(agreement_with_parts)
    assert all(before.values())

    response = delete_and_restore(superuser_client, agreement_with_parts)

    assert response.status_code == 302
    restored = Agreement.objects.get(pk=agreement_with_parts.pk)
    assert restored.title == "Kesepakatan Bersama Banten dan Bengkulu"
    assert parts(restored) == before
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    assert (
        "8 parts deleted with the agreement (its parties, participants, terms, follow-up "
        "actions, evaluations, sources, documents and relations to earlier agreements) were "
        "restored too." in messages
    )


def test_a_restored_document_downloads_again(superuser_client, client, agreement_with_parts):
    delete_and_restore(superuser_client, agreement_with_parts)

    document = Agreement.objects.get(pk=agreement_with_parts.pk).documents.get()
    response = client.get(document.get_absolute_url())

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert Path(document.file.path).exists()


def test_a_restored_agreement_keeps_which_follow_ups_and_documents_came_from_its_evaluations(
    superuser_client, agreement_with_parts, make_follow_up
):
    evaluation = Evaluation.objects.create(
        agreement=agreement_with_parts,
        year=2025,
        evaluated_on=datetime.date(2025, 12, 15),
        assessment=Evaluation.Assessment.DELAYED,
        recommendation="Rapat teknis ulang.",
    )
    recommended = make_follow_up(
        agreement_with_parts, action="Rapat teknis ulang", evaluation=evaluation
    )
    agreement_with_parts.documents.update(evaluation=evaluation)
    for document in agreement_with_parts.documents.all():
        document.save()  # a history record with the link, as an edit in the admin leaves

    response = delete_and_restore(superuser_client, agreement_with_parts)

    assert response.status_code == 302
    restored = Evaluation.objects.get(pk=evaluation.pk)
    assert restored.recommendation == "Rapat teknis ulang."
    assert list(restored.follow_ups.values_list("pk", flat=True)) == [recommended.pk]
    assert restored.documents.count() == 1
    assert FollowUp.objects.get(action="Monitoring triwulanan").evaluation is None


def test_a_part_whose_organisation_was_deleted_since_stays_out(
    superuser_client, agreement_with_parts
):
    party = agreement_with_parts.parties.order_by("id").first()
    gone = party.organisation
    pk = agreement_with_parts.pk
    superuser_client.post(reverse("admin:cooperation_agreement_delete", args=[pk]), {"post": "yes"})
    gone.delete()
    last = Agreement.history.filter(id=pk, history_type="-").get()
    revert_url = reverse("admin:cooperation_agreement_simple_history", args=[pk, last.history_id])

    response = superuser_client.post(revert_url, change_form_data(superuser_client.get(revert_url)))

    assert response.status_code == 302
    restored = Agreement.objects.get(pk=pk)
    assert restored.parties.count() == 1
    assert restored.follow_ups.count() == 1


def test_reverting_an_agreement_brings_back_the_sectors_it_had_then(
    superuser_client, make_agreement, make_sector
):
    investment, tourism = make_sector(name="Investasi"), make_sector(name="Pariwisata")
    agreement = make_agreement(sectors=[investment])
    url = reverse("admin:cooperation_agreement_change", args=[agreement.pk])
    superuser_client.post(url, change_form_data(superuser_client.get(url), sectors=[tourism.pk]))
    assert list(agreement.sectors.all()) == [tourism]
    before_the_edit = agreement.history.order_by("history_id")[1]  # the sector was just set
    assert list(before_the_edit.sectors.values_list("sector", flat=True)) == [investment.pk]
    revert_url = reverse(
        "admin:cooperation_agreement_simple_history",
        args=[agreement.pk, before_the_edit.history_id],
    )

    response = superuser_client.post(revert_url, change_form_data(superuser_client.get(revert_url)))

    assert response.status_code == 302
    assert list(agreement.sectors.all()) == [investment]


# Row locks (SELECT ... FOR UPDATE) need PostgreSQL.
postgresql_only = pytest.mark.postgresql


# Committing test (its own threads and connections); the database may have been flushed by the
# browser tests, so the officers are superusers here rather than Editors.
@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_officers_restoring_one_deleted_agreement_at_once_get_one_restore_and_a_message(
    make_agreement, django_user_model
):
    agreement = make_agreement(title="Kunjungan kerja ke Kota Bandung")
    pk = agreement.pk
    agreement.delete()
    last = Agreement.history.filter(id=pk, history_type="-").get()
    revert_url = reverse("admin:cooperation_agreement_simple_history", args=[pk, last.history_id])
    ani, budi = Client(HTTP_ACCEPT_LANGUAGE="en"), Client(HTTP_ACCEPT_LANGUAGE="en")
    ani.force_login(django_user_model.objects.create_superuser("ani"))
    budi.force_login(django_user_model.objects.create_superuser("budi"))
    budi.raise_request_exception = False
    ani_data = change_form_data(ani.get(revert_url))
    budi_data = change_form_data(budi.get(revert_url))
    responses = []

    def budi_restores():
        try:
            responses.append(budi.post(revert_url, budi_data))
        finally:
            connection.close()

    with transaction.atomic():
        # Ani's restore is saved but not yet committed when Budi's arrives.
        assert ani.post(revert_url, ani_data).status_code == 302
        thread = threading.Thread(target=budi_restores)
        thread.start()
        time.sleep(1)
    thread.join(timeout=30)

    [response] = responses
    assert response.status_code == 200
    assert form_errors(response)[0].startswith("Someone else changed this agreement")
    assert Agreement.objects.filter(pk=pk).count() == 1
    assert Agreement.history.filter(id=pk, history_type="+").count() == 2  # made, restored once
