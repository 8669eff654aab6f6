"""What an officer can type into the admin's address bar never gives a 500: a NUL character in a
list filter or an autocomplete search, a year no date can have, a history version that is not a
number. Each gives an empty list, Django's "invalid filter" redirect, or a 404."""

import pytest
from django.urls import reverse

from cooperation.models import Agreement, FollowUp, Party
from regions.models import Organisation, Region, Tenure

NUL = "a\x00b"


@pytest.fixture
def agreement(make_agreement, make_sector):
    # With a sector: a filter with no choices is not shown, and not applied either.
    return make_agreement(title="Kerja sama Banten dan Bengkulu", sectors=[make_sector()])


def changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def shown(response):
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


@pytest.mark.parametrize("name", ["region", "category", "partner", "sector", "year"])
@pytest.mark.parametrize("value", [NUL, "\x00"])
def test_a_nul_character_in_an_agreement_filter_lists_nothing(
    superuser_client, agreement, name, value
):
    assert shown(superuser_client.get(changelist(Agreement), {name: value})) == []


@pytest.mark.parametrize(
    ("model", "name"),
    [
        (Region, "province"),
        (Organisation, "province"),
        (Organisation, "country"),
        (Party, "organisation"),
        (FollowUp, "responsible"),
    ],
)
def test_a_nul_character_in_another_list_filter_lists_nothing(
    superuser_client, agreement, model, name
):
    assert shown(superuser_client.get(changelist(model), {name: NUL})) == []


def test_a_nul_character_in_an_autocomplete_search_finds_nothing(superuser_client, agreement):
    response = superuser_client.get(
        reverse("admin:autocomplete"),
        {
            "term": NUL,
            "app_label": "cooperation",
            "model_name": "agreement",
            "field_name": "venue_region",
        },
    )

    assert response.status_code == 200
    assert response.json()["results"] == []


@pytest.mark.parametrize("year", ["99999", "9" * 40, "0", "-1", "2025.5", "²"])
def test_a_year_no_date_can_have_lists_nothing(superuser_client, agreement, year):
    assert shown(superuser_client.get(changelist(Agreement), {"year": year})) == []


@pytest.mark.parametrize(
    "params",
    [
        {"start_date__year": "99999"},
        {"start_date__year": "9999"},  # its year's end is past the last date
        {"start_date__year": "9" * 40},
        {"start_date__year": "2021", "start_date__month": "13"},
        {"start_date__year": "2021", "start_date__month": "2", "start_date__day": "99"},
    ],
)
def test_a_date_hierarchy_value_no_date_can_have_is_refused(superuser_client, make_tenure, params):
    make_tenure()

    response = superuser_client.get(changelist(Tenure), params)

    # Django's answer to an invalid filter: the unfiltered list with an error flag.
    assert response.status_code == 302
    assert response.url.endswith("?e=1")


@pytest.mark.parametrize("version", ["abc", "1.5", "9" * 40])
def test_a_history_version_that_is_not_a_number_is_not_found(superuser_client, agreement, version):
    url = reverse("admin:cooperation_agreement_simple_history", args=[agreement.pk, version])

    assert superuser_client.get(url).status_code == 404
