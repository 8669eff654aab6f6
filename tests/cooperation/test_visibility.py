"""No side channel: an organisation, an official, a sector or a country known only through
drafts is in no public list of choices and has no public page; staff see them all."""

import html as html_text
import re

import pytest
from django.urls import reverse

from cooperation.selectors import (
    visible_foreign_countries,
    visible_organisations,
    visible_people,
    visible_sectors,
)
from regions.models import Organisation
from tests.helpers import html


@pytest.fixture
def draft_only(make_agreement, make_organisation, make_person, make_participant, make_sector):
    """A draft naming a foreign institution, an official and a sector that nothing published
    names, beside a published agreement."""
    secret = make_organisation(
        slug="lembaga-rahasia", name="Lembaga Rahasia", kind="institution", country="KR"
    )
    draft = make_agreement(
        title="Draf kerja sama",
        is_published=False,
        parties=[secret],
        sectors=[make_sector(slug="sektor-rahasia", name="Sektor Rahasia")],
    )
    official = make_person(slug="pejabat-rahasia", name="Pejabat Rahasia")
    make_participant(draft, person=official)
    published = make_agreement(title="Kerja sama terbit")
    return {"organisation": secret, "person": official, "published": published}


def choices(response, name):
    """The labels of the filter form's select ``name`` as the page shows them (the form's
    fields render from a cache: cooperation.filters.CachedFieldGroup)."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html(response), re.S)
    options = re.findall(r"<option[^>]*>(.*?)</option>", select.group(1), re.S)
    return [html_text.unescape(label) for label in options]


def suggested(client, text):
    """The names the organisation picker suggests for ``text``."""
    response = client.get(reverse("cooperation:pick_organisation"), {"q": text})
    return [choice["label"] for choice in response.json()["results"]]


def found(client, url_name, name, text):
    """Whether the list's text filter ``name`` takes ``text`` as a record (no form error)."""
    response = client.get(reverse(url_name), {name: text})
    return name not in response.context["filter"].form.errors


def test_filter_choices_leave_out_what_only_drafts_name(client, english, draft_only):
    agreements = client.get(reverse("cooperation:agreement_list"))
    follow_ups = client.get(reverse("cooperation:followup_list"))

    assert "Sektor Rahasia" not in choices(agreements, "sector")
    assert "South Korea" not in choices(agreements, "country")
    assert "Rahasia" not in agreements.content.decode()
    assert "Rahasia" not in follow_ups.content.decode()
    assert suggested(client, "Lembaga Rahasia") == []
    assert not found(client, "cooperation:agreement_list", "partner", "lembaga-rahasia")
    assert not found(client, "cooperation:followup_list", "responsible", "Lembaga Rahasia")
    published_party = draft_only["published"].parties.first().organisation
    assert suggested(client, published_party.name) == [published_party.name]
    assert found(client, "cooperation:agreement_list", "partner", published_party.slug)


def test_pages_of_what_only_drafts_name_are_404_to_visitors(client, draft_only):
    assert client.get(draft_only["organisation"].get_absolute_url()).status_code == 404
    assert client.get(draft_only["person"].get_absolute_url()).status_code == 404


def test_staff_see_the_choices_and_pages_of_drafts(client, english, admin_user, draft_only):
    client.force_login(admin_user)

    agreements = client.get(reverse("cooperation:agreement_list"))

    assert suggested(client, "Lembaga Rahasia") == ["Lembaga Rahasia"]
    assert found(client, "cooperation:agreement_list", "partner", "lembaga-rahasia")
    assert found(client, "cooperation:followup_list", "responsible", "Lembaga Rahasia")
    assert "Sektor Rahasia" in choices(agreements, "sector")
    assert "South Korea" in choices(agreements, "country")
    assert client.get(draft_only["organisation"].get_absolute_url()).status_code == 200
    assert client.get(draft_only["person"].get_absolute_url()).status_code == 200


def test_once_a_published_agreement_names_it_it_is_public(
    client, draft_only, make_agreement, make_government, make_participant
):
    published = make_agreement(parties=[make_government(), draft_only["organisation"]])
    make_participant(published, person=draft_only["person"])

    assert client.get(draft_only["organisation"].get_absolute_url()).status_code == 200
    assert client.get(draft_only["person"].get_absolute_url()).status_code == 200


def test_what_no_agreement_names_yet_stays_public(client, make_government, make_person):
    government = make_government()
    person = make_person()

    assert client.get(government.get_absolute_url()).status_code == 200
    assert client.get(person.get_absolute_url()).status_code == 200


def test_an_agency_known_only_through_a_draft_is_not_listed_on_its_region_s_page(
    client, banten, make_agreement
):
    make_agreement(is_published=False, parties=[banten["bappeda"]])

    page = client.get(banten["kabupaten"].get_absolute_url()).content.decode()

    assert "Bappeda Litbang Kabupaten Serang" not in page
    assert "Pemerintah Kabupaten Serang" in page


def test_an_official_known_only_through_a_draft_is_not_listed_as_a_post_holder(
    client, banten, make_agreement, make_position, make_person, make_tenure, make_participant
):
    bupati = make_position(organisation=banten["pemkab"], title="Bupati Serang", role="head")
    official = make_person(name="Pejabat Rahasia")
    make_tenure(person=official, position=bupati)
    make_participant(make_agreement(is_published=False), person=official, position=bupati)

    region_page = client.get(banten["kabupaten"].get_absolute_url()).content.decode()
    organisation_page = client.get(banten["pemkab"].get_absolute_url()).content.decode()

    assert "Pejabat Rahasia" not in region_page
    assert "Pejabat Rahasia" not in organisation_page


def test_the_rule_is_one_set_of_functions_for_pages_filters_and_pickers(
    django_user_model, draft_only
):
    visitor = django_user_model.objects.create_user("pembaca")
    staff = django_user_model.objects.create_user("staf", is_staff=True)

    for user, known in ((None, False), (visitor, False), (staff, True)):
        assert visible_organisations(user).filter(slug="lembaga-rahasia").exists() is known
        assert visible_people(user).filter(slug="pejabat-rahasia").exists() is known
        assert visible_sectors(user).filter(slug="sektor-rahasia").exists() is known
        assert ("KR" in dict(visible_foreign_countries(user))) is known
    assert Organisation.objects.filter(slug="lembaga-rahasia").exists()


def test_cached_filter_choices_keep_staff_and_visitors_apart(
    client, english, admin_user, draft_only
):
    """The list's sector and country choices are cached (selectors.filter_choices): a visitor
    after a staff member, in the same process, still does not see what only drafts name, and
    staff after a visitor still see it."""
    url = reverse("cooperation:agreement_list")
    client.force_login(admin_user)
    assert "Sektor Rahasia" in choices(client.get(url), "sector")
    client.logout()

    visitor = client.get(url)
    assert "Sektor Rahasia" not in choices(visitor, "sector")
    assert "South Korea" not in choices(visitor, "country")
    assert "Rahasia" not in visitor.content.decode()

    client.force_login(admin_user)
    assert "South Korea" in choices(client.get(url), "country")


def test_cached_filter_choices_follow_new_records_and_the_language(
    client, make_agreement, make_organisation, make_sector
):
    url = reverse("cooperation:agreement_list")
    make_agreement(sectors=[make_sector(slug="pariwisata", name="Pariwisata", name_en="Tourism")])
    assert "Tourism" in choices(client.get(url, HTTP_ACCEPT_LANGUAGE="en"), "sector")
    assert "Pariwisata" in choices(client.get(url, HTTP_ACCEPT_LANGUAGE="id"), "sector")

    # A sector and a country published since the last page are offered on the next one.
    partner = make_organisation(name="Lembaga Jepang", kind="institution", country="JP")
    make_agreement(parties=[partner], sectors=[make_sector(slug="umkm", name="UMKM")])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert "UMKM" in choices(page, "sector")
    assert "Japan" in choices(page, "country")
