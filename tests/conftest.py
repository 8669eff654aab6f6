"""Fixtures shared by the whole suite: the project's clock, builders that each make one new
valid row (pass fields to vary it), and logged-in clients.

One meaning per name: a fixture defined here is not redefined in a test module.
"""

import datetime
import itertools
import zoneinfo

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone, translation

from cooperation import derived
from cooperation.models import (
    MONEY_KINDS,
    Agreement,
    AgreementRelation,
    FollowUp,
    Participant,
    Party,
    Sector,
    Source,
    Term,
)
from cooperation.models import clock as project_clock
from cooperation.models import today as project_today
from cooperation.services import follow_up_schedule
from regions.models import Organisation, Person, Position, Region, Tenure

_counter = itertools.count(1)


def _next():
    return next(_counter)


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgresql`` check what only PostgreSQL has (row locks, query plans, its
    connect timeout). On another database they are deselected, and counted as such, rather
    than skipped: CI runs the whole suite on SQLite and on PostgreSQL."""
    if django_settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return
    deselected = [item for item in items if item.get_closest_marker("postgresql")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker("postgresql")]


# --- The clock ------------------------------------------------------------------------------


class Clock:
    """The catalogue's clock (``cooperation.models.today()``), stopped for one test.

    ``clock.today`` is the date every caller of ``today()`` sees; ``clock.move_to(day)`` moves
    it to a date (noon in Jakarta) or to an aware moment (to test Jakarta's midnight, say);
    ``clock.advance(days=1)`` moves it on. Only the catalogue's "today" moves: sessions, the
    history's timestamps and the database keep the real time.
    """

    def __init__(self, monkeypatch):
        self._monkeypatch = monkeypatch
        self.move_to(timezone.now())

    def move_to(self, moment):
        if not isinstance(moment, datetime.datetime):
            moment = datetime.datetime.combine(
                moment, datetime.time(12), tzinfo=zoneinfo.ZoneInfo(django_settings.TIME_ZONE)
            )
        if timezone.is_naive(moment):
            raise ValueError("move the clock to a date or an aware datetime")
        self.moment = moment
        self._monkeypatch.setattr(project_clock, "now", lambda: self.moment)

    def advance(self, **delta):
        self.move_to(self.moment + datetime.timedelta(**delta))

    @property
    def today(self):
        return project_today()


@pytest.fixture
def clock(monkeypatch):
    """The project's clock, stopped at the real moment; move it with ``clock.move_to(day)``."""
    return Clock(monkeypatch)


@pytest.fixture
def today(clock):
    """Today's date in Jakarta, as the catalogue sees it, fixed for the whole test."""
    return clock.today


# --- The cache ----------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache holding only the publisher's identity from
    settings, as a running site's warm cache does (``cooperation.caching``): a page costs no
    query for it, and a saved ``SiteIdentity`` replaces it."""
    from django.core.cache import cache

    from cooperation import caching, identity

    cache.clear()
    cache.set(caching.identity_key(), identity.settings_identity(), caching.IDENTITY_TIMEOUT)
    yield
    cache.clear()


# --- Language -------------------------------------------------------------------------------


@pytest.fixture
def english(settings):
    """English for the test's own code (model validation messages) and for requests that ask
    for no language."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


# --- Builders -------------------------------------------------------------------------------


def _free(candidates, taken):
    taken = set(taken)
    return next((candidate for candidate in candidates if candidate not in taken), None)


@pytest.fixture
def make_province(db):
    """A new province; without ``code``, the first two-digit code no region uses."""

    def make(code=None, name=None, **fields):
        n = _next()
        if code is None:
            code = _free(
                (f"{number:02d}" for number in range(10, 100)),
                Region.objects.provinces().values_list("code", flat=True),
            )
            if code is None:
                raise RuntimeError("every two-digit province code is taken")
        return Region.objects.create(
            code=code, name=name or f"Provinsi Uji {n}", kind=Region.Kind.PROVINCE, **fields
        )

    return make


@pytest.fixture
def make_district(db, make_region):
    """A new district (kecamatan) of the given regency or city, or of a new test regency."""

    def make(regency=None, code=None, name=None, **fields):
        n = _next()
        regency = regency or make_region()
        if code is None:
            taken = Region.objects.filter(regency=regency).values_list("code", flat=True)
            code = _free((f"{regency.code}.{number:02d}" for number in range(1, 100)), taken)
            if code is None:
                raise RuntimeError(f"{regency} has no free district code")
        return Region.objects.create(
            code=code,
            name=name or f"Uji {n}",
            kind=Region.Kind.DISTRICT,
            regency=regency,
            province_id=regency.province_id,
            **fields,
        )

    return make


@pytest.fixture
def make_region(db, make_province):
    """A new regency (or a city with kind="city") in the given province or, without one, in a
    test province (made on first use, and again when its codes run out)."""
    own_provinces = []

    def free_code(province, kind):
        numbers = range(1, 70) if kind == Region.Kind.REGENCY else range(71, 100)
        taken = Region.objects.filter(province=province).values_list("code", flat=True)
        return _free((f"{province.code}.{number:02d}" for number in numbers), taken)

    def make(province=None, code=None, name=None, kind="regency", **fields):
        n = _next()
        if province is None and code is None:
            if not own_provinces or free_code(own_provinces[-1], kind) is None:
                own_provinces.append(make_province())
            province = own_provinces[-1]
        province = province or make_province()
        if code is None:
            code = free_code(province, kind)
            if code is None:
                raise RuntimeError(f"{province} has no free {kind} code")
        prefix = "Kabupaten" if kind == Region.Kind.REGENCY else "Kota"
        return Region.objects.create(
            code=code,
            name=name or f"{prefix} Uji {n}",
            kind=kind,
            province=province,
            **fields,
        )

    return make


@pytest.fixture
def make_government(db, make_region):
    """A new regional government of the given region (which must have none yet) or of a new
    regency."""

    def make(region=None, **fields):
        region = region or make_region()
        slug = f"pemerintah-{region.code.replace('.', '-')}"
        if Organisation.objects.filter(slug=slug).exists():
            slug = f"{slug}-{_next()}"
        fields.setdefault("slug", slug)
        fields.setdefault("name", f"Pemerintah {region}")
        return Organisation.objects.create(
            kind=Organisation.Kind.REGIONAL_GOVERNMENT, region=region, **fields
        )

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
        if parties is None:
            parties = [make_government(), make_government()]
        with derived.deferred():  # its derived data once, as an admin save does
            agreement = Agreement.objects.create(**fields)
            for party in parties:
                organisation, role = party if isinstance(party, tuple) else (party, "signatory")
                Party.objects.create(agreement=agreement, organisation=organisation, role=role)
            agreement.sectors.set(sectors)
        agreement.refresh_from_db(fields=["category"])
        return agreement

    return make


@pytest.fixture
def make_relation(db):
    """``make_relation(later, earlier)``: ``later`` follows up ``earlier`` (an agreement, or a
    description of one outside the catalogue), unless another ``type`` is given."""

    def make(later, earlier, type=AgreementRelation.Type.FOLLOWS_UP, **fields):
        if isinstance(earlier, str):
            fields["earlier_description"] = earlier
        else:
            fields["earlier"] = earlier
        return AgreementRelation.objects.create(agreement=later, type=type, **fields)

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
    def make(agreement, responsible=(), **fields):
        """``responsible``: an organisation or several; a recurring follow-up gets its
        occurrences (``follow_up_schedule``); a done one is done today unless told."""
        n = _next()
        fields.setdefault("action", f"Tindak lanjut {n}")
        if fields.get("status") == FollowUp.Status.DONE:
            fields.setdefault("done_on", project_today())
        follow_up = FollowUp.objects.create(agreement=agreement, **fields)
        if isinstance(responsible, Organisation):
            responsible = [responsible]
        follow_up.responsible_organisations.set(responsible)
        if follow_up.is_recurring:
            follow_up_schedule(follow_up)
        return follow_up

    return make


@pytest.fixture
def make_term(db):
    """A term of ``agreement``: by default its first party pays its second Rp1.000.000 a year
    (pass ``receiver=None`` for a term to no party in particular)."""
    second_party = object()

    def make(agreement, giver=None, receiver=second_party, **fields):
        parties = list(agreement.parties.all())
        fields.setdefault("kind", Term.Kind.PAYMENT)
        if fields["kind"] in MONEY_KINDS:
            fields.setdefault("amount", 1_000_000)
            fields.setdefault("period", Term.Period.YEARLY)
        if receiver is second_party:
            receiver = parties[1]
        return Term.objects.create(
            agreement=agreement, giver=giver or parties[0], receiver=receiver, **fields
        )

    return make


@pytest.fixture
def banten(make_province, make_region, make_government, make_organisation):
    """Provinsi Banten (36) with Kabupaten Serang (36.04) and Kota Serang (36.73), their
    governments, and the Bappeda Litbang of Kabupaten Serang."""
    province = make_province(code="36", name="Banten")
    kabupaten = make_region(province=province, code="36.04", name="Kabupaten Serang")
    kota = make_region(province=province, code="36.73", name="Kota Serang", kind="city")
    pemkab = make_government(
        region=kabupaten,
        slug="pemerintah-36-04",
        name="Pemerintah Kabupaten Serang",
        short_name="Pemkab Serang",
    )
    return {
        "province": province,
        "kabupaten": kabupaten,
        "kota": kota,
        "pemprov": make_government(region=province, name="Pemerintah Provinsi Banten"),
        "pemkab": pemkab,
        "pemkot": make_government(region=kota, name="Pemerintah Kota Serang"),
        "bappeda": make_organisation(
            slug="bappeda-kabupaten-serang",
            name="Bappeda Litbang Kabupaten Serang",
            kind=Organisation.Kind.REGIONAL_AGENCY,
            parent=pemkab,
        ),
    }


# --- Files ----------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    """An empty MEDIA_ROOT of the test's own, where uploaded documents are stored."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# --- Logged-in clients ----------------------------------------------------------------------


@pytest.fixture
def superuser_client(client, admin_user):
    """The test client, logged in as a superuser, asking for English."""
    client.force_login(admin_user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def group_client(django_user_model):
    """``group_client("Editor", name="ani")``: a new Client, asking for English, logged in as
    a staff member (not a superuser) of that group, as an officer's account is set up."""

    def log_in(group_name, name=None):
        user = django_user_model.objects.create_user(
            name or f"{group_name.lower()}-{_next()}", is_staff=True
        )
        user.groups.add(Group.objects.get(name=group_name))
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(user)
        return client

    return log_in


@pytest.fixture
def editor_client(group_client):
    """A Client logged in as a member of the Editor group."""
    return group_client("Editor", name="editor")


@pytest.fixture
def viewer_client(group_client):
    """A Client logged in as a member of the Viewer group."""
    return group_client("Viewer", name="viewer")
