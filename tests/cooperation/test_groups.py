"""The Editor and Viewer groups, tried from a real login."""

import importlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from cooperation.models import Agreement, FollowUp
from regions.models import Region
from tests.helpers import change_form_data, group

CATALOGUE_MODELS = {
    "regions": ["region", "organisation", "person", "position", "tenure"],
    "cooperation": [
        "sector",
        "source",
        "agreement",
        "party",
        "participant",
        "followup",
        "citation",
        "document",
        "term",
        "evaluation",
        "followupoccurrence",
        "agreementrelation",
    ],
}


def codenames(group_name):
    return set(Group.objects.get(name=group_name).permissions.values_list("codename", flat=True))


PASSWORD = "Kerjasama-Daerah-2025!"


@pytest.fixture
def login(client, django_user_model, settings):
    """``login(group_name)``: a client logged in through the admin's login form as a staff
    member of that group (a real login, through the lockout backend)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    def login_as(group_name):
        user = django_user_model.objects.create_user(
            group_name.lower(), password=PASSWORD, is_staff=True
        )
        user.groups.add(Group.objects.get(name=group_name))
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        response = client.post(
            reverse("admin:login"),
            {"username": user.username, "password": PASSWORD, "next": reverse("admin:index")},
        )
        assert response.status_code == 302, "the login itself should succeed"
        return client

    return login_as


@pytest.fixture
def draft_agreement(make_agreement, make_follow_up):
    found = make_agreement(title="Kesepakatan Bersama Banten dan Bengkulu", is_published=False)
    make_follow_up(found, action="Rapat teknis")
    return found


# --- What the migration creates -------------------------------------------------------------


AGREEMENT_PARTS = [
    "party",
    "participant",
    "followup",
    "citation",
    "document",
    "term",
    "evaluation",
    "agreementrelation",
]


@pytest.mark.django_db
def test_editor_may_add_change_and_view_the_catalogue_and_delete_only_agreements_and_parts():
    perms = codenames("Editor")

    for models in CATALOGUE_MODELS.values():
        for model in models:
            assert {f"add_{model}", f"change_{model}", f"view_{model}"} <= perms
            assert f"view_historical{model}" in perms
    assert {codename for codename in perms if codename.startswith("delete_")} == {
        "delete_agreement",  # drafts only: not delete_published_agreement
        *(f"delete_{model}" for model in AGREEMENT_PARTS),
    }
    assert not Permission.objects.filter(
        group__name="Editor", content_type__app_label="auth"
    ).exists()


@pytest.mark.django_db
def test_viewer_may_only_view_the_catalogue_and_its_history():
    perms = codenames("Viewer")

    expected = set()
    for models in CATALOGUE_MODELS.values():
        for model in models:
            expected |= {f"view_{model}", f"view_historical{model}"}
    assert perms == expected


@pytest.mark.django_db
def test_groups_migrations_are_reversible_and_can_run_again():
    groups = importlib.import_module("cooperation.migrations.0003_editor_and_viewer_groups")
    parts = importlib.import_module("cooperation.migrations.0004_editor_may_delete_agreement_parts")
    terms = importlib.import_module("cooperation.migrations.0008_terms")
    monitoring = importlib.import_module("cooperation.migrations.0017_groups_monitor_and_evaluate")
    drafts = importlib.import_module("cooperation.migrations.0019_editors_delete_drafts")
    relations = importlib.import_module("cooperation.migrations.0020_agreement_relations")
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes("cooperation")[0]
    state = MigrationExecutor(connection).loader.project_state(latest)
    assert all(operation.reversible for operation in groups.Migration.operations)
    assert all(operation.reversible for operation in parts.Migration.operations)
    assert all(operation.reversible for operation in terms.Migration.operations)
    assert all(operation.reversible for operation in monitoring.Migration.operations)
    assert all(operation.reversible for operation in drafts.Migration.operations)
    assert all(operation.reversible for operation in relations.Migration.operations)
    editor_before = codenames("Editor")
    viewer_before = codenames("Viewer")

    relations.forbid_relations(state.apps, None)
    assert not {"add_agreementrelation", "delete_agreementrelation"} & codenames("Editor")
    drafts.forbid_deleting_drafts(state.apps, None)
    assert "delete_agreement" not in codenames("Editor")
    monitoring.forbid_monitoring(state.apps, None)
    assert not {"add_evaluation", "change_followupoccurrence"} & codenames("Editor")
    assert "view_evaluation" not in codenames("Viewer")
    terms.forbid_terms(state.apps, None)
    assert not {"add_term", "delete_term"} & codenames("Editor")
    parts.forbid_deleting_parts(state.apps, None)
    assert not any(codename.startswith("delete_") for codename in codenames("Editor"))
    groups.delete_groups(state.apps, None)
    assert not Group.objects.filter(name__in=["Editor", "Viewer"]).exists()
    parts.forbid_deleting_parts(state.apps, None)  # no group: nothing to do, no error

    groups.create_groups(state.apps, None)
    groups.create_groups(state.apps, None)
    parts.allow_deleting_parts(state.apps, None)
    parts.allow_deleting_parts(state.apps, None)
    terms.allow_terms(state.apps, None)
    terms.allow_terms(state.apps, None)
    monitoring.allow_monitoring(state.apps, None)
    drafts.allow_deleting_drafts(state.apps, None)
    drafts.allow_deleting_drafts(state.apps, None)
    relations.allow_relations(state.apps, None)
    relations.allow_relations(state.apps, None)
    assert codenames("Editor") == editor_before
    assert codenames("Viewer") == viewer_before
    assert Group.objects.filter(name="Viewer").count() == 1


@pytest.mark.django_db
def test_the_tests_rebuild_the_groups_exactly_as_the_migrations_build_them():
    """Browser tests rebuild the groups after a flush (tests.helpers.group): a migration that
    gives the groups permissions and is missing from GROUP_MIGRATIONS fails here."""
    migrated = {name: codenames(name) for name in ("Editor", "Viewer")}
    Group.objects.filter(name__in=list(migrated)).delete()

    for name in migrated:
        assert set(group(name).permissions.values_list("codename", flat=True)) == migrated[name]


# --- Viewer -------------------------------------------------------------------------------


def test_viewer_sees_lists_and_read_only_change_pages_including_drafts(login, draft_agreement):
    client = login("Viewer")

    listing = client.get(reverse("admin:cooperation_agreement_changelist"))
    change = client.get(reverse("admin:cooperation_agreement_change", args=[draft_agreement.pk]))
    regions = client.get(reverse("admin:regions_region_changelist"))

    assert listing.status_code == 200
    assert "Kesepakatan Bersama Banten dan Bengkulu" in listing.content.decode()
    assert regions.status_code == 200
    assert change.status_code == 200
    assert "View agreement" in change.content.decode()
    assert not change.context["has_change_permission"]
    assert 'name="_save"' not in change.content.decode()
    catalogue_page = client.get(draft_agreement.get_absolute_url())  # a draft: 404 to visitors
    assert catalogue_page.status_code == 200
    assert "Kesepakatan Bersama Banten dan Bengkulu" in catalogue_page.content.decode()


def test_viewer_sees_the_history_but_cannot_revert(login, draft_agreement):
    client = login("Viewer")
    record = draft_agreement.history.earliest()
    revert_url = reverse(
        "admin:cooperation_agreement_simple_history", args=[draft_agreement.pk, record.history_id]
    )

    history = client.get(reverse("admin:cooperation_agreement_history", args=[draft_agreement.pk]))
    revert_page = client.get(revert_url)
    revert = client.post(revert_url, change_form_data(revert_page, title="Diubah penonton"))

    assert history.status_code == 200
    assert "View history" in history.content.decode()
    assert revert.status_code == 403
    draft_agreement.refresh_from_db()
    assert draft_agreement.title == "Kesepakatan Bersama Banten dan Bengkulu"


def test_viewer_cannot_add_change_or_delete(login, draft_agreement, superuser_change_data):
    client = login("Viewer")
    change_url = reverse("admin:cooperation_agreement_change", args=[draft_agreement.pk])

    add = client.get(reverse("admin:cooperation_agreement_add"))
    add_post = client.post(reverse("admin:cooperation_agreement_add"), superuser_change_data)
    change_post = client.post(change_url, {**superuser_change_data, "title": "Diubah penonton"})
    delete = client.get(reverse("admin:cooperation_agreement_delete", args=[draft_agreement.pk]))
    delete_post = client.post(
        reverse("admin:cooperation_agreement_delete", args=[draft_agreement.pk]), {"post": "yes"}
    )
    follow_up = draft_agreement.follow_ups.get()
    follow_up_post = client.post(
        reverse("admin:cooperation_followup_change", args=[follow_up.pk]),
        {"agreement": draft_agreement.pk, "action": "Diubah", "status": "done"},
    )

    assert [add.status_code, add_post.status_code, change_post.status_code] == [403, 403, 403]
    assert [delete.status_code, delete_post.status_code, follow_up_post.status_code] == [
        403,
        403,
        403,
    ]
    draft_agreement.refresh_from_db()
    assert draft_agreement.title == "Kesepakatan Bersama Banten dan Bengkulu"
    assert Agreement.objects.count() == 1
    assert FollowUp.objects.get().action == "Rapat teknis"


def test_viewer_cannot_publish_from_the_list(login, draft_agreement):
    client = login("Viewer")

    response = client.post(
        reverse("admin:cooperation_agreement_changelist"),
        {"action": "publish", "_selected_action": [draft_agreement.pk]},
    )

    draft_agreement.refresh_from_db()
    assert not draft_agreement.is_published
    assert response.status_code != 500


@pytest.fixture
def superuser_change_data(admin_client, draft_agreement):
    """The change form of ``agreement`` as a superuser's browser would post it unchanged."""
    url = reverse("admin:cooperation_agreement_change", args=[draft_agreement.pk])
    return change_form_data(admin_client.get(url))


# --- Editor -------------------------------------------------------------------------------


def test_editor_changes_an_agreement_with_its_inlines(login, draft_agreement, make_government):
    client = login("Editor")
    url = reverse("admin:cooperation_agreement_change", args=[draft_agreement.pk])
    page = client.get(url)
    data = change_form_data(page, title="Kesepakatan Bersama Provinsi Banten dan Bengkulu")
    data["follow_ups-0-status"] = "in_progress"
    data.update(
        {
            "parties-TOTAL_FORMS": str(int(data["parties-TOTAL_FORMS"]) + 1),
            "parties-2-organisation": str(make_government().pk),
            "parties-2-role": "facilitator",
        }
    )

    response = client.post(url, data)

    assert response.status_code == 302
    draft_agreement.refresh_from_db()
    assert draft_agreement.title == "Kesepakatan Bersama Provinsi Banten dan Bengkulu"
    assert draft_agreement.parties.count() == 3
    assert draft_agreement.follow_ups.get().status == "in_progress"
    assert draft_agreement.history.first().history_user.username == "editor"


def test_editor_adds_an_agreement(login, make_government):
    client = login("Editor")
    page = client.get(reverse("admin:cooperation_agreement_add"))
    data = change_form_data(
        page,
        title="Kunjungan kerja Kota Serang ke Kota Bandung",
        slug="kunjungan-kota-serang-kota-bandung",
        kind="working_visit",
        stage="exploration",
    )
    data.update(
        {
            "parties-TOTAL_FORMS": "2",
            "parties-0-organisation": str(make_government().pk),
            "parties-0-role": "visitor",
            "parties-1-organisation": str(make_government().pk),
            "parties-1-role": "host",
        }
    )

    response = client.post(reverse("admin:cooperation_agreement_add"), data)

    assert response.status_code == 302
    added = Agreement.objects.get(slug="kunjungan-kota-serang-kota-bandung")
    assert added.parties.count() == 2
    assert not added.is_published


def test_editor_removes_a_wrong_party_and_follow_up_on_the_agreement_page(
    login, draft_agreement, make_government
):
    wrong = make_government()
    draft_agreement.parties.create(organisation=wrong, role="facilitator")
    client = login("Editor")
    url = reverse("admin:cooperation_agreement_change", args=[draft_agreement.pk])
    page = client.get(url)
    inlines = {
        inline.opts.model.__name__: inline for inline in page.context["inline_admin_formsets"]
    }
    data = change_form_data(page)
    wrong_form = next(
        form
        for form in inlines["Party"].formset.initial_forms
        if form.instance.organisation == wrong
    )
    data[wrong_form.add_prefix("DELETE")] = "on"
    data["follow_ups-0-DELETE"] = "on"

    response = client.post(url, data)

    assert all(
        inlines[name].has_delete_permission
        for name in ["Party", "Participant", "FollowUp", "Citation", "Document"]
    )
    assert response.status_code == 302
    assert not draft_agreement.parties.filter(organisation=wrong).exists()
    assert draft_agreement.parties.count() == 2
    assert not draft_agreement.follow_ups.exists()


@pytest.mark.parametrize(
    "model", ["agreement", "sector", "source", "organisation", "person", "region"]
)
def test_editor_cannot_delete_published_agreements_nor_anything_but_agreement_parts(
    login,
    draft_agreement,
    make_agreement,
    make_sector,
    make_source,
    make_government,
    make_person,
    model,
):
    client = login("Editor")
    made = {
        "agreement": lambda: make_agreement(is_published=True),
        "sector": make_sector,
        "source": make_source,
        "organisation": make_government,
        "person": make_person,
        "region": lambda: draft_agreement.parties.first().organisation.region,
    }[model]()
    app = made._meta.app_label
    url = reverse(f"admin:{app}_{model}_delete", args=[made.pk])

    response = client.post(url, {"post": "yes"})

    assert response.status_code == 403
    assert type(made).objects.filter(pk=made.pk).exists()


def test_editor_cannot_delete_regions(login, make_region):
    client = login("Editor")
    region = make_region()
    url = reverse("admin:regions_region_delete", args=[region.pk])

    page = client.get(url)
    posted = client.post(url, {"post": "yes"})

    assert page.status_code == 403
    assert posted.status_code == 403
    assert Region.objects.filter(pk=region.pk).exists()


@pytest.mark.parametrize("group_name", ["Editor", "Viewer"])
def test_editors_and_viewers_cannot_manage_users_or_groups(login, group_name, django_user_model):
    client = login(group_name)

    for url_name in ["auth_user_changelist", "auth_user_add", "auth_group_changelist"]:
        assert client.get(reverse(f"admin:{url_name}")).status_code == 403, url_name
    response = client.post(
        reverse("admin:auth_user_add"),
        {"username": "penyusup", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 403
    assert not django_user_model.objects.filter(username="penyusup").exists()


def test_editor_admin_index_lists_the_catalogue_but_not_users(login):
    client = login("Editor")

    content = client.get(reverse("admin:index")).content.decode()

    assert reverse("admin:cooperation_agreement_changelist") in content
    assert reverse("admin:regions_region_changelist") in content
    assert reverse("admin:auth_user_changelist") not in content


# --- The README's way to create an officer's account ----------------------------------------


def test_the_readme_creates_an_editor_who_is_not_a_superuser(django_user_model):
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    command = re.search(r'manage\.py shell -c "(.*?)"\n', readme, re.DOTALL).group(1)

    call_command("shell", command=command.replace("\\\n", ""))  # as the shell joins it

    officer = django_user_model.objects.get(username="ani")
    assert officer.is_staff and not officer.is_superuser
    assert list(officer.groups.values_list("name", flat=True)) == ["Editor"]
    assert officer.has_perm("cooperation.change_agreement")
    assert officer.has_perm("cooperation.delete_agreement")  # a draft
    assert not officer.has_perm("cooperation.delete_published_agreement")
