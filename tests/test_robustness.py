"""Any query string gives a normal page, a form error, an empty list or a 404: never a 500, and
nothing a visitor typed is echoed unescaped."""

import pytest

from cooperation.filters import AgreementFilter, FollowUpFilter

MARKUP = "<script>alert(1)</script>"
BAD_VALUES = [
    pytest.param("does-not-exist", id="unknown-id"),
    pytest.param("99.99", id="unknown-code"),
    pytest.param("2025-13-45", id="malformed-date"),
    pytest.param("0", id="zero"),
    pytest.param("-1", id="minus-one"),
    pytest.param(str(10**9), id="huge"),
    pytest.param("9" * 40, id="enormous-number"),
    pytest.param("abc", id="letters"),
    pytest.param("x" * 5000, id="5000-characters"),
    pytest.param("a\x00b", id="nul-byte"),
    pytest.param(MARKUP, id="markup"),
]


@pytest.fixture
def pages(make_agreement, make_follow_up, make_person, make_participant):
    """Every catalogue page, with one published record behind each."""
    agreement = make_agreement(title="Kerja sama contoh")
    make_follow_up(agreement)
    person = make_person()
    make_participant(agreement, person=person)
    party = agreement.parties.select_related("organisation__region").first()
    return {
        "home": "/",
        "agreement_list": "/agreements/",
        "agreement_detail": agreement.get_absolute_url(),
        "followup_list": "/follow-ups/",
        "region_list": "/regions/",
        "region_detail": party.organisation.region.get_absolute_url(),
        "organisation_detail": party.organisation.get_absolute_url(),
        "person_detail": person.get_absolute_url(),
    }


def assert_safe(response):
    assert response.status_code in (200, 404), response.status_code
    content = response.content.decode()
    assert MARKUP not in content
    assert "<script" not in content


LIST_FILTERS = [
    ("agreement_list", name) for name in [*AgreementFilter.base_filters, "page", "unknown"]
] + [("followup_list", name) for name in [*FollowUpFilter.base_filters, "page", "unknown"]]


@pytest.mark.parametrize("value", BAD_VALUES)
@pytest.mark.parametrize(("page", "name"), LIST_FILTERS)
def test_list_filters_survive_any_value(client, pages, page, name, value):
    response = client.get(pages[page], {name: value})

    assert_safe(response)
    if response.status_code == 200:
        assert "Kerja sama contoh" in response.content.decode() or (
            response.context["filter"].errors or not response.context["object_list"]
        )


@pytest.mark.parametrize("value", BAD_VALUES)
@pytest.mark.parametrize(
    "page",
    [
        "home",
        "agreement_detail",
        "region_list",
        "region_detail",
        "organisation_detail",
        "person_detail",
    ],
)
def test_other_pages_ignore_or_reject_any_query_string(client, pages, page, value):
    assert_safe(client.get(pages[page], {"page": value, "q": value}))


@pytest.mark.parametrize("page", ["agreement_list", "followup_list"])
@pytest.mark.parametrize("number", ["0", "-1", str(10**9), "abc"])
def test_out_of_range_pages_of_a_list_are_404(client, pages, page, number):
    response = client.get(pages[page], {"page": number})

    assert response.status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/agreements/does-not-exist/",
        "/agreements/%3Cscript%3E/",
        "/regions/99/",
        "/regions/36.04.01/",
        "/regions/%00/",
        "/organisations/does-not-exist/",
        "/officials/does-not-exist/",
        "/officials/a%00b/",
    ],
)
def test_unknown_records_are_404(client, db, path):
    response = client.get(path)

    assert response.status_code == 404
    assert "<script" not in response.content.decode()


def test_markup_in_a_filter_is_shown_escaped_in_the_form(client, pages):
    response = client.get(pages["agreement_list"], {"q": MARKUP})

    content = response.content.decode()
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in content
    assert MARKUP not in content


def test_text_of_5000_characters_is_a_form_error_not_a_crash(client, pages):
    response = client.get(pages["agreement_list"], {"q": "x" * 5000}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "Ensure this value has at most 200 characters" in response.content.decode()
    assert list(response.context["object_list"]) == []
