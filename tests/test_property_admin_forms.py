"""Property-based tests: random values in every admin add form, with its inlines.

For every model the admin registers in the regions and cooperation apps, a superuser posts random
text (with NUL characters, markup, more than the field holds), numbers, dates (2025-02-30),
choices that are not offered, records that do not exist, empty values and random files. The
admin never answers with a 500: either the record is saved (and then it passes full_clean) or
the form comes back with a message at the top and one on each field that was refused.
"""

import datetime

import pytest
from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.html import escape
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

APPS = ("regions", "cooperation")
ADMINS = {
    f"{model._meta.app_label}.{model._meta.model_name}": (model, model_admin)
    for model, model_admin in admin.site._registry.items()
    if model._meta.app_label in APPS
}

PROPERTY_SETTINGS = settings(
    max_examples=15,
    deadline=None,
    # Each example renders a whole admin page: a failure is reported as found, not shrunk.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

MARKUP = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']

characters = st.characters(exclude_categories=["Cs"])
short_text = st.text(characters, max_size=30)
with_nul = st.builds(lambda a, b: a + "\x00" + b, short_text, short_text)
markup_text = st.builds(lambda a, tag: a + tag, short_text, st.sampled_from(MARKUP))
numbers = st.one_of(
    st.integers().map(str),
    st.integers(min_value=2**63, max_value=10**40).map(str),
    st.floats().map(str),
)
iso_dates = st.dates().map(datetime.date.isoformat)
bad_dates = st.one_of(
    st.sampled_from(["2025-02-30", "0000-00-00", "9999-99-99", "2025-13-01", "99999-01-01"]),
    st.builds(
        "{:04d}-{:02d}-{:02d}".format, st.integers(0, 9999), st.integers(0, 99), st.integers(0, 99)
    ),
)
junk = st.one_of(short_text, with_nul, markup_text, numbers, bad_dates, st.just(""))


def too_long(max_length):
    return st.builds(lambda text: "w" * max_length + text + "w", short_text)


def value_for(field):
    """Random POST values for one form field: plausible ones and junk."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        ids = [str(pk) for pk in field.queryset.values_list("pk", flat=True)[:20]]
        one = st.one_of(st.sampled_from(ids), junk) if ids else junk
        return st.lists(one, max_size=3)
    if isinstance(field, forms.ModelChoiceField):
        ids = [str(pk) for pk in field.queryset.values_list("pk", flat=True)[:20]]
        missing = st.integers(min_value=10**6).map(str)
        return st.one_of(st.sampled_from(ids), missing, junk) if ids else st.one_of(missing, junk)
    if isinstance(field, forms.ChoiceField):
        choices = [str(value) for value, _label in field.choices if value != ""]
        return st.one_of(st.sampled_from(choices), junk) if choices else junk
    if isinstance(field, forms.BooleanField):
        return st.one_of(st.sampled_from(["on", ""]), junk)
    if isinstance(field, forms.DateField):
        return st.one_of(iso_dates, bad_dates, junk)
    if isinstance(field, forms.IntegerField):
        return st.one_of(numbers, junk)
    if isinstance(field, forms.FileField):
        return files
    if isinstance(field, forms.URLField):
        return st.one_of(short_text.map(lambda text: "https://contoh.id/" + text), junk)
    if isinstance(field, forms.SlugField):
        slug = st.from_regex(r"[a-z0-9][a-z0-9-]{0,40}", fullmatch=True)
        return st.one_of(slug, too_long(field.max_length or 50), junk)
    if isinstance(field, forms.CharField):
        plausible = st.text(st.characters(categories=["L", "N", "Zs"]), min_size=1, max_size=40)
        if field.max_length:
            return st.one_of(plausible, too_long(field.max_length), junk)
        return st.one_of(plausible, junk)
    return junk


SIGNATURES = [b"", b"%PDF-1.7\n", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF89a", b"<html>"]
files = st.one_of(
    st.just(""),
    st.builds(
        lambda head, body, name: SimpleUploadedFile(name, head + body),
        st.sampled_from(SIGNATURES),
        st.binary(max_size=200),
        st.sampled_from(["dokumen.pdf", "foto.jpg", "a.png", "naskah.exe", "x"]),
    ),
)


def form_data(draw, form, prefix=None):
    data = {}
    for name, field in form.fields.items():
        if isinstance(field, forms.models.InlineForeignKeyField) or name in ("id", "DELETE"):
            continue
        if isinstance(field.widget, forms.HiddenInput):
            continue  # nothing an officer types (the admin's own version token)
        value = draw(st.one_of(st.just(None), value_for(field)))
        if value is not None:
            data[name] = value
    if prefix:
        return {f"{prefix}-{name}": value for name, value in data.items()}
    return data


def inline_data(draw, inline_admin_formset):
    formset = inline_admin_formset.formset
    count = draw(st.integers(0, 2))
    data = {
        f"{formset.prefix}-TOTAL_FORMS": str(count),
        f"{formset.prefix}-INITIAL_FORMS": "0",
        f"{formset.prefix}-MIN_NUM_FORMS": str(formset.min_num),
        f"{formset.prefix}-MAX_NUM_FORMS": str(formset.max_num),
    }
    for index in range(count):
        data.update(form_data(draw, formset.empty_form, f"{formset.prefix}-{index}"))
    return data


@pytest.fixture
def records(make_agreement, make_follow_up, make_source, make_tenure, make_participant):
    """One record of every kind, so that record choices have something to choose."""
    agreement = make_agreement()
    tenure = make_tenure()
    make_participant(agreement, person=tenure.person, position=tenure.position)
    make_follow_up(agreement, source=make_source())
    return agreement


def add_url(model):
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/add/"


def rendered_errors(response):
    """The error messages of the re-rendered form and its inlines."""
    adminform = response.context["adminform"]
    messages = [message for errors in adminform.form.errors.values() for message in errors]
    for inline in response.context["inline_admin_formsets"]:
        messages += list(inline.formset.non_form_errors())
        for form in inline.formset.forms:
            messages += [message for errors in form.errors.values() for message in errors]
    return messages


def assert_refused_with_messages(response):
    content = response.content.decode()
    assert "errornote" in content
    with translation.override("en"):
        messages = rendered_errors(response)
        assert messages, "the form was not saved but shows no error"
        for message in messages:
            assert escape(message) in content, message
    for tag in MARKUP:
        assert tag not in content


def assert_saved_records_are_valid(model, before):
    new = model.objects.exclude(pk__in=before)
    assert new.count() == 1
    record = new.get()
    record.full_clean()
    for relation in model._meta.related_objects:
        if relation.one_to_many and relation.related_model._meta.app_label in APPS:
            if relation.related_model.__name__.startswith("Historical"):
                continue
            for part in getattr(record, relation.get_accessor_name()).all():
                part.full_clean()


@pytest.mark.parametrize("label", sorted(ADMINS))
def test_admin_add_form_saves_valid_input_or_explains_every_refusal(
    superuser_client, records, settings, tmp_path, label
):
    settings.MEDIA_ROOT = tmp_path
    model, _model_admin = ADMINS[label]
    url = add_url(model)
    page = superuser_client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    inlines = page.context["inline_admin_formsets"]

    @PROPERTY_SETTINGS
    @given(st.data())
    def check(data):
        post = form_data(data.draw, form)
        for inline in inlines:
            post.update(inline_data(data.draw, inline))
        before = list(model.objects.values_list("pk", flat=True))

        with translation.override("en"):
            response = superuser_client.post(url, post, HTTP_ACCEPT_LANGUAGE="en")

        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 302:
            assert_saved_records_are_valid(model, before)
        else:
            assert_refused_with_messages(response)

    check()


# --- Regressions found by the tests above ----------------------------------------------------


def post_agreement(client, **fields):
    data = {
        "title": "Kerja sama uji",
        "slug": "kerja-sama-uji",
        "kind": "joint_agreement",
        "stage": "exploration",
        "date": "2025-10-24",
        **fields,
    }
    for prefix in ("parties", "participants", "follow_ups", "relations", "citations", "documents"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return client.post(add_url(ADMINS["cooperation.agreement"][0]), data, HTTP_ACCEPT_LANGUAGE="en")


@pytest.mark.parametrize("value", ["0.0", str(2**70)])
def test_an_autocomplete_id_the_database_cannot_hold_is_an_invalid_choice(
    superuser_client, records, value
):
    with translation.override("en"):
        response = post_agreement(superuser_client, venue_region=value)
        errors = response.context["adminform"].form.errors

        assert response.status_code == 200
        assert errors["venue_region"] == [
            "Select a valid choice. That choice is not one of the available choices."
        ]
    assert "errornote" in response.content.decode()


def test_a_sector_id_the_database_cannot_hold_is_an_invalid_value(superuser_client, records):
    with translation.override("en"):
        response = post_agreement(superuser_client, sectors=[str(2**70)])
        errors = response.context["adminform"].form.errors

        assert response.status_code == 200
        assert errors["sectors"] == [f"“{2**70}” is not a valid value."]
    assert escape(f"“{2**70}” is not a valid value.") in response.content.decode()
