"""The open-data API: the pages' filters, ordering and pages; drafts for staff only; the
OCDS-shaped agreement; the rate limit for anonymous callers; a valid OpenAPI schema."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.urls import reverse
from openapi_spec_validator import validate

from cooperation.models import Document, Evaluation
from cooperation.views import PAGE_SIZE

AGREEMENTS = reverse("api:agreement-list")


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    """The rate limit counts in the cache: each test starts with none used."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff(db):
    return User.objects.create_user("petugas", password="x", is_staff=True)


def titles(response):
    assert response.status_code == 200, response.content
    return [row["title"] for row in response.json()["results"]]


def test_filters_and_order_give_the_pages_rows(
    client, make_agreement, make_government, make_region
):
    region = make_region()
    government = make_government(region)
    make_agreement(
        title="B", parties=[government, make_government()], date=datetime.date(2024, 1, 1)
    )
    make_agreement(
        title="A", parties=[government, make_government()], date=datetime.date(2025, 1, 1)
    )
    make_agreement(title="Elsewhere")
    query = {"region": region.code, "order": "title"}

    page = client.get(reverse("cooperation:agreement_list"), query)
    api = client.get(AGREEMENTS, query)

    assert titles(api) == ["A", "B"]
    assert api.json()["count"] == page.context["paginator"].count
    assert titles(client.get(AGREEMENTS, {"region": region.code, "year": "2024"})) == ["B"]


def test_pages_have_the_pages_size_and_links(client, make_agreement):
    for n in range(PAGE_SIZE + 3):
        make_agreement(title=f"Kerja sama {n:02d}")

    first = client.get(AGREEMENTS, {"order": "title"}).json()
    second = client.get(first["next"]).json()

    assert first["count"] == PAGE_SIZE + 3
    assert len(first["results"]) == PAGE_SIZE
    assert "order=title" in first["next"]
    assert [row["title"] for row in second["results"]] == [
        f"Kerja sama {n:02d}" for n in range(PAGE_SIZE, PAGE_SIZE + 3)
    ]
    assert client.get(AGREEMENTS, {"page": 99}).status_code == 404


def test_invalid_filters_are_a_400_naming_the_field(client, make_agreement):
    response = client.get(AGREEMENTS, {"year": "abc", "region": "99.99"})

    assert response.status_code == 400
    assert set(response.json()) == {"year", "region"}


def test_anonymous_callers_get_published_records_only(
    client, staff, make_agreement, make_follow_up
):
    published = make_agreement(title="Terbit")
    draft = make_agreement(title="Draf", is_published=False)
    make_follow_up(draft, action="Tindak lanjut draf")
    make_follow_up(published, action="Tindak lanjut terbit")
    detail = reverse("api:agreement-detail", args=[draft.slug])

    assert titles(client.get(AGREEMENTS)) == ["Terbit"]
    assert client.get(detail).status_code == 404
    follow_ups = client.get(reverse("api:followup-list")).json()["results"]
    assert [row["action"] for row in follow_ups] == ["Tindak lanjut terbit"]

    client.force_login(staff)
    assert sorted(titles(client.get(AGREEMENTS))) == ["Draf", "Terbit"]
    assert client.get(detail).json()["isPublished"] is False


def test_an_agreement_is_shaped_after_ocds(
    client, make_agreement, make_follow_up, make_sector, make_relation
):
    earlier = make_agreement(title="Pertemuan penjajakan")
    agreement = make_agreement(
        title="Kesepakatan Bersama",
        valid_from=datetime.date(2025, 1, 1),
        valid_until=datetime.date(2026, 12, 31),
        sectors=[make_sector(slug="pariwisata")],
    )
    make_relation(agreement, earlier)
    make_relation(agreement, "PKS 2023 No. 658/2023", type="renews")
    make_follow_up(agreement, action="Survei", status="done", done_on=datetime.date(2025, 2, 1))
    make_follow_up(agreement, action="Rapat teknis", status="planned")

    data = client.get(reverse("api:agreement-detail", args=[agreement.slug])).json()
    earlier_data = client.get(reverse("api:agreement-detail", args=[earlier.slug])).json()

    assert data["id"] == agreement.slug
    assert data["period"] == {"startDate": "2025-01-01", "endDate": "2026-12-31"}
    assert data["category"] == "KSDD"
    assert data["sectors"] == ["pariwisata"]
    assert [party["roles"] for party in data["parties"]] == [["signatory"], ["signatory"]]
    assert {party["address"]["countryName"] for party in data["parties"]} == {"Indonesia"}
    assert {m["title"]: m["status"] for m in data["milestones"]} == {
        "Survei": "met",
        "Rapat teknis": "scheduled",
    }
    assert data["milestones"][0]["dateMet"] == "2025-02-01"
    assert data["relatedProcesses"][0]["relationship"] == ["prior"]
    assert data["relatedProcesses"][0]["relationType"] == "follows_up"
    assert data["relatedProcesses"][0]["identifier"] == earlier.slug
    assert data["relatedProcesses"][1]["relationship"] == ["prior", "renewalProcess"]
    assert data["relatedProcesses"][1]["title"] == "PKS 2023 No. 658/2023"
    assert data["relatedProcesses"][1]["uri"] is None
    assert earlier_data["relatedProcesses"][0]["relationship"] == ["x_subsequent", "x_followedUpBy"]
    assert earlier_data["relatedProcesses"][0]["identifier"] == agreement.slug
    assert data["uri"] == "http://testserver" + agreement.get_absolute_url()


def test_an_agreement_answers_its_evaluations_latest_first_with_evidence_and_milestones(
    client, make_agreement, make_follow_up, make_organisation
):
    agreement = make_agreement()
    bappeda = make_organisation(slug="bappeda-uji", name="Bappeda Uji")
    earlier = Evaluation.objects.create(
        agreement=agreement,
        year=2025,
        period=Evaluation.Period.FIRST_SEMESTER,
        evaluated_on=datetime.date(2025, 7, 10),
        assessment=Evaluation.Assessment.ON_TRACK,
    )
    latest = Evaluation.objects.create(
        agreement=agreement,
        year=2025,
        evaluated_on=datetime.date(2025, 12, 15),
        evaluator=bappeda,
        assessment=Evaluation.Assessment.DELAYED,
        problems="Anggaran terlambat cair.",
        recommendation="Rapat teknis ulang.",
    )
    follow_up = make_follow_up(agreement, action="Rapat teknis ulang", evaluation=latest)
    evidence = Document.objects.create(
        agreement=agreement,
        type=Document.Type.MINUTES,
        title="Notulen monev",
        file="dokumen/notulen.pdf",
        content_type="application/pdf",
        evaluation=latest,
    )

    data = client.get(reverse("api:agreement-detail", args=[agreement.slug])).json()

    assert [evaluation["id"] for evaluation in data["evaluations"]] == [
        str(latest.pk),
        str(earlier.pk),
    ]
    assert data["evaluations"][0] == {
        "id": str(latest.pk),
        "year": 2025,
        "period": "year",
        "date": "2025-12-15",
        "evaluator": {"id": "bappeda-uji", "name": "Bappeda Uji"},
        "assessment": "delayed",
        "implemented": "",
        "problems": "Anggaran terlambat cair.",
        "recommendation": "Rapat teknis ulang.",
        "documents": [str(evidence.pk)],
        "milestones": [str(follow_up.pk)],
    }
    assert data["evaluations"][1]["evaluator"] is None
    assert data["evaluations"][1]["period"] == "semester_1"


def test_anonymous_callers_are_rate_limited(client, settings, make_agreement):
    settings.API_ANONYMOUS_RATE = "3/minute"
    make_agreement()

    answers = [client.get(AGREEMENTS).status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]
    assert int(client.get(AGREEMENTS)["Retry-After"]) > 0


def test_staff_are_not_rate_limited(client, settings, staff):
    settings.API_ANONYMOUS_RATE = "2/minute"
    client.force_login(staff)

    assert {client.get(AGREEMENTS).status_code for _ in range(4)} == {200}


def test_the_live_schema_is_valid_openapi_and_documents_the_filters(client):
    response = client.get(reverse("api:schema"), {"format": "json"})
    schema = response.json()

    validate(schema)
    parameters = {p["name"] for p in schema["paths"]["/api/agreements/"]["get"]["parameters"]}
    assert {"q", "region", "partner", "sector", "year", "order", "page"} <= parameters


def test_documentation_page_uses_our_own_files_only(client):
    response = client.get(reverse("api:docs"))
    html = response.content.decode()

    assert response.status_code == 200
    assert "<style" not in html and "<script>" not in html
    assert "https://" not in html and "http://" not in html
    script = client.get(reverse("api:docs") + "?script")
    assert script.status_code == 200
    assert reverse("api:schema") in script.content.decode()


def test_login_required_catalogue_closes_the_api_too(client, settings, make_agreement):
    settings.CATALOGUE_LOGIN_REQUIRED = True
    make_agreement()

    assert client.get(AGREEMENTS).status_code == 403
