"""Every catalogue page is valid HTML: html5lib's strict parser (the HTML standard's parsing
algorithm) finds no parse error, and no id is used twice."""

import html5lib
import pytest
from django.urls import reverse

from cooperation.models import Agreement, FollowUp
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
        reverse("cooperation:agreement_list") + "?page=999",  # 404 page
        reverse("login"),
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


@pytest.mark.django_db
@pytest.mark.parametrize("staff", [False, True], ids=["visitor", "staff"])
def test_every_catalogue_page_is_valid_html(client, admin_user, staff):
    load_fixtures()
    FollowUp.objects.update(due_date="2025-01-01")  # overdue markers on the pages too
    if staff:
        client.force_login(admin_user)

    for url in catalogue_urls():
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert_valid_html(response.content, url)
