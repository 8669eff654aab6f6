"""What every admin page of the catalogue does, for every registered model of the regions and
cooperation apps: its list, add, change and history pages open, its list sorts by every column
and costs the same number of queries at 1 row and at 20, and a save from a page that someone
else's save made stale is refused.

A model registered later is covered without touching this file, once ``make_rows`` knows how
to build one of its rows (a test says so when it does not).
"""

import datetime

import pytest
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.forms.models import _get_foreign_key
from django.test import Client

from cooperation.models import (
    Agreement,
    AgreementRelation,
    Citation,
    Document,
    Evaluation,
    FollowUp,
    FollowUpOccurrence,
    OrganisationContact,
    Participant,
    Party,
    ReminderSent,
    ReminderSubscription,
    Sector,
    SiteIdentity,
    Source,
    Term,
)
from regions.admin import INLINE_MAX_FORMS, CatalogueAdmin
from regions.models import Organisation, Person, Position, Region, Tenure
from tests.helpers import (
    CATALOGUE_APPS,
    PDF,
    admin_url,
    catalogue_models,
    change_form_data,
    count_queries,
    form_errors,
)

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
    make_term,
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

    def reminder_sent():
        found = agreement()
        return ReminderSent.objects.create(
            kind=ReminderSent.Kind.FOLLOW_UP_OVERDUE,
            agreement=found,
            follow_up=make_follow_up(found, due_date=PAST),
            deadline=PAST,
            recipients="kerjasama@example.go.id",
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
        FollowUpOccurrence: lambda: make_follow_up(
            make_agreement(valid_until=datetime.date(2026, 12, 31)),
            due_date=datetime.date(2026, 3, 31),
            due_precision="quarter",
            recurrence="quarterly",
        ).occurrences.first(),
        Evaluation: lambda: Evaluation.objects.create(
            agreement=agreement(),
            year=2025,
            period="year",
            evaluated_on=datetime.date(2026, 1, 15),
            evaluator=make_organisation(),
            assessment="on_track",
        ),
        Citation: lambda: agreement().citations.get(),
        AgreementRelation: lambda: AgreementRelation.objects.create(
            agreement=agreement(), earlier=agreement(), type="follows_up"
        ),
        Document: document,
        Term: lambda: make_term(agreement(), description="Retribusi"),
        Sector: sector,
        Source: source,
        Region: make_region,
        Organisation: organisation,
        Person: lambda: tenure().person,
        Position: lambda: tenure().position,
        Tenure: tenure,
        OrganisationContact: lambda: OrganisationContact.objects.create(
            organisation=make_organisation(), email="kerjasama@example.go.id"
        ),
        ReminderSubscription: lambda: ReminderSubscription.objects.create(
            user=User.objects.create_user(f"petugas-{User.objects.count()}", is_staff=True),
            region=make_region(),
        ),
        ReminderSent: reminder_sent,
        # One row at most: asked again, the builder gives the same row.
        SiteIdentity: lambda: SiteIdentity.objects.get_or_create(
            defaults={"bureau_name": "Biro Pemerintahan", "email": "biro@example.go.id"}
        )[0],
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
    if model is SiteIdentity:  # the one row exists: there is nothing to add
        assert add.status_code == 403
    else:
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

    assert model.objects.count() >= (1 if model is SiteIdentity else 20)
    assert with_twenty == with_one


# --- Nobody's change is lost ------------------------------------------------------------------

STALE = "Someone else changed this {} after you opened it"


def second_superuser_client(admin_user):
    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    other.force_login(admin_user)
    return other


def history_count(obj):
    return type(obj).history.filter(id=obj.pk).count()


@pytest.mark.parametrize("model", ADMINS, ids=model_id)
def test_a_save_from_a_page_opened_before_someone_else_saved_is_refused(
    superuser_client, admin_user, make_rows, model
):
    obj = make_rows(model)
    url = admin_url(model, "change", obj.pk)
    other = second_superuser_client(admin_user)
    first_page, second_page = superuser_client.get(url), other.get(url)
    before = history_count(obj)

    saved = superuser_client.post(url, change_form_data(first_page))
    refused = other.post(url, change_form_data(second_page))

    assert saved.status_code == 302, saved.context and form_errors(saved)
    assert refused.status_code == 200
    [message] = form_errors(refused)
    assert message.startswith(STALE.format(model._meta.verbose_name))
    assert history_count(obj) == before + 1


INLINES = [
    (model, inline)
    for model in ADMINS
    for inline in admin.site._registry[model].inlines
    if inline.model in admin.site._registry
]


@pytest.mark.parametrize(
    ("model", "inline"),
    INLINES,
    ids=[f"{model_id(model)}-{inline.__name__}" for model, inline in INLINES],
)
def test_a_change_to_a_record_a_page_shows_inline_makes_the_page_stale(
    superuser_client, make_rows, model, inline
):
    """Otherwise the page would save its old copy of that record over the change."""
    child = make_rows(inline.model)
    fk = _get_foreign_key(model, inline.model, inline.fk_name)
    parent = getattr(child, fk.name)
    url = admin_url(model, "change", parent.pk)
    page = superuser_client.get(url)

    child.save()  # a change made elsewhere (its own page, another inline, the code)
    response = superuser_client.post(url, change_form_data(page))

    assert response.status_code == 200
    assert form_errors(response)[0].startswith(STALE.format(model._meta.verbose_name))


# --- Bounded work per request -----------------------------------------------------------------


def test_an_inflated_inline_form_count_is_refused_without_building_the_forms(
    superuser_client, make_agreement
):
    agreement = make_agreement()
    url = admin_url(Agreement, "change", agreement.pk)
    data = change_form_data(superuser_client.get(url))
    data["follow_ups-TOTAL_FORMS"] = "1000"

    response = superuser_client.post(url, data)

    assert response.status_code == 200
    [follow_ups] = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "follow_ups"
    ]
    assert len(follow_ups.forms) <= INLINE_MAX_FORMS
    assert f"Please submit at most {INLINE_MAX_FORMS} forms." in response.content.decode()
    assert not agreement.follow_ups.exists()


def test_a_change_page_with_every_inline_full_fits_within_the_field_limit(rf, admin_user):
    """DATA_UPLOAD_MAX_NUMBER_FIELDS refuses a POST with more fields than this (400); it must
    still let through the largest form an officer can fill in."""
    request = rf.get("/")
    request.user = admin_user
    largest = {}
    for model in ADMINS:
        model_admin = admin.site._registry[model]
        fields = len(model_admin.get_form(request)().fields)
        for formset, _inline in model_admin.get_formsets_with_inlines(request):
            empty_form = formset(instance=model()).empty_form
            per_form = sum(
                not isinstance(field, forms.FileField) for field in empty_form.fields.values()
            )
            fields += 4 + formset.max_num * per_form  # the management form, then each row
        largest[model_id(model)] = fields

    assert max(largest.values()) <= settings.DATA_UPLOAD_MAX_NUMBER_FIELDS, largest
