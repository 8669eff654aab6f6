"""What every admin page of the catalogue does, for every registered model of the regions and
cooperation apps: its list, add, change and history pages open, its list sorts by every column
and costs the same number of queries at 1 row and at 20.

A model registered later is covered without touching this file, once ``make_rows`` knows how
to build one of its rows (a test says so when it does not).
"""

import datetime

import pytest
from django.contrib import admin
from django.core.files.base import ContentFile

from cooperation.models import (
    Agreement,
    Citation,
    Document,
    FollowUp,
    Participant,
    Party,
    Sector,
    Source,
)
from regions.admin import CatalogueAdmin
from regions.models import Organisation, Person, Position, Region, Tenure
from tests.helpers import CATALOGUE_APPS, PDF, admin_url, catalogue_models, count_queries

ADMINS = sorted(
    (model for model in admin.site._registry if model._meta.app_label in CATALOGUE_APPS),
    key=lambda model: model._meta.label,
)
PAST = datetime.date(2024, 1, 15)


def model_id(model):
    return model._meta.label_lower


@pytest.fixture
def make_rows(
    media,
    make_agreement,
    make_sector,
    make_source,
    make_region,
    make_government,
    make_organisation,
    make_person,
    make_position,
    make_participant,
    make_follow_up,
):
    """``make_rows(Model)`` adds one row of ``Model`` with every relation its list shows."""

    def agreement():
        found = make_agreement(sectors=[make_sector()], venue_region=make_region())
        Citation.objects.create(agreement=found, source=make_source())
        return found

    def document():
        return Document.objects.create(
            agreement=make_agreement(),
            type=Document.Type.SIGNED_TEXT,
            title="Naskah kesepakatan",
            file=ContentFile(PDF, name="naskah.pdf"),
            content_type="application/pdf",
        )

    def sector():
        made = make_sector()
        make_agreement(sectors=[made])
        return made

    def source():
        made = make_source()
        for _ in range(2):
            Citation.objects.create(agreement=make_agreement(), source=made)
        return made

    def tenure():
        person = make_person(honorific_prefix="H.", honorific_suffix="S.E.")
        position = make_position(title=f"Bupati {person.slug}", organisation=make_government())
        return Tenure.objects.create(
            person=person, position=position, start_date=datetime.date(2021, 2, 26)
        )

    def organisation():
        government = make_government()
        return make_organisation(
            kind=Organisation.Kind.REGIONAL_AGENCY, parent=government, region=government.region
        )

    builders = {
        Agreement: agreement,
        Party: lambda: agreement().parties.first(),
        Participant: lambda: make_participant(agreement(), position=make_position()),
        FollowUp: lambda: make_follow_up(
            agreement(), responsible=make_organisation(), source=make_source(), due_date=PAST
        ),
        Citation: lambda: agreement().citations.get(),
        Document: document,
        Sector: sector,
        Source: source,
        Region: make_region,
        Organisation: organisation,
        Person: lambda: tenure().person,
        Position: lambda: tenure().position,
        Tenure: tenure,
    }

    def make(model):
        return builders[model]()

    make.models = set(builders)
    return make


def test_every_catalogue_model_has_a_catalogue_admin_with_history(make_rows):
    assert set(ADMINS) == set(catalogue_models())
    for model in ADMINS:
        assert isinstance(admin.site._registry[model], CatalogueAdmin), model
    assert make_rows.models == set(ADMINS), "make_rows needs a builder for every admin"


@pytest.mark.parametrize("model", ADMINS, ids=model_id)
def test_changelist_add_change_and_history_pages_open_for_a_superuser(
    superuser_client, make_rows, model
):
    obj = make_rows(model)

    changelist = superuser_client.get(admin_url(model, "changelist"))
    add = superuser_client.get(admin_url(model, "add"))
    change = superuser_client.get(admin_url(model, "change", obj.pk))
    history = superuser_client.get(admin_url(model, "history", obj.pk))

    assert changelist.status_code == 200
    assert obj in changelist.context["cl"].result_list
    assert add.status_code == 200
    assert f"Add {model._meta.verbose_name}" in add.content.decode()
    assert change.status_code == 200
    assert f"Change {model._meta.verbose_name}" in change.content.decode()
    assert change.context["original"] == obj
    assert history.status_code == 200
    assert str(obj) in history.content.decode()


@pytest.mark.parametrize("model", ADMINS, ids=model_id)
def test_changelist_sorts_by_every_column(superuser_client, make_rows, model):
    first, second = make_rows(model), make_rows(model)
    columns = len(admin.site._registry[model].list_display)

    for index in range(1, columns + 1):
        for order in (str(index), f"-{index}"):
            response = superuser_client.get(admin_url(model, "changelist"), {"o": order})
            assert response.status_code == 200
            assert {first, second} <= set(response.context["cl"].result_list)


@pytest.mark.parametrize("model", ADMINS, ids=model_id)
def test_changelist_queries_do_not_grow_with_the_rows(superuser_client, make_rows, model):
    url = admin_url(model, "changelist")
    make_rows(model)
    superuser_client.get(url)  # warm the caches (content types, session)
    with_one = count_queries(superuser_client, url)

    for _ in range(19):
        make_rows(model)
    with_twenty = count_queries(superuser_client, url)

    assert model.objects.count() >= 20
    assert with_twenty == with_one
