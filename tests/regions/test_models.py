"""Rules of regions, organisations, officials and tenures: the message a user sees from
``full_clean()`` and the database's own refusal when ``clean()`` is bypassed."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from regions.models import Organisation, Person, Position, Region, Tenure

pytestmark = pytest.mark.django_db

ALL = "__all__"


@pytest.fixture(autouse=True)
def in_english(english):
    """Validation messages in English."""


def clean_errors(obj):
    """The messages ``full_clean()`` gives, by field."""
    with pytest.raises(ValidationError) as excinfo:
        obj.full_clean()
    return excinfo.value.message_dict


def constraint_errors(obj):
    """The messages of the database rules themselves (what ``full_clean()`` shows when a field
    check has not already caught the problem)."""
    with pytest.raises(ValidationError) as excinfo:
        obj.validate_constraints()
    return excinfo.value.message_dict


def assert_database_refuses(obj):
    with pytest.raises(IntegrityError), transaction.atomic():
        obj.save()


@pytest.fixture
def banten_province(make_province):
    return make_province(code="36", name="Banten")


# --- Region -------------------------------------------------------------------------------


def test_regions_show_as_people_say_them(banten_province, make_region):
    serang = make_region(province=banten_province, code="36.04", name="Kabupaten Serang")
    kota = make_region(province=banten_province, code="36.73", name="Kota Serang", kind="city")

    assert str(banten_province) == "Provinsi Banten"
    assert str(serang) == "Kabupaten Serang"
    assert str(kota) == "Kota Serang"


def test_region_codes_are_unique(banten_province):
    duplicate = Region(code="36", name="Banten lagi", kind="province")

    assert "Region with this Kemendagri code already exists." in clean_errors(duplicate)["code"]
    assert_database_refuses(duplicate)


def test_region_kind_must_be_valid():
    region = Region(code="99", name="Entah", kind="village")

    assert "Value 'village' is not a valid choice." in clean_errors(region)["kind"]
    assert_database_refuses(region)


def test_a_province_has_no_parent_province(banten_province):
    region = Region(code="17", name="Bengkulu", kind="province", province=banten_province)

    errors = clean_errors(region)

    assert "A province does not belong to another province." in errors["province"]
    assert (
        "A province has a two-digit code and no parent; a regency or city has a code NN.NN and "
        "belongs to a province; a district has a code NN.NN.NN and belongs to a regency or city "
        "and its province." in constraint_errors(region)[ALL]
    )
    assert_database_refuses(region)


def test_a_regency_belongs_to_a_province():
    region = Region(code="36.04", name="Kabupaten Serang", kind="regency")

    assert "A regency or city belongs to a province." in clean_errors(region)["province"]
    assert_database_refuses(region)


def test_a_province_code_has_two_digits_at_the_database_too():
    region = Region(code="36.04", name="Banten", kind="province")

    assert "A province's code has two digits, such as 36." in clean_errors(region)["code"]
    assert_database_refuses(region)


def test_a_regency_code_starts_with_its_province_code(banten_province):
    region = Region(
        code="32.04", name="Kabupaten Bandung", kind="regency", province=banten_province
    )

    assert (
        "The code of a regency or city starts with its province's code."
        in clean_errors(region)["code"]
    )


@pytest.mark.parametrize(
    ("kind", "code", "message"),
    [
        ("regency", "36.71", "Regency codes run from NN.01 to NN.69."),
        ("regency", "36.00", "Regency codes run from NN.01 to NN.69."),
        ("city", "36.04", "City codes run from NN.71 to NN.99."),
    ],
)
def test_regency_codes_run_01_to_69_and_city_codes_71_to_99(banten_province, kind, code, message):
    region = Region(code=code, name="Uji", kind=kind, province=banten_province)

    assert message in clean_errors(region)["code"]


@pytest.mark.parametrize(
    ("kind", "code"), [("regency", "36.69"), ("city", "36.71"), ("city", "36.99")]
)
def test_codes_at_the_edges_of_the_ranges_are_accepted(banten_province, kind, code):
    Region(code=code, name="Uji", kind=kind, province=banten_province).full_clean()


def test_a_malformed_code_is_refused_with_an_example():
    region = Region(code="3604", name="Uji", kind="province")

    assert (
        "A region code is two digits for a province (36), NN.NN for a regency or city (36.04) "
        "and NN.NN.NN for a district (36.04.01)." in clean_errors(region)["code"]
    )


def test_within_a_province_includes_its_regencies_cities_and_districts(
    banten_province, make_region, make_province, make_district
):
    serang = make_region(province=banten_province, code="36.04")
    ciruas = make_district(regency=serang, code="36.04.05")
    kota = make_region(province=banten_province, code="36.73", kind="city")
    make_district(regency=make_region(province=make_province(code="32"), code="32.04"))

    assert set(Region.objects.within(banten_province)) == {banten_province, serang, ciruas, kota}
    assert set(Region.objects.within(serang)) == {serang, ciruas}
    assert list(Region.objects.within(ciruas)) == [ciruas]


def test_a_district_lies_in_a_regency_or_city(banten_province):
    district = Region(code="36.04.05", name="Ciruas", kind="district", province=banten_province)

    assert "A district lies in a regency or city: choose it." in clean_errors(district)["regency"]
    assert_database_refuses(district)


def test_a_district_code_starts_with_its_regency_code(banten_province, make_region):
    serang = make_region(province=banten_province, code="36.04")
    district = Region(code="36.73.01", name="Serang", kind="district", regency=serang)

    assert (
        "The code of a district starts with its regency's or city's code."
        in clean_errors(district)["code"]
    )


def test_a_district_takes_its_province_from_its_regency(banten_province, make_region):
    serang = make_region(province=banten_province, code="36.04")
    district = Region(code="36.04.05", name="Ciruas", kind="district", regency=serang)

    district.full_clean()

    assert district.province == banten_province
    assert str(district) == "Kecamatan Ciruas"


def test_only_a_district_lies_in_a_regency(banten_province, make_region):
    serang = make_region(province=banten_province, code="36.04")
    city = Region(code="36.73", name="Kota Serang", kind="city", province=banten_province)
    city.regency = serang

    assert "Only a district lies in a regency or city." in clean_errors(city)["regency"]
    assert_database_refuses(city)


def test_ancestry_of_a_district_is_its_regency_then_its_province(make_district):
    district = make_district()

    assert Region.objects.ancestry()[district.pk] == (
        district.pk,
        district.regency_id,
        district.province_id,
    )


# --- Organisation -------------------------------------------------------------------------


def test_an_indonesian_regional_government_needs_its_region():
    government = Organisation(
        slug="pemkab", name="Pemerintah Kabupaten", kind="regional_government"
    )

    message = "An Indonesian regional government needs its region."
    errors = clean_errors(government)
    assert message in errors["region"]
    assert message in constraint_errors(government)[ALL]
    assert_database_refuses(government)


def test_a_foreign_regional_government_needs_no_region():
    Organisation(
        slug="guangdong", name="Guangdong", kind="regional_government", country="CN"
    ).full_clean()


def test_a_regional_agency_needs_its_parent_government():
    agency = Organisation(slug="bappeda", name="Bappeda", kind="regional_agency")

    message = "A regional agency belongs to a regional government: choose the parent."
    assert message in clean_errors(agency)["parent"]
    assert_database_refuses(agency)


def test_an_agency_lies_in_its_governments_region_or_below(
    make_government, make_region, make_district
):
    regency = make_region()
    government = make_government(region=regency)
    elsewhere = make_region(province=regency.province)
    agency = Organisation(
        slug="dlh", name="DLH", kind="regional_agency", parent=government, region=elsewhere
    )

    assert clean_errors(agency)["region"] == [
        f"{elsewhere} lies outside {government}'s region ({regency}): an agency is placed in "
        "its government's region or a region under it."
    ]
    for inside in (regency, make_district(regency=regency), None):
        agency.region = inside
        agency.full_clean()


def test_a_provincial_agency_may_sit_in_one_of_the_provinces_regencies(
    make_government, make_region, make_province
):
    province = make_province()
    government = make_government(region=province)
    agency = Organisation(slug="upt", name="UPT", kind="regional_agency", parent=government)

    agency.region = make_region(province=province)
    agency.full_clean()
    agency.region = make_region()  # another province's regency
    assert "lies outside" in clean_errors(agency)["region"][0]


def test_a_region_has_one_regional_government(make_government):
    government = make_government()
    second = Organisation(
        slug="pemerintah-kedua",
        name="Pemerintah kedua",
        kind="regional_government",
        region=government.region,
    )

    assert "This region already has a regional government." in clean_errors(second)[ALL]
    assert_database_refuses(second)


def test_organisation_kind_must_be_valid():
    organisation = Organisation(slug="x", name="X", kind="club")

    assert "Value 'club' is not a valid choice." in clean_errors(organisation)["kind"]
    assert_database_refuses(organisation)


def test_a_foreign_organisation_has_no_indonesian_region(make_region):
    iastic = Organisation(
        slug="iastic", name="IASTIC", kind="institution", country="CN", region=make_region()
    )

    assert "A foreign organisation has no Indonesian region." in clean_errors(iastic)["region"]


def test_an_organisation_cannot_be_its_own_parent(make_organisation):
    organisation = make_organisation()
    organisation.parent = organisation

    assert (
        "An organisation cannot be its own parent or ancestor."
        in clean_errors(organisation)["parent"]
    )


def test_an_organisation_cannot_be_its_own_ancestor(make_organisation):
    top = make_organisation()
    middle = make_organisation(parent=top)
    bottom = make_organisation(parent=middle)
    top.parent = bottom

    assert "An organisation cannot be its own parent or ancestor." in clean_errors(top)["parent"]


def test_organisation_slugs_are_unique(make_organisation):
    make_organisation(slug="apkasi")
    duplicate = Organisation(slug="apkasi", name="Apkasi", kind="association")

    assert "Organisation with this Slug already exists." in clean_errors(duplicate)["slug"]
    assert_database_refuses(duplicate)


# --- People, positions, tenures -------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "suffix", "expected"),
    [
        ("Hj.", "S.E., M.AP.", "Hj. Ratu Tatu Chasanah, S.E., M.AP."),
        ("Hj.", "", "Hj. Ratu Tatu Chasanah"),
        ("", "S.E., M.AP.", "Ratu Tatu Chasanah, S.E., M.AP."),
        ("", "", "Ratu Tatu Chasanah"),
    ],
)
def test_full_name_keeps_honorifics_and_academic_titles_visible(prefix, suffix, expected):
    person = Person(name="Ratu Tatu Chasanah", honorific_prefix=prefix, honorific_suffix=suffix)

    assert person.full_name == expected
    assert str(person) == expected


def test_position_role_must_be_valid(make_government):
    position = Position(slug="x", title="X", organisation=make_government(), role="king")

    assert "Value 'king' is not a valid choice." in clean_errors(position)["role"]
    assert_database_refuses(position)


def test_a_tenure_cannot_end_before_it_starts(make_person, make_position):
    tenure = Tenure(
        person=make_person(),
        position=make_position(),
        start_date=datetime.date(2021, 2, 26),
        end_date=datetime.date(2020, 1, 1),
    )

    errors = clean_errors(tenure)

    assert "A tenure cannot end before it starts." in errors["end_date"]
    assert "A tenure cannot end before it starts." in constraint_errors(tenure)[ALL]
    assert_database_refuses(tenure)


def test_the_same_official_holds_a_post_from_a_date_once(make_tenure):
    tenure = make_tenure(start_date=datetime.date(2021, 2, 26))
    duplicate = Tenure(
        person=tenure.person, position=tenure.position, start_date=datetime.date(2021, 2, 26)
    )

    assert "This official already holds this post from that date." in clean_errors(duplicate)[ALL]
    assert_database_refuses(duplicate)


def test_the_same_official_holds_a_post_from_an_unknown_date_once(make_tenure):
    tenure = make_tenure()
    duplicate = Tenure(person=tenure.person, position=tenure.position)

    assert (
        "This official already holds this post from an unknown date."
        in clean_errors(duplicate)[ALL]
    )
    assert_database_refuses(duplicate)


def test_a_second_term_from_a_new_date_is_allowed(make_tenure):
    first = make_tenure(start_date=datetime.date(2016, 2, 17), end_date=datetime.date(2021, 2, 17))
    second = Tenure(
        person=first.person, position=first.position, start_date=datetime.date(2021, 2, 26)
    )

    second.full_clean()
    second.save()


# --- Who held this post on this day ---------------------------------------------------------


@pytest.fixture
def bupati(make_position):
    return make_position(title="Bupati Serang", slug="bupati-serang")


def holders(position, day):
    return [tenure.person.name for tenure in position.holders_on(day)]


def test_a_tenure_with_unknown_start_and_end_counts_on_any_day(bupati, make_tenure, make_person):
    make_tenure(person=make_person(name="Ratu Tatu Chasanah"), position=bupati)

    assert holders(bupati, datetime.date(2010, 1, 1)) == ["Ratu Tatu Chasanah"]
    assert holders(bupati, datetime.date(2030, 1, 1)) == ["Ratu Tatu Chasanah"]


def test_a_successors_start_ends_the_predecessors_open_tenure(bupati, make_tenure, make_person):
    make_tenure(
        person=make_person(name="Ratu Tatu Chasanah"),
        position=bupati,
        start_date=datetime.date(2021, 2, 26),
    )
    make_tenure(
        person=make_person(name="Ratu Rachmatuzakiyah"),
        position=bupati,
        start_date=datetime.date(2025, 2, 20),
    )

    assert holders(bupati, datetime.date(2021, 2, 25)) == []
    assert holders(bupati, datetime.date(2023, 1, 30)) == ["Ratu Tatu Chasanah"]
    assert holders(bupati, datetime.date(2025, 2, 19)) == ["Ratu Tatu Chasanah"]
    assert holders(bupati, datetime.date(2025, 2, 20)) == ["Ratu Rachmatuzakiyah"]
    assert holders(bupati, datetime.date(2025, 10, 24)) == ["Ratu Rachmatuzakiyah"]


def test_a_successor_also_ends_a_tenure_whose_start_is_unknown(bupati, make_tenure, make_person):
    make_tenure(person=make_person(name="Pendahulu"), position=bupati)
    make_tenure(
        person=make_person(name="Pengganti"), position=bupati, start_date=datetime.date(2025, 2, 20)
    )

    assert holders(bupati, datetime.date(2024, 6, 1)) == ["Pendahulu"]
    assert holders(bupati, datetime.date(2025, 6, 1)) == ["Pengganti"]


def test_an_explicit_end_date_ends_a_tenure(bupati, make_tenure, make_person):
    make_tenure(
        person=make_person(name="Ratu Tatu Chasanah"),
        position=bupati,
        start_date=datetime.date(2016, 2, 17),
        end_date=datetime.date(2021, 2, 17),
    )

    assert holders(bupati, datetime.date(2021, 2, 17)) == ["Ratu Tatu Chasanah"]
    assert holders(bupati, datetime.date(2021, 2, 18)) == []


def test_an_acting_head_holds_the_post_between_terms(bupati, make_tenure, make_person):
    make_tenure(
        person=make_person(name="Ratu Tatu Chasanah"),
        position=bupati,
        start_date=datetime.date(2021, 2, 26),
        end_date=datetime.date(2024, 9, 24),
    )
    make_tenure(
        person=make_person(name="Penjabat Bupati"),
        position=bupati,
        start_date=datetime.date(2024, 9, 25),
        is_acting=True,
    )
    make_tenure(
        person=make_person(name="Ratu Rachmatuzakiyah"),
        position=bupati,
        start_date=datetime.date(2025, 2, 20),
    )

    acting = list(bupati.holders_on(datetime.date(2024, 12, 1)))
    assert [(tenure.person.name, tenure.is_acting) for tenure in acting] == [
        ("Penjabat Bupati", True)
    ]
    assert holders(bupati, datetime.date(2025, 3, 1)) == ["Ratu Rachmatuzakiyah"]


def test_held_on_accepts_a_datetime_and_only_counts_the_post_asked_about(
    bupati, make_tenure, make_person, make_position
):
    person = make_person(name="Ratu Tatu Chasanah")
    make_tenure(person=person, position=bupati, start_date=datetime.date(2021, 2, 26))
    make_tenure(
        person=make_person(name="Wakil"),
        position=make_position(title="Wakil Bupati Serang"),
        start_date=datetime.date(2025, 2, 20),
    )

    moment = datetime.datetime(2025, 10, 24, 9, 0, tzinfo=datetime.UTC)
    tenures = Tenure.objects.filter(position=bupati).held_on(moment)

    assert [tenure.person for tenure in tenures] == [person]
    assert Tenure.objects.held_on(moment).count() == 2


def test_holders_on_needs_no_query_per_holder(
    bupati, make_tenure, make_person, django_assert_num_queries
):
    make_tenure(person=make_person(name="Ratu Tatu Chasanah"), position=bupati)

    with django_assert_num_queries(1):
        assert holders(bupati, datetime.date(2023, 1, 30)) == ["Ratu Tatu Chasanah"]
