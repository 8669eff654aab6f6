"""The regions fixture: the build_region_fixture command and the committed fixtures/regions.json."""

import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from regions.models import Region
from tests.helpers import REGION_COUNT

REGIONS_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "regions.json"


def write_csv(directory, provinces, regencies, districts=None):
    directory.mkdir(exist_ok=True)
    if districts is not None:
        (directory / "districts.csv").write_text(
            "code,regency_code,name\n"
            + "".join(f"{code},{regency},{name}\n" for code, regency, name in districts),
            "utf-8",
        )
    (directory / "provinces.csv").write_text(
        "code,name\n" + "".join(f"{code},{name}\n" for code, name in provinces), "utf-8"
    )
    (directory / "regencies.csv").write_text(
        "code,province_code,name\n"
        + "".join(f"{code},{province},{name}\n" for code, province, name in regencies),
        "utf-8",
    )
    return directory


PROVINCES = [("36", "Banten"), ("17", "Bengkulu")]
# Deliberately out of order: the fixture is sorted by code whatever the input order.
REGENCIES = [
    ("36.73", "36", "Kota Serang"),
    ("17.71", "17", "Kota Bengkulu"),
    ("36.04", "36", "Kabupaten Serang"),
    ("17.01", "17", "Kabupaten Bengkulu Selatan"),
]


def build(source, output):
    out = io.StringIO()
    call_command("build_region_fixture", str(source), output=str(output), stdout=out)
    return out.getvalue()


def test_command_writes_sorted_natural_key_objects_from_the_csv(tmp_path):
    source = write_csv(tmp_path / "data", PROVINCES, REGENCIES)
    output = tmp_path / "regions.json"

    message = build(source, output)

    assert "2 provinces, 4 regencies and cities and 0 districts" in message
    assert json.loads(output.read_text("utf-8")) == [
        {
            "model": "regions.region",
            "fields": {
                "code": "17",
                "name": "Bengkulu",
                "kind": "province",
                "province": None,
                "regency": None,
            },
        },
        {
            "model": "regions.region",
            "fields": {
                "code": "17.01",
                "name": "Kabupaten Bengkulu Selatan",
                "kind": "regency",
                "province": ["17"],
                "regency": None,
            },
        },
        {
            "model": "regions.region",
            "fields": {
                "code": "17.71",
                "name": "Kota Bengkulu",
                "kind": "city",
                "province": ["17"],
                "regency": None,
            },
        },
        {
            "model": "regions.region",
            "fields": {
                "code": "36",
                "name": "Banten",
                "kind": "province",
                "province": None,
                "regency": None,
            },
        },
        {
            "model": "regions.region",
            "fields": {
                "code": "36.04",
                "name": "Kabupaten Serang",
                "kind": "regency",
                "province": ["36"],
                "regency": None,
            },
        },
        {
            "model": "regions.region",
            "fields": {
                "code": "36.73",
                "name": "Kota Serang",
                "kind": "city",
                "province": ["36"],
                "regency": None,
            },
        },
    ]


def test_command_gives_the_capitals_province_the_name_the_law_gives_it(tmp_path):
    source = write_csv(tmp_path / "data", [("31", "Daerah Khusus Ibukota Jakarta")], [])
    output = tmp_path / "regions.json"

    build(source, output)

    [jakarta] = json.loads(output.read_text("utf-8"))
    assert jakarta["fields"]["name"] == "Daerah Khusus Jakarta"


def test_command_output_is_identical_whatever_the_input_order(tmp_path):
    first = tmp_path / "first.json"
    second = tmp_path / "second.json"
    build(write_csv(tmp_path / "a", PROVINCES, REGENCIES), first)
    build(write_csv(tmp_path / "b", PROVINCES[::-1], REGENCIES[::-1]), second)

    text = first.read_text("utf-8")
    assert text == second.read_text("utf-8")
    assert text.startswith('[\n{"model": "regions.region",')
    assert text.endswith("}}\n]\n")


def test_generated_fixture_loads_and_regions_show_as_people_say_them(db, tmp_path):
    output = tmp_path / "regions.json"
    build(write_csv(tmp_path / "data", PROVINCES, REGENCIES), output)

    call_command("loaddata", str(output), verbosity=0)

    serang = Region.objects.get(code="36.04")
    assert serang.province == Region.objects.get(code="36")
    assert [str(region) for region in Region.objects.filter(code__startswith="36")] == [
        "Provinsi Banten",
        "Kabupaten Serang",
        "Kota Serang",
    ]


DISTRICTS = [("36.04.05", "36.04", "Ciruas"), ("36.73.01", "36.73", "Serang")]


def test_command_writes_districts_under_their_regency_or_city(db, tmp_path):
    output = tmp_path / "regions.json"
    source = write_csv(tmp_path / "data", PROVINCES, REGENCIES, DISTRICTS)

    assert "and 2 districts" in build(source, output)
    call_command("loaddata", str(output), verbosity=0)

    ciruas = Region.objects.get(code="36.04.05")
    assert (ciruas.kind, str(ciruas)) == (Region.Kind.DISTRICT, "Kecamatan Ciruas")
    assert ciruas.regency == Region.objects.get(code="36.04")
    assert ciruas.province == Region.objects.get(code="36")
    assert [r.code for r in Region.objects.get(code="36.73").districts.all()] == ["36.73.01"]


def test_command_refuses_a_district_of_an_unknown_regency(tmp_path):
    source = write_csv(tmp_path / "data", PROVINCES, REGENCIES, [("36.02.01", "36.02", "Uji")])

    with pytest.raises(CommandError, match="districts.csv line 2: regency '36.02' is not in"):
        build(source, tmp_path / "regions.json")


def test_command_refuses_a_district_code_outside_its_regency(tmp_path):
    source = write_csv(tmp_path / "data", PROVINCES, REGENCIES, [("36.73.01", "36.04", "Uji")])

    with pytest.raises(CommandError, match="'36.73.01' does not belong to regency '36.04'"):
        build(source, tmp_path / "regions.json")


def test_command_refuses_a_name_that_is_neither_kabupaten_nor_kota(tmp_path):
    source = write_csv(tmp_path / "data", PROVINCES, [("36.04", "36", "Serang")])

    with pytest.raises(CommandError, match="regencies.csv line 2: 'Serang' starts with neither"):
        build(source, tmp_path / "regions.json")
    assert not (tmp_path / "regions.json").exists()


def test_command_refuses_a_regency_of_an_unknown_province(tmp_path):
    source = write_csv(tmp_path / "data", PROVINCES, [("32.04", "32", "Kabupaten Bandung")])

    with pytest.raises(CommandError, match="province '32' is not in provinces.csv"):
        build(source, tmp_path / "regions.json")


def test_command_refuses_a_code_outside_its_province(tmp_path):
    source = write_csv(tmp_path / "data", PROVINCES, [("17.04", "36", "Kabupaten Serang")])

    with pytest.raises(CommandError, match="'17.04' does not belong to province '36'"):
        build(source, tmp_path / "regions.json")


def test_command_says_which_file_is_missing(tmp_path):
    with pytest.raises(CommandError, match="provinces.csv is missing"):
        build(tmp_path, tmp_path / "regions.json")


@pytest.fixture
def all_regions(db):
    call_command("loaddata", str(REGIONS_FIXTURE), verbosity=0)


def test_committed_fixture_holds_provinces_regencies_cities_and_districts(all_regions):
    assert Region.objects.provinces().count() == 38
    assert Region.objects.filter(kind=Region.Kind.REGENCY).count() == 416
    assert Region.objects.filter(kind=Region.Kind.CITY).count() == 98
    assert Region.objects.regencies_and_cities().count() == 514
    assert Region.objects.districts().count() == 7285
    assert not Region.objects.exclude(kind=Region.Kind.PROVINCE).filter(province=None).exists()
    assert not Region.objects.districts().filter(regency=None).exists()
    # As many districts as idn-area-data's regency_counts.csv gives, and none without any.
    districts = dict(
        Region.objects.regencies_and_cities()
        .annotate(n=Count("districts"))
        .values_list("code", "n")
    )
    assert (districts["36.04"], districts["36.73"], districts["32.73"]) == (29, 6, 30)
    assert min(districts.values()) > 0


def test_committed_fixture_regions_show_as_people_say_them(all_regions):
    assert str(Region.objects.get(code="36")) == "Provinsi Banten"
    assert str(Region.objects.get(code="36.04")) == "Kabupaten Serang"
    assert str(Region.objects.get(code="36.73")) == "Kota Serang"
    assert str(Region.objects.get(code="17")) == "Provinsi Bengkulu"
    assert str(Region.objects.get(code="32.04")) == "Kabupaten Bandung"
    assert str(Region.objects.get(code="32.73")) == "Kota Bandung"
    assert str(Region.objects.get(code="36.04.09")) == "Kecamatan Ciruas"
    # Renamed by Undang-Undang Nomor 2 Tahun 2024, after idn-area-data was published.
    assert str(Region.objects.get(code="31")) == "Provinsi Daerah Khusus Jakarta"


def test_committed_fixture_regions_pass_model_validation(all_regions):
    for region in Region.objects.select_related("province", "regency"):
        region.full_clean()


def test_committed_fixture_has_no_numeric_primary_keys():
    objects = json.loads(REGIONS_FIXTURE.read_text("utf-8"))
    assert len(objects) == REGION_COUNT
    assert not any("pk" in obj for obj in objects)
