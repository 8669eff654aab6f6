"""Pages that are not filtered lists (those are covered by tests/test_property_filters.py) take
any query string: a page number that is not a number, or is out of range, still shows the
records, and nothing typed is echoed as markup."""

import pytest

MARKUP = "<script>alert(1)</script>"
PAGE_VALUES = ["abc", "0", "-1", "9" * 40, "a\x00b", MARKUP]


@pytest.fixture
def pages(make_agreement, make_follow_up, make_person, make_participant):
    """Every catalogue page that is not a filtered list, with one published record behind it."""
    agreement = make_agreement(title="Kerja sama contoh")
    make_follow_up(agreement)
    person = make_person()
    make_participant(agreement, person=person)
    party = agreement.parties.select_related("organisation__region").first()
    return {
        "/": "Kerja sama contoh",
        agreement.get_absolute_url(): "Kerja sama contoh",
        "/regions/": str(party.organisation.region),
        party.organisation.region.get_absolute_url(): "Kerja sama contoh",
        party.organisation.get_absolute_url(): "Kerja sama contoh",
        person.get_absolute_url(): "Kerja sama contoh",
    }


@pytest.mark.parametrize("value", PAGE_VALUES)
def test_a_bad_page_number_or_query_still_shows_the_records(client, pages, value):
    for url, shown in pages.items():
        response = client.get(url, {"page": value, "q": value})

        content = response.content.decode()
        assert response.status_code == 200, url
        assert shown in content, url
        assert MARKUP not in content, url
