"""Every catalogue page is valid HTML: html5lib's strict parser (the HTML standard's parsing
algorithm) finds no parse error, no id is used twice, and the Nu HTML Checker (vnu.jar, the
W3C's validator, installed by `make install` from npm's vnu-jar and run with Java) reports no
error."""

import json
import os
import subprocess
import tempfile
from pathlib import Path

import html5lib
import pytest
from django.conf import settings
from django.urls import reverse

from cooperation.models import Agreement, AgreementRelation, FollowUp, Term
from regions.models import Organisation, Person, Region
from tests.helpers import load_fixtures


def catalogue_urls():
    """One URL of every kind of page, on the seed catalogue, including a form with errors."""
    urls = [
        reverse("cooperation:home"),
        reverse("cooperation:agreement_list"),
        reverse("cooperation:agreement_list") + "?region=36&order=-date",
        reverse("cooperation:agreement_list") + "?year=abc&date_from=2025-02-30&q=%3Cb%3E",
        reverse("cooperation:followup_list"),
        reverse("cooperation:followup_list") + "?status=nonsense",
        reverse("regions:region_list"),
        reverse("cooperation:statistics"),
        reverse("cooperation:statistics") + "?region=36&year=2025",
        reverse("cooperation:statistics") + "?year=abc",
        reverse("cooperation:network"),
        reverse("cooperation:network_province", args=["36"]) + "?year=abc&category=KSDD",
        reverse("cooperation:agreement_list") + "?page=999",  # 404 page
        reverse("login"),
        reverse("cooperation:agreement_csv") + "?year=abc",  # 400: the export's filter errors
    ]
    urls += [agreement.get_absolute_url() for agreement in Agreement.objects.all()]
    urls += [
        region.get_absolute_url() for region in Region.objects.filter(code__in=["36", "36.04"])
    ]
    urls += [org.get_absolute_url() for org in Organisation.objects.filter(parties__isnull=False)]
    urls += [person.get_absolute_url() for person in Person.objects.all()]
    return urls


def assert_valid_html(content, url):
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        document = parser.parse(content)
    except html5lib.html5parser.ParseError as error:
        pytest.fail(f"{url}: {error}")
    ids = [element.get("id") for element in document.iter() if element.get("id")]
    duplicates = {value for value in ids if ids.count(value) > 1}
    assert not duplicates, f"{url}: ids used twice: {duplicates}"


VNU_JAR = Path(
    os.environ.get("VNU_JAR")
    or Path(settings.BASE_DIR, ".venv/vnu/node_modules/vnu-jar/build/dist/vnu.jar")
)


def nu_checker_errors(pages):
    """The Nu HTML Checker's errors for ``pages`` ({name: html bytes}), in one run of vnu.jar."""
    assert VNU_JAR.exists(), f"{VNU_JAR} is missing: run `make install` (npm's vnu-jar)"
    with tempfile.TemporaryDirectory() as directory:
        paths = {}
        for index, (name, content) in enumerate(pages.items()):
            path = Path(directory, f"page-{index}.html")
            path.write_bytes(content)
            paths[path.name] = name
        result = subprocess.run(
            ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", directory],
            capture_output=True,
            text=True,
            timeout=600,
        )
    messages = json.loads(result.stderr)["messages"]
    return [
        f"{paths.get(message.get('url', '').rsplit('/', 1)[-1], message.get('url'))}: "
        f"line {message.get('lastLine')}: {message['message']}"
        for message in messages
    ]


def add_terms():
    agreement = Agreement.objects.filter(kind=Agreement.Kind.JOINT_AGREEMENT).first()
    giver, receiver = agreement.parties.all()[:2]
    Term.objects.create(
        agreement=agreement,
        giver=giver,
        receiver=receiver,
        kind="payment",
        amount=14 * 10**9,
        period="yearly",
    )
    Term.objects.create(
        agreement=agreement, giver=giver, kind="capacity_limit", quantity=40, unit="tonnes_per_day"
    )


def add_relations():
    """A chain between the oldest and the newest seed agreement, and a relation to one outside
    the catalogue (the seed articles give none)."""
    oldest, *_others, newest = Agreement.objects.order_by("date")
    AgreementRelation.objects.create(agreement=newest, earlier=oldest, type="follows_up")
    AgreementRelation.objects.create(
        agreement=newest, earlier_description="PKS 2020 No. 12/2020", type="renews"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("staff", [False, True], ids=["visitor", "staff"])
def test_every_catalogue_page_is_valid_html(client, admin_user, staff):
    load_fixtures()
    FollowUp.objects.update(due_date="2025-01-01")  # overdue markers on the pages too
    add_terms()  # the seed articles give no terms: the terms table and totals are checked too
    add_relations()
    urls = catalogue_urls()
    if staff:
        client.force_login(admin_user)
        urls.append(reverse("cooperation:reminder_settings"))  # staff only

    pages = {}
    for url in urls:
        response = client.get(url)
        if url == reverse("login") and staff:
            assert response.status_code == 302  # already logged in
            continue
        assert response.status_code in (200, 400, 404), url
        assert_valid_html(response.content, url)
        pages[url] = response.content

    errors = nu_checker_errors(pages)
    assert not errors, "\n".join(errors)


def test_the_nu_checker_reports_an_error_it_should(db):
    """The checker really runs: an empty form action (once on our list pages) is an error."""
    page = b'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>x</title></head>'
    page += b'<body><form action="" method="get"></form></body></html>'

    [error] = nu_checker_errors({"/broken/": page})

    assert error.startswith("/broken/: line 1: Bad value")
    assert "action" in error
