"""Typed relations between agreements (issue 7 item 4): the rules, the data moved from
"follows from", the chain on the agreement page, and what relations change elsewhere (no
progress, reminders, exports, the admin)."""

import csv
import datetime
import importlib
import io

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from cooperation.models import Agreement, AgreementRelation
from cooperation.reminders import due_reminders
from tests.helpers import (
    admin_url,
    assert_database_refuses,
    change_form_data,
    clean_errors,
    count_queries,
    html,
)

Type = AgreementRelation.Type
EARLY = datetime.date(2023, 3, 1)
LATE = datetime.date(2025, 3, 1)


@pytest.fixture(autouse=True)
def english():
    """Messages of model rules in English (pages follow each request's language)."""
    with translation.override("en"):
        yield


@pytest.fixture
def pks_2023(make_agreement):
    return make_agreement(
        title="PKS Pengelolaan Sampah 2023",
        kind=Agreement.Kind.COOPERATION_AGREEMENT,
        date=EARLY,
    )


@pytest.fixture
def pks_2025(make_agreement):
    return make_agreement(
        title="PKS Pengelolaan Sampah 2025",
        kind=Agreement.Kind.COOPERATION_AGREEMENT,
        date=LATE,
    )


# --- Rules ----------------------------------------------------------------------------------


def test_a_relation_names_the_earlier_agreement_or_describes_it_not_both(pks_2023, pks_2025):
    both = AgreementRelation(
        agreement=pks_2025, type=Type.RENEWS, earlier=pks_2023, earlier_description="PKS 2023"
    )
    neither = AgreementRelation(agreement=pks_2025, type=Type.RENEWS)

    assert clean_errors(both)["earlier_description"] == [
        "Leave this empty when the earlier agreement is chosen from the catalogue."
    ]
    assert clean_errors(neither)["earlier"] == [
        "Choose the earlier agreement, or describe it if it is not in the catalogue."
    ]
    assert_database_refuses(both)
    assert_database_refuses(neither)


def test_an_earlier_agreement_outside_the_catalogue_is_described(pks_2025):
    relation = AgreementRelation(
        agreement=pks_2025, type=Type.RENEWS, earlier_description="PKS 2023 No. 658/2023"
    )

    relation.full_clean()
    relation.save()
    assert str(relation) == "renews: PKS 2023 No. 658/2023"


def test_an_agreement_cannot_be_related_to_itself(pks_2025):
    relation = AgreementRelation(agreement=pks_2025, type=Type.AMENDS, earlier=pks_2025)

    assert clean_errors(relation)["earlier"] == ["An agreement cannot be related to itself."]
    assert_database_refuses(relation)


def test_the_same_relation_is_recorded_once_but_another_type_is_fine(
    pks_2023, pks_2025, make_relation
):
    make_relation(pks_2025, pks_2023, type=Type.RENEWS)
    again = AgreementRelation(agreement=pks_2025, type=Type.RENEWS, earlier=pks_2023)

    assert clean_errors(again)["__all__"] == [
        "This relation to the earlier agreement is already recorded."
    ]
    assert_database_refuses(again)
    AgreementRelation(agreement=pks_2025, type=Type.AMENDS, earlier=pks_2023).full_clean()


def test_two_descriptions_of_earlier_agreements_are_fine(pks_2025, make_relation):
    make_relation(pks_2025, "PKS 2021", type=Type.RENEWS)

    AgreementRelation(agreement=pks_2025, type=Type.RENEWS, earlier_description="PKS 2023").save()


def test_a_renewal_is_not_older_than_what_it_renews(pks_2023, pks_2025):
    backwards = AgreementRelation(agreement=pks_2023, type=Type.RENEWS, earlier=pks_2025)

    message = clean_errors(backwards)["earlier"][0]
    assert "after this one" in message and "2025" in message and "2023" in message
    AgreementRelation(agreement=pks_2025, type=Type.RENEWS, earlier=pks_2023).full_clean()


def test_an_unknown_type_is_refused(pks_2023, pks_2025):
    relation = AgreementRelation(agreement=pks_2025, type="continues", earlier=pks_2023)

    assert "type" in clean_errors(relation)
    assert_database_refuses(relation)


def test_relations_keep_history(pks_2023, pks_2025, make_relation):
    relation = make_relation(pks_2025, pks_2023, type=Type.RENEWS)
    relation.type = Type.REPLACES
    relation.save()

    assert list(relation.history.values_list("type", flat=True)) == ["replaces", "renews"]


# --- "Follows from" moved to relations ------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_follows_from_becomes_a_follows_up_relation_and_back():
    migration = importlib.import_module("cooperation.migrations.0020_agreement_relations")
    before_removal = [("cooperation", "0020_agreement_relations")]
    executor = MigrationExecutor(connection)
    executor.migrate(before_removal)
    try:
        apps = executor.loader.project_state(before_removal).apps
        OldAgreement = apps.get_model("cooperation", "Agreement")
        Relation = apps.get_model("cooperation", "AgreementRelation")
        fields = {"kind": "joint_agreement", "stage": "exploration"}
        meeting = OldAgreement.objects.create(
            slug="pertemuan", title="Pertemuan", date=EARLY, **fields
        )
        mou = OldAgreement.objects.create(
            slug="ksb", title="KSB", date=LATE, follows_from=meeting, **fields
        )
        OldAgreement.objects.create(slug="lain", title="Lain", date=LATE, **fields)

        migration.follows_from_to_relations(apps, None)
        migration.follows_from_to_relations(apps, None)  # again: nothing more
        relations = list(Relation.objects.values_list("agreement", "earlier", "type"))
        OldAgreement.objects.update(follows_from=None)
        migration.relations_to_follows_from(apps, None)

        assert relations == [(mou.pk, meeting.pk, "follows_up")]
        assert dict(OldAgreement.objects.values_list("slug", "follows_from")) == {
            "pertemuan": None,
            "ksb": meeting.pk,
            "lain": None,
        }
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


# --- The agreement page ---------------------------------------------------------------------


@pytest.fixture
def chain(make_agreement, make_relation):
    """A meeting, the KSB that follows it up, a PKS implementing the KSB, its addendum, and a
    draft PKS under the same KSB; the PKS also renews one outside the catalogue."""
    meeting = make_agreement(title="Pertemuan penjajakan", date=datetime.date(2022, 5, 1))
    ksb = make_agreement(title="KSB Serang Bandung", date=datetime.date(2022, 9, 1))
    pks = make_agreement(title="PKS Persampahan", date=datetime.date(2023, 2, 1))
    addendum = make_agreement(title="Adendum PKS Persampahan", date=datetime.date(2024, 2, 1))
    draft = make_agreement(title="PKS draf", date=datetime.date(2024, 6, 1), is_published=False)
    make_relation(ksb, meeting)
    make_relation(pks, ksb, type=Type.IMPLEMENTS)
    make_relation(pks, "PKS 2020 No. 12/2020", type=Type.RENEWS)
    make_relation(addendum, pks, type=Type.AMENDS, note="Pasal 5 diubah")
    make_relation(draft, ksb, type=Type.IMPLEMENTS)
    make_relation(make_agreement(title="Di balik draf", date=datetime.date(2025, 1, 1)), draft)
    return meeting, ksb, pks, addendum, draft


def test_the_page_shows_the_whole_chain_oldest_first_in_both_directions(client, chain):
    meeting, ksb, pks, addendum, draft = chain

    page = html(client.get(pks.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"))
    section = page[page.index('id="related"') :]

    titles = [meeting.title, ksb.title, pks.title, addendum.title]
    positions = [section.index(title) for title in titles]
    assert positions == sorted(positions), "oldest first"
    assert "History and chain of agreements" in page
    assert "Follows up: Pertemuan penjajakan" in section
    assert "Implements: KSB Serang Bandung" in section
    assert "Renews: PKS 2020 No. 12/2020" in section and "(not in the catalogue)" in section
    assert "Amended by: " in section and "Pasal 5 diubah" in section
    assert '<strong aria-current="page">PKS Persampahan</strong>' in section


def test_the_chain_speaks_indonesian(client, chain):
    pks = chain[2]

    page = html(client.get(pks.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="id"))

    assert "Riwayat / Rangkaian" in page
    assert "Melaksanakan: KSB Serang Bandung" in page
    assert "Memperpanjang: PKS 2020 No. 12/2020" in page
    assert "Diubah dengan: " in page


def test_visitors_see_no_draft_in_the_chain_nor_what_lies_beyond_it(client, admin_user, chain):
    ksb = chain[1]

    page = html(client.get(ksb.get_absolute_url()))
    client.force_login(admin_user)
    staff_page = html(client.get(ksb.get_absolute_url()))

    assert "PKS draf" not in page and "Di balik draf" not in page
    assert "PKS draf" in staff_page and "Di balik draf" in staff_page


def test_a_published_agreement_never_shows_a_draft_predecessor(
    client, make_agreement, make_relation
):
    draft = make_agreement(title="Pendahulu draf", date=EARLY, is_published=False)
    later = make_agreement(title="Penerus", date=LATE)
    make_relation(later, draft)

    page = html(client.get(later.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"))

    assert "Pendahulu draf" not in page
    assert "No related agreements recorded." in page


@pytest.mark.parametrize("length", [1, 12])
def test_the_chain_costs_one_query_however_long(
    client, make_agreement, make_relation, django_assert_num_queries, length
):
    previous = first = make_agreement(date=datetime.date(2020, 1, 1))
    for n in range(length):
        later = make_agreement(date=datetime.date(2020, 1, 1) + datetime.timedelta(days=30 * n))
        make_relation(later, previous, type=Type.AMENDS)
        make_relation(later, f"Dokumen lama {n}", type=Type.RENEWS)
        previous = later
    # the agreement page's 9 queries (see test_views), the chain (its relations, the chain's
    # ids in their subqueries)
    with django_assert_num_queries(10):
        response = client.get(first.get_absolute_url())
    assert len(response.context["chain"].steps) == length + 1


def test_the_fact_sheet_lists_the_chain(client, chain):
    pks = chain[2]
    response = client.get(reverse("cooperation:agreement_fact_sheet", args=[pks.slug]))
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)

    assert "Riwayat / Rangkaian" in text
    assert "KSB Serang Bandung" in text and "PKS draf" not in text


# --- No progress (issue 11 item 6) ----------------------------------------------------------


def test_an_unpublished_follow_on_does_not_drop_an_agreement_from_no_progress(
    client, admin_user, make_agreement, make_relation, today
):
    old = make_agreement(title="Lama tanpa kemajuan", date=today - datetime.timedelta(days=400))
    make_relation(
        make_agreement(
            title="Draf lanjutan", date=today - datetime.timedelta(days=20), is_published=False
        ),
        old,
    )

    public = client.get(reverse("cooperation:home"))
    client.force_login(admin_user)
    staff = client.get(reverse("cooperation:home"))

    assert [a.title for a in public.context["stalled"]] == ["Lama tanpa kemajuan"]
    assert list(staff.context["stalled"]) == []


@pytest.mark.parametrize("type", Type.values)
def test_a_recent_later_agreement_of_any_type_is_progress(
    make_agreement, make_relation, today, type
):
    old = make_agreement(date=today - datetime.timedelta(days=400))
    make_relation(make_agreement(date=today - datetime.timedelta(days=20)), old, type=type)

    assert not Agreement.objects.stalled().filter(pk=old.pk).exists()


# --- Reminders stop once renewed ------------------------------------------------------------


@pytest.mark.parametrize(
    ("type", "published", "reminded"),
    [
        (Type.RENEWS, True, False),
        (Type.REPLACES, True, False),
        (Type.TERMINATES, True, False),
        (Type.RENEWS, False, True),  # a draft renewal is not a renewal yet
        (Type.AMENDS, True, True),  # an addendum changes it; it still ends
        (Type.IMPLEMENTS, True, True),
    ],
)
def test_no_expiry_reminder_once_a_published_later_agreement_renews_it(
    make_agreement, make_relation, today, type, published, reminded
):
    ending = make_agreement(valid_until=today + datetime.timedelta(days=20))
    later = make_agreement(date=today - datetime.timedelta(days=5), is_published=published)
    make_relation(later, ending, type=type)

    reminders = [r for r in due_reminders() if r.agreement == ending]

    assert bool(reminders) is reminded


# --- Exports --------------------------------------------------------------------------------


def test_exports_list_relations_without_drafts_for_visitors(client, admin_user, chain):
    def rows():
        response = client.get(reverse("cooperation:agreement_csv"), {"lang": "en"})
        text = b"".join(response.streaming_content).decode("utf-8")[1:]
        return {row["Title"]: row for row in csv.DictReader(io.StringIO(text))}

    public = rows()
    client.force_login(admin_user)
    staff = rows()

    assert public["PKS Persampahan"]["Relations to earlier agreements"] == (
        "implements: KSB Serang Bandung; renews: PKS 2020 No. 12/2020"
    )
    assert public["Di balik draf"]["Relations to earlier agreements"] == ""
    assert staff["Di balik draf"]["Relations to earlier agreements"] == "follows up: PKS draf"


# --- Admin ----------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [1, 20])
def test_the_change_page_costs_the_same_with_one_relation_or_many(
    superuser_client, make_agreement, make_relation, rows
):
    later = make_agreement(date=LATE)
    for n in range(rows):
        make_relation(later, make_agreement(title=f"Terdahulu {n}", date=EARLY))
    url = admin_url(Agreement, "change", later.pk)

    response = superuser_client.get(url)
    queries = count_queries(superuser_client, url)

    assert response.content.decode().count("Terdahulu ") >= rows
    # constant: each row's earlier agreement comes with the rows (no query per row)
    assert queries == 34


def test_the_admin_refuses_a_renewal_older_than_what_it_renews(
    superuser_client, pks_2023, pks_2025
):
    url = admin_url(Agreement, "change", pks_2023.pk)
    page = superuser_client.get(url)
    data = change_form_data(
        page,
        **{
            "relations-TOTAL_FORMS": "1",
            "relations-0-type": "renews",
            "relations-0-earlier": str(pks_2025.pk),
        },
    )

    response = superuser_client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "after this one" in response.content.decode()
    assert not AgreementRelation.objects.exists()
