"""Helpers shared by test modules (plain functions, not fixtures): import them from here, never
from another test module."""

import io
import json
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

FIXTURES = sorted(str(path) for path in (Path(settings.BASE_DIR) / "fixtures").glob("*.json"))
CATALOGUE_APPS = ("regions", "cooperation")
# The regions of fixtures/regions.json: provinces, regencies and cities, districts.
REGION_COUNT = 38 + 514 + 7285

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def html(response):
    return response.content.decode()


def load_fixtures():
    """Every file in fixtures/, in one loaddata call (what a first installation does)."""
    call_command("loaddata", *FIXTURES, verbosity=0)


def catalogue_models():
    """The models of the catalogue apps, without django-simple-history's historical models
    and without the tables of derived data (``cooperation.derived``: rebuilt on load)."""
    from cooperation.derived import DERIVED_MODELS

    return [
        model
        for app in CATALOGUE_APPS
        for model in apps.get_app_config(app).get_models()
        if not model._meta.label.split(".")[1].startswith("Historical")
        and model not in DERIVED_MODELS
    ]


def dump_catalogue():
    """The catalogue's rows as natural-key JSON (no numeric ids), parsed."""
    out = io.StringIO()
    labels = [model._meta.label for model in catalogue_models()]
    call_command(
        "dumpdata",
        *labels,
        natural_foreign=True,
        natural_primary=True,
        format="json",
        stdout=out,
    )
    return json.loads(out.getvalue())


# --- Admin ------------------------------------------------------------------------------------


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def change_form_data(response, **changes):
    """The POST data of an admin change form as rendered (main form and every inline), with
    ``changes`` applied: what a browser sends when the user edits only those fields."""
    data = {}

    def add(form):
        for name, field in form.fields.items():
            if isinstance(field, forms.FileField):
                continue
            value = form[name].value()
            key = form.add_prefix(name)
            if value is None or value is False:
                continue
            if value is True:
                data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(item) for item in value]
            else:
                data[key] = str(value)

    add(response.context["adminform"].form)
    # The history revert form has no inlines.
    inlines = response.context.get("inline_admin_formsets", [])
    for inline in inlines:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        data[f"{formset.prefix}-TOTAL_FORMS"] = len(formset.initial_forms)
        for form in formset.initial_forms:
            add(form)
    data.update(changes)
    return data


def form_errors(response):
    """The errors at the top of a re-rendered admin change form."""
    return [str(error) for error in response.context["adminform"].form.non_field_errors()]


def inline_errors(response):
    """The field errors of a re-rendered admin change form's inline forms, by field name as
    posted ("parties-1-organisation")."""
    errors = {}
    for inline in response.context["inline_admin_formsets"]:
        for form in inline.formset.forms:
            for name, messages in form.errors.items():
                errors[form.add_prefix(name)] = [str(message) for message in messages]
    return errors


def changelist(client, model, **params):
    response = client.get(admin_url(model, "changelist"), params)
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# --- Model rules ------------------------------------------------------------------------------


def clean_errors(obj):
    """The messages ``full_clean()`` gives, by field."""
    with pytest.raises(ValidationError) as excinfo:
        obj.full_clean()
    return excinfo.value.message_dict


def constraint_errors(obj):
    """The messages of the database constraints ``obj`` breaks, checked by Django."""
    with pytest.raises(ValidationError) as excinfo:
        obj.validate_constraints()
    return excinfo.value.message_dict


def assert_database_refuses(obj):
    """Saving ``obj`` (``clean()`` bypassed) is refused by the database itself."""
    with pytest.raises(IntegrityError), transaction.atomic():
        obj.save()


# --- The Editor and Viewer groups -------------------------------------------------------------

# The data migrations that build the groups, in order: (module, function).
GROUP_MIGRATIONS = [
    ("0003_editor_and_viewer_groups", "create_groups"),
    ("0004_editor_may_delete_agreement_parts", "allow_deleting_parts"),
    ("0008_terms", "allow_terms"),
    ("0017_groups_monitor_and_evaluate", "allow_monitoring"),
    ("0019_editors_delete_drafts", "allow_deleting_drafts"),
    ("0020_agreement_relations", "allow_relations"),
]


def group(name):
    """The group ``name`` ("Editor", "Viewer") as the migrations build it: a committing test's
    flush (browser tests) removes the migrations' data, so it is built again when missing."""
    import importlib

    from django.contrib.auth.models import Group
    from django.db.migrations.executor import MigrationExecutor

    if not Group.objects.filter(name=name).exists():
        loader = MigrationExecutor(connection).loader
        state = loader.project_state(loader.graph.leaf_nodes("cooperation")[0])
        for module, function in GROUP_MIGRATIONS:
            migration = importlib.import_module(f"cooperation.migrations.{module}")
            getattr(migration, function)(state.apps, None)
    return Group.objects.get(name=name)


# --- Browser tests ----------------------------------------------------------------------------

AXE = Path(__file__).parent / "browser" / "vendor" / "axe.min.js"


def assert_clean(page, width):
    """No sideways scroll, no Content-Security-Policy violation and no console error on a
    page from the browser tests' ``watched`` fixture."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate("window.__violations") == []
    assert page.errors == []


def serious_axe_violations(page):
    """axe-core's serious and critical violations on ``page`` (from ``axe_page``), with the
    elements concerned."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        (violation["id"], [node["target"] for node in violation["nodes"]])
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
