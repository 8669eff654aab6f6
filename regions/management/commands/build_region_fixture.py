"""Build fixtures/regions.json from the idn-area-data CSV files (ODbL 1.0).

    python manage.py build_region_fixture ../shared/data/idn-area-data

reads provinces.csv (code, name), regencies.csv (code, province_code, name) and, where present,
districts.csv (code, regency_code, name) and writes every province, regency, city and district
(kecamatan) as a `regions.region` object keyed by its Kemendagri code. The output is sorted by
code, one object a line, so regenerating it from the same data gives the same file.
"""

import csv
import json
import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from regions.models import Region

PROVINCE_CODE = re.compile(r"^\d{2}$")
REGENCY_CODE = re.compile(r"^\d{2}\.\d{2}$")
DISTRICT_CODE = re.compile(r"^\d{2}\.\d{2}\.\d{2}$")

# The kind of a regency or city is the first word of its name in idn-area-data:
# "Kabupaten Serang", "Kabupaten Administrasi Kepulauan Seribu", "Kota Serang".
KIND_BY_PREFIX = {"Kabupaten": Region.Kind.REGENCY, "Kota": Region.Kind.CITY}

# Names the law has changed since idn-area-data was published, by code. Undang-Undang Nomor 2
# Tahun 2024 renamed the capital's province "Provinsi Daerah Khusus Jakarta".
RENAMED = {"31": "Daerah Khusus Jakarta"}


def _read_rows(path, columns):
    if not path.is_file():
        raise CommandError(f"{path} is missing.")
    with path.open(newline="", encoding="utf-8-sig") as file:
        reader = csv.DictReader(file)
        missing = set(columns) - set(reader.fieldnames or ())
        if missing:
            raise CommandError(f"{path.name} lacks the column(s) {', '.join(sorted(missing))}.")
        # Line 1 is the header: data rows start at line 2.
        return [(line, row) for line, row in enumerate(reader, start=2)]


def region_objects(directory):
    """The fixture's objects, sorted by code, from the CSV files in ``directory``."""
    directory = Path(directory)
    objects = {}
    for line, row in _read_rows(directory / "provinces.csv", ["code", "name"]):
        code, name = row["code"].strip(), row["name"].strip()
        if not PROVINCE_CODE.match(code) or not name:
            raise CommandError(f"provinces.csv line {line}: bad province {code!r} {name!r}.")
        if code in objects:
            raise CommandError(f"provinces.csv line {line}: code {code} appears twice.")
        objects[code] = {
            "code": code,
            "name": RENAMED.get(code, name),
            "kind": Region.Kind.PROVINCE.value,
            "province": None,
            "regency": None,
        }

    columns = ["code", "province_code", "name"]
    for line, row in _read_rows(directory / "regencies.csv", columns):
        code, province, name = (row[column].strip() for column in columns)
        where = f"regencies.csv line {line}"
        if not REGENCY_CODE.match(code) or not code.startswith(f"{province}."):
            raise CommandError(f"{where}: code {code!r} does not belong to province {province!r}.")
        if objects.get(province, {}).get("kind") != Region.Kind.PROVINCE:
            raise CommandError(f"{where}: province {province!r} is not in provinces.csv.")
        if code in objects:
            raise CommandError(f"{where}: code {code} appears twice.")
        kind = KIND_BY_PREFIX.get(name.split(" ", 1)[0])
        if kind is None:
            raise CommandError(f"{where}: {name!r} starts with neither 'Kabupaten' nor 'Kota'.")
        objects[code] = {
            "code": code,
            "name": name,
            "kind": kind.value,
            "province": [province],
            "regency": None,
        }

    districts = directory / "districts.csv"
    columns = ["code", "regency_code", "name"]
    for line, row in _read_rows(districts, columns) if districts.is_file() else []:
        code, regency, name = (row[column].strip() for column in columns)
        where = f"districts.csv line {line}"
        if not DISTRICT_CODE.match(code) or not code.startswith(f"{regency}."):
            raise CommandError(f"{where}: code {code!r} does not belong to regency {regency!r}.")
        if objects.get(regency, {}).get("kind") not in Region.MIDDLE_KINDS:
            raise CommandError(f"{where}: regency {regency!r} is not in regencies.csv.")
        if code in objects:
            raise CommandError(f"{where}: code {code} appears twice.")
        if not name:
            raise CommandError(f"{where}: district {code} has no name.")
        objects[code] = {
            "code": code,
            "name": name,
            "kind": Region.Kind.DISTRICT.value,
            "province": [code[:2]],
            "regency": [regency],
        }

    # Sorted by code, each region comes just before the regions under it ("36" < "36.01" <
    # "36.01.01").
    return [{"model": "regions.region", "fields": objects[code]} for code in sorted(objects)]


class Command(BaseCommand):
    help = (
        "Write the regions fixture (provinces, regencies, cities and districts with their "
        "Kemendagri codes) from the provinces.csv, regencies.csv and districts.csv of "
        "idn-area-data."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "directory", help="The folder holding provinces.csv, regencies.csv and districts.csv."
        )
        parser.add_argument(
            "--output",
            default=str(Path(settings.BASE_DIR) / "fixtures" / "regions.json"),
            help="Where to write the fixture (default: fixtures/regions.json).",
        )

    def handle(self, directory, output, **options):
        objects = region_objects(directory)
        output = Path(output)
        output.parent.mkdir(parents=True, exist_ok=True)
        # One object a line: 7,800 regions stay a file a diff can show.
        lines = ",\n".join(json.dumps(obj, ensure_ascii=False) for obj in objects)
        output.write_text(f"[\n{lines}\n]\n", "utf-8")
        kinds = [obj["fields"]["kind"] for obj in objects]
        provinces = kinds.count(Region.Kind.PROVINCE)
        districts = kinds.count(Region.Kind.DISTRICT)
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {provinces} provinces, {len(objects) - provinces - districts} regencies "
                f"and cities and {districts} districts to {output}."
            )
        )
