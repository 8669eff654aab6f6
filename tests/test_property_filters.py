"""Property-based tests: random text, numbers and dates in every filter of the public lists.

Whatever a visitor puts in the query string, a list answers with a page (filtered, or showing
the form's errors next to the fields) or, for a page number out of range, a 404; never a 500,
and nothing typed is echoed as markup. The filters come from the FilterSets' ``base_filters``,
so a filter added later is covered without touching this file.
"""

import datetime
from urllib.parse import quote

import pytest
from django import forms
from django.utils import translation
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cooperation.filters import AgreementFilter, FollowUpFilter
from regions.models import Organisation

LISTS = {
    "/agreements/": AgreementFilter,
    "/follow-ups/": FollowUpFilter,
}

PROPERTY_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Markup a visitor might try; each must come back escaped, never as a tag.
MARKUP = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "</textarea><b>bold</b>",
]

# Any character a URL can carry (lone surrogates cannot be encoded in UTF-8).
characters = st.characters(exclude_categories=["Cs"])
short_text = st.text(characters, max_size=40)
control_text = st.text(st.characters(categories=["Cc"]), min_size=1, max_size=10)
long_text = st.builds(
    lambda piece, length: (piece * length)[:length],
    st.text(characters, min_size=1, max_size=10),
    st.integers(min_value=150, max_value=5000),
)
markup_text = st.builds(
    lambda before, tag, after: before + tag + after, short_text, st.sampled_from(MARKUP), short_text
)
any_text = st.one_of(short_text, control_text, long_text, markup_text)

numbers = st.one_of(
    st.integers().map(str),
    st.integers(min_value=10**15, max_value=10**60).map(str),
    st.integers(max_value=-1).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)

iso_dates = st.dates().map(datetime.date.isoformat)
malformed_dates = st.one_of(
    st.sampled_from(
        ["0000-00-00", "9999-99-99", "2025-02-30", "2025-13-01", "99999-01-01", "-2025-01-01"]
    ),
    st.builds(
        "{:04d}-{:02d}-{:02d}".format,
        st.integers(0, 99999),
        st.integers(0, 99),
        st.integers(0, 99),
    ),
    st.dates().map(lambda day: day.strftime("%d/%m/%Y")),
)
any_date = st.one_of(iso_dates, malformed_dates)

any_value = st.one_of(any_text, numbers, any_date)
# A parameter may also be repeated in the query string.
any_param = st.one_of(any_value, st.lists(any_value, min_size=2, max_size=3))


def filter_names(filterset_class):
    return list(filterset_class.base_filters)


def form_fields(filterset_class):
    filterset = filterset_class(data={}, queryset=filterset_class._meta.model.objects.none())
    return filterset.form.fields


def valid_values(field):
    """Values the field accepts, so that combinations also reach the database."""
    if isinstance(field, forms.ModelChoiceField):
        key = field.to_field_name or "pk"
        return st.sampled_from([str(v) for v in field.queryset.values_list(key, flat=True)] or [""])
    if isinstance(field, forms.ChoiceField):
        return st.sampled_from([str(value) for value, _label in field.choices])
    if isinstance(field, forms.DateField):
        return iso_dates
    if isinstance(field, forms.IntegerField):
        return st.integers(field.min_value or 0, field.max_value or 3000).map(str)
    if isinstance(field, forms.BooleanField | forms.NullBooleanField):
        return st.sampled_from(["on", "true", "1", "", "false", "0"])
    return short_text


def invalid_values(field):
    """Values the field must refuse with a message, or None if it accepts anything."""
    not_a_value = short_text.map(lambda text: "zz-" + text.replace(",", ""))
    with_nul = st.builds(lambda a, b: "x" + a + "\x00" + b, short_text, short_text)
    if isinstance(field, forms.ChoiceField):  # choices, records, the ordering
        return st.one_of(not_a_value, with_nul)
    if isinstance(field, forms.DateField):
        return st.one_of(
            st.sampled_from(["0000-00-00", "9999-99-99", "2025-02-30", "2025-13-01"]),
            not_a_value,
            with_nul,
        )
    if isinstance(field, forms.IntegerField):
        outside = st.integers(max_value=field.min_value - 1) | st.integers(
            min_value=field.max_value + 1
        )
        return st.one_of(outside.map(str), not_a_value, with_nul)
    if isinstance(field, forms.BooleanField | forms.NullBooleanField):
        return None  # a checkbox: any value is either ticked or not
    if isinstance(field, forms.CharField) and field.max_length:
        too_long = st.integers(field.max_length, 5000).map(lambda n: "y" * (n + 1))
        return st.one_of(too_long, with_nul)
    raise AssertionError(f"No invalid values known for {type(field).__name__}: add them here.")


@pytest.fixture
def filter_records(make_agreement, make_follow_up, make_sector, make_organisation):
    """A published agreement with a follow-up, a sector and a foreign partner."""
    sector = make_sector()
    foreign = make_organisation(country="MY", kind=Organisation.Kind.OTHER)
    agreement = make_agreement(title="Kerja sama contoh", sectors=[sector])
    make_agreement(parties=[foreign, agreement.parties.first().organisation])
    make_follow_up(agreement, responsible=foreign, due_date=datetime.date(2025, 1, 1))
    return agreement


def get_list(client, path, params):
    with translation.override("en"):
        return client.get(path, params, HTTP_ACCEPT_LANGUAGE="en")


def assert_no_markup(content):
    for tag in MARKUP:
        assert tag not in content


def assert_errors_shown_next_to_fields(response):
    """Every error of the filter form is in the page, in the list under its field."""
    content = response.content.decode()
    form = response.context["filter"].form
    assert "Some filters are not valid" in content
    assert not response.context["object_list"]
    with translation.override("en"):
        for name, errors in form.errors.items():
            assert name in form.fields, name
            assert f'<ul class="errorlist" id="id_{name}_error">' in content, name
            for message in errors:
                assert escape(message) in content, (name, message)


def assert_list_answers(response, params):
    assert response.status_code in (200, 404), response.status_code
    assert_no_markup(response.content.decode())
    if response.status_code == 404:
        # The only documented 404 of a list: a page number that is not a page of it.
        assert "page" in params
        return
    if response.context["filter"].form.errors:
        assert_errors_shown_next_to_fields(response)


def params_for(filterset_class):
    fields = form_fields(filterset_class)
    names = [*filter_names(filterset_class), "page", "ordering", "unknown"]
    value_for = {
        name: st.one_of(valid_values(fields[name]), any_param) if name in fields else any_param
        for name in names
    }
    return st.lists(st.sampled_from(names), min_size=1, max_size=6, unique=True).flatmap(
        lambda chosen: st.fixed_dictionaries({name: value_for[name] for name in chosen})
    )


@pytest.mark.parametrize("path", LISTS)
def test_any_combination_of_filters_answers_without_a_crash(client, filter_records, path):
    strategy = params_for(LISTS[path])

    @PROPERTY_SETTINGS
    @given(params=strategy)
    def check(params):
        assert_list_answers(get_list(client, path, params), params)

    check()


@pytest.mark.parametrize(
    ("path", "name"),
    [(path, name) for path, filterset in LISTS.items() for name in filter_names(filterset)],
)
def test_any_single_value_in_a_filter_answers_without_a_crash(client, filter_records, path, name):
    @settings(PROPERTY_SETTINGS, max_examples=25)
    @given(value=any_param)
    def check(value):
        response = get_list(client, path, {name: value})
        assert_list_answers(response, {name: value})

    check()


INVALID_FILTERS = [
    (path, name)
    for path, filterset in LISTS.items()
    for name, field in form_fields(filterset).items()
    if invalid_values(field) is not None
]


def test_every_filter_is_tested_for_invalid_input_unless_it_accepts_anything():
    checkboxes = {
        (path, name)
        for path, filterset in LISTS.items()
        for name, field in form_fields(filterset).items()
        if isinstance(field, forms.NullBooleanField)
    }
    everything = {(path, name) for path in LISTS for name in filter_names(LISTS[path])}

    assert set(INVALID_FILTERS) | checkboxes == everything
    assert ("/agreements/", "date_from") in INVALID_FILTERS


@pytest.mark.parametrize(("path", "name"), INVALID_FILTERS)
def test_invalid_value_in_a_filter_shows_a_message_on_that_field(
    client, filter_records, path, name
):
    field = form_fields(LISTS[path])[name]

    @settings(PROPERTY_SETTINGS, max_examples=20)
    @given(value=invalid_values(field))
    def check(value):
        response = get_list(client, path, {name: value})

        assert response.status_code == 200
        assert name in response.context["filter"].form.errors
        assert_errors_shown_next_to_fields(response)
        assert "Kerja sama contoh" not in response.content.decode()

    check()


DETAIL_PREFIXES = ["/agreements/", "/regions/", "/organisations/", "/officials/"]


@pytest.mark.parametrize("prefix", DETAIL_PREFIXES)
def test_random_path_segments_of_detail_pages_are_404(client, filter_records, prefix):
    existing = {
        "/agreements/": {filter_records.slug},
        "/regions/": {party.organisation.region.code for party in filter_records.parties.all()},
        "/organisations/": {party.organisation.slug for party in filter_records.parties.all()},
        "/officials/": set(),
    }[prefix]

    @settings(PROPERTY_SETTINGS, max_examples=40)
    @given(
        segment=st.one_of(
            any_text, numbers, any_date, st.from_regex(r"\d{2}\.\d{2}", fullmatch=True)
        )
    )
    def check(segment):
        response = client.get(prefix + quote(segment, safe="") + "/")

        if segment in existing:
            assert response.status_code == 200
        else:
            assert response.status_code == 404
        assert_no_markup(response.content.decode())

    check()


def test_a_filter_value_of_markup_is_echoed_escaped(client, filter_records):
    @settings(PROPERTY_SETTINGS, max_examples=20)
    @given(value=markup_text.filter(lambda text: len(text.strip()) <= 200 and "\x00" not in text))
    def check(value):
        response = get_list(client, "/agreements/", {"q": value})

        assert response.status_code == 200
        assert not response.context["filter"].form.errors
        assert_no_markup(response.content.decode())
        assert "&lt;" in response.content.decode()

    check()
