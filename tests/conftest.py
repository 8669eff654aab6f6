"""Small builders shared by the whole suite. Each makes one valid row; pass fields to vary it."""

import datetime
import itertools

import pytest

from cooperation.models import Agreement, FollowUp, Participant, Party, Sector, Source
from regions.models import Organisation, Person, Position, Region, Tenure

_counter = itertools.count(1)


def _next():
    return next(_counter)


@pytest.fixture
def make_province(db):
    def make(code=None, name=None, **fields):
        n = _next()
        code = code or f"{10 + n % 89:02d}"
        region, _ = Region.objects.get_or_create(
            code=code, defaults={"name": name or f"Provinsi Uji {n}", "kind": "province", **fields}
        )
        return region

    return make


@pytest.fixture
def make_region(db, make_province):
    """A regency (or a city with kind="city") in a given or new province."""

    def make(province=None, code=None, name=None, kind="regency", **fields):
        province = province or make_province()
        n = _next()
        if code is None:
            number = (n % 60) + 1 if kind == "regency" else 71 + n % 28
            code = f"{province.code}.{number:02d}"
        prefix = "Kabupaten" if kind == "regency" else "Kota"
        region, _ = Region.objects.get_or_create(
            code=code,
            defaults={"name": name or f"{prefix} Uji {n}", "kind": kind, "province": province},
        )
        return region

    return make


@pytest.fixture
def make_government(db, make_region):
    def make(region=None, **fields):
        region = region or make_region()
        slug = f"pemerintah-{region.code.replace('.', '-')}"
        fields.setdefault("name", f"Pemerintah {region}")
        government, _ = Organisation.objects.get_or_create(
            slug=slug,
            defaults={"kind": Organisation.Kind.REGIONAL_GOVERNMENT, "region": region, **fields},
        )
        return government

    return make


@pytest.fixture
def make_organisation(db):
    def make(**fields):
        n = _next()
        fields.setdefault("slug", f"organisasi-{n}")
        fields.setdefault("name", f"Organisasi {n}")
        fields.setdefault("kind", Organisation.Kind.COMPANY)
        return Organisation.objects.create(**fields)

    return make


@pytest.fixture
def make_person(db):
    def make(**fields):
        n = _next()
        fields.setdefault("slug", f"pejabat-{n}")
        fields.setdefault("name", f"Pejabat {n}")
        return Person.objects.create(**fields)

    return make


@pytest.fixture
def make_position(db, make_government):
    def make(organisation=None, **fields):
        n = _next()
        fields.setdefault("slug", f"jabatan-{n}")
        fields.setdefault("title", f"Jabatan {n}")
        return Position.objects.create(organisation=organisation or make_government(), **fields)

    return make


@pytest.fixture
def make_tenure(db, make_person, make_position):
    def make(person=None, position=None, **fields):
        return Tenure.objects.create(
            person=person or make_person(), position=position or make_position(), **fields
        )

    return make


@pytest.fixture
def make_sector(db):
    def make(**fields):
        n = _next()
        fields.setdefault("slug", f"sektor-{n}")
        fields.setdefault("name", f"Sektor {n}")
        return Sector.objects.create(**fields)

    return make


@pytest.fixture
def make_source(db):
    def make(**fields):
        n = _next()
        fields.setdefault("slug", f"sumber-{n}")
        fields.setdefault("publisher", "contoh.id")
        fields.setdefault("headline", f"Berita {n}")
        return Source.objects.create(**fields)

    return make


@pytest.fixture
def make_agreement(db, make_government):
    """A published agreement between two new regional governments (a KSDD), unless told else.

    ``parties`` is a list of organisations or (organisation, role) pairs.
    """

    def make(parties=None, sectors=(), **fields):
        n = _next()
        fields.setdefault("slug", f"kerja-sama-{n}")
        fields.setdefault("title", f"Kerja sama {n}")
        fields.setdefault("kind", Agreement.Kind.JOINT_AGREEMENT)
        fields.setdefault("stage", Agreement.Stage.JOINT_AGREEMENT_SIGNED)
        fields.setdefault("date", datetime.date(2025, 10, 24))
        fields.setdefault("is_published", True)
        agreement = Agreement.objects.create(**fields)
        if parties is None:
            parties = [make_government(), make_government()]
        for party in parties:
            organisation, role = party if isinstance(party, tuple) else (party, "signatory")
            Party.objects.create(agreement=agreement, organisation=organisation, role=role)
        agreement.sectors.set(sectors)
        return agreement

    return make


@pytest.fixture
def make_participant(db, make_person):
    def make(agreement, person=None, position=None, role="signatory", **fields):
        if person is None and position is None:
            person = make_person()
        return Participant.objects.create(
            agreement=agreement, person=person, position=position, role=role, **fields
        )

    return make


@pytest.fixture
def make_follow_up(db):
    def make(agreement, **fields):
        n = _next()
        fields.setdefault("action", f"Tindak lanjut {n}")
        return FollowUp.objects.create(agreement=agreement, **fields)

    return make
