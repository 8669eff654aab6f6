"""The fixtures in fixtures/: they load in one call, load again without change, survive a
natural-key round trip, and hold what the five seed articles say."""

import datetime
import json
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db.models import F

from cooperation.models import Agreement, FollowUp, Participant, Party, Sector, Source
from regions.models import Organisation, Person, Position, Region, Tenure
from tests.helpers import (
    FIXTURES,
    REGION_COUNT,
    catalogue_models,
    dump_catalogue,
    load_fixtures,
)

SERANG_IASTIC = "pertemuan-pemkab-serang-iastic-beijing-2025"
KOTA_KABUPATEN_SERANG = "pertemuan-wali-kota-serang-wakil-bupati-serang-2026"
SERANG_BANDUNG_VISIT = "kunjungan-kerja-pemkot-serang-ke-kota-bandung-2025"
SERANG_BANDUNG_SIGNING = "kerja-sama-kabupaten-serang-kabupaten-bandung-2023"
BANTEN_BENGKULU = "kerja-sama-provinsi-banten-provinsi-bengkulu-2025"


@pytest.fixture
def seeds(db):
    load_fixtures()


def agreement(slug):
    return Agreement.objects.with_category().get(slug=slug)


def parties(slug):
    return {
        (party.organisation.name, party.role)
        for party in agreement(slug).parties.select_related("organisation")
    }


def participants(slug):
    """(name or None, position title, role) of each participant."""
    return {
        (p.person.name if p.person else None, p.position.title, p.role)
        for p in agreement(slug).participants.select_related("person", "position")
    }


def sector_slugs(slug):
    return set(agreement(slug).sectors.values_list("slug", flat=True))


def follow_ups(slug):
    return {
        (f.action, ", ".join(o.slug for o in f.responsible_organisations.all()) or None)
        for f in agreement(slug).follow_ups.prefetch_related("responsible_organisations")
    }


def assert_follow_ups_planned_undated_and_sourced(slug):
    record = agreement(slug)
    [source] = record.sources.all()
    assert record.follow_ups.exists()
    for follow_up in record.follow_ups.all():
        assert follow_up.status == FollowUp.Status.PLANNED
        assert follow_up.due_date is None
        assert follow_up.done_on is None
        assert not follow_up.is_overdue
        assert follow_up.source == source


# --- Loading ---------------------------------------------------------------------------------


def test_fixture_files_are_the_regions_sectors_and_three_seed_files():
    assert [Path(name).name for name in FIXTURES] == [
        "regions.json",
        "sectors.json",
        "seed_1_organisations.json",
        "seed_2_people.json",
        "seed_3_agreements.json",
    ]


def test_no_fixture_holds_a_numeric_primary_key():
    for name in FIXTURES:
        objects = json.loads(Path(name).read_text("utf-8"))
        assert objects, name
        assert not [obj for obj in objects if "pk" in obj], name


def test_all_fixture_files_load_in_one_call(seeds):
    assert Region.objects.count() == REGION_COUNT
    assert Agreement.objects.published().count() == 5
    assert Source.objects.count() == 5
    assert Organisation.objects.filter(kind=Organisation.Kind.REGIONAL_GOVERNMENT).count() == 6
    assert Sector.objects.filter(slug__in=["investasi", "umkm", "harga-pangan"]).count() == 3


def test_every_loaded_row_passes_model_validation(seeds):
    for model in catalogue_models():
        for obj in model._default_manager.all():
            obj.full_clean()


def test_loading_the_fixtures_again_changes_nothing(seeds):
    before = dump_catalogue()
    counts = {model: model._default_manager.count() for model in catalogue_models()}

    load_fixtures()

    assert dump_catalogue() == before
    assert {model: model._default_manager.count() for model in catalogue_models()} == counts


def test_natural_key_dump_flush_and_load_gives_the_same_rows(seeds, tmp_path):
    before = dump_catalogue()
    dump = tmp_path / "catalogue.json"
    dump.write_text(json.dumps(before), "utf-8")

    try:
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        assert not Agreement.objects.exists() and not Region.objects.exists()
        call_command("loaddata", str(dump), verbosity=0)
    finally:
        ContentType.objects.clear_cache()

    assert dump_catalogue() == before


# --- Who held the post on the day -----------------------------------------------------------


def test_bupati_serang_was_ratu_tatu_chasanah_in_2023_and_ratu_rachmatuzakiyah_in_2025(seeds):
    bupati = Position.objects.get(title="Bupati Serang")

    assert [t.person.name for t in bupati.holders_on(datetime.date(2023, 1, 30))] == [
        "Ratu Tatu Chasanah"
    ]
    assert [t.person.name for t in bupati.holders_on(datetime.date(2025, 10, 5))] == [
        "Ratu Rachmatuzakiyah"
    ]


def test_tenure_start_dates_come_from_officials_terms_with_their_source(seeds):
    starts = {
        (t.person.name, t.position.title): t
        for t in Tenure.objects.select_related("person", "position").exclude(start_date=None)
    }

    assert set(starts) == {
        ("Ratu Rachmatuzakiyah", "Bupati Serang"),
        ("M. Najib Hamas", "Wakil Bupati Serang"),
        ("Andra Soni", "Gubernur Banten"),
        ("Helmi Hasan", "Gubernur Bengkulu"),
    }
    assert starts["Ratu Rachmatuzakiyah", "Bupati Serang"].start_date == datetime.date(2025, 5, 27)
    assert "bantenintens.co.id" in starts["Ratu Rachmatuzakiyah", "Bupati Serang"].source_note
    assert starts["Andra Soni", "Gubernur Banten"].start_date == datetime.date(2025, 2, 20)
    assert "linimassa.id" in starts["Andra Soni", "Gubernur Banten"].source_note
    assert not Tenure.objects.exclude(end_date=None).exists()


def test_names_are_kept_apart_from_honorifics(seeds):
    chan = Person.objects.get(name="C.C. Chan")
    assert chan.honorific_prefix == "Prof."
    assert str(chan) == "Prof. C.C. Chan"
    assert str(Person.objects.get(slug="m-dadang-supriatna")) == "M Dadang Supriatna"


# --- The five events -------------------------------------------------------------------------


def test_sources_have_no_invented_url_or_date_and_say_what_is_missing(seeds):
    assert not Source.objects.exclude(url="").exists()
    assert not Source.objects.exclude(published_on=None).exists()
    unnamed = Source.objects.get(publisher="(tidak disebut dalam teks)")
    assert unnamed.headline.startswith("Wali Kota Serang dan Wakil Bupati Serang Gagas")
    assert "tidak menyebut penerbit" in unnamed.notes
    untitled = Source.objects.filter(headline__startswith="[Tanpa judul]")
    assert {source.publisher for source in untitled} == {
        "Banten Raya (bantenraya.com)",
        "SEWAKTU.com",
    }
    for source in untitled:
        assert "tidak memuat judul" in source.notes


def test_every_seed_agreement_cites_its_one_article(seeds):
    cited = {
        slug: [source.publisher for source in agreement(slug).sources.all()]
        for slug in Agreement.objects.values_list("slug", flat=True)
    }
    assert cited == {
        SERANG_IASTIC: ["Banten Raya (bantenraya.com)"],
        KOTA_KABUPATEN_SERANG: ["(tidak disebut dalam teks)"],
        SERANG_BANDUNG_VISIT: ["SEWAKTU.com"],
        SERANG_BANDUNG_SIGNING: ["bisnisbanten.com"],
        BANTEN_BENGKULU: ["BANTENEKSPRES.CO.ID"],
    }


def test_no_seed_agreement_has_an_invented_document_number_or_validity(seeds):
    assert not Party.objects.exclude(document_number="").exists()
    assert not Agreement.objects.exclude(valid_from=None).exists()
    assert not Agreement.objects.exclude(valid_until=None).exists()


def test_every_seed_official_acted_for_a_party_of_the_agreement(seeds):
    acted_for = {
        (
            p.agreement.slug,
            p.person.slug if p.person else p.position.slug,
        ): p.party.organisation.slug
        for p in Participant.objects.select_related(
            "agreement", "person", "position", "party__organisation"
        )
    }

    assert acted_for[(SERANG_BANDUNG_SIGNING, "ratu-tatu-chasanah")] == (
        "pemerintah-kabupaten-serang"
    )
    assert acted_for[(SERANG_BANDUNG_SIGNING, "m-dadang-supriatna")] == (
        "pemerintah-kabupaten-bandung"
    )
    assert acted_for[(SERANG_BANDUNG_SIGNING, "rachmat-maulana")] == "pemerintah-kabupaten-serang"
    assert acted_for[(BANTEN_BENGKULU, "kepala-dinas-pu-provinsi-bengkulu")] == (
        "pemerintah-provinsi-bengkulu"
    )
    assert acted_for[(SERANG_IASTIC, "c-c-chan")] == "iastic-beijing"
    assert Participant.objects.filter(party__isnull=True).count() == 0
    assert not Participant.objects.exclude(party__agreement=F("agreement")).exists()


def test_each_signing_side_signed_on_the_day_the_article_gives(seeds):
    signed = {
        (party.agreement.slug, party.organisation.slug): party.signed_on
        for party in Party.objects.exclude(signed_on=None).select_related(
            "agreement", "organisation"
        )
    }

    assert signed == {
        (SERANG_BANDUNG_SIGNING, "pemerintah-kabupaten-serang"): datetime.date(2023, 1, 30),
        (SERANG_BANDUNG_SIGNING, "pemerintah-kabupaten-bandung"): datetime.date(2023, 1, 30),
        (BANTEN_BENGKULU, "pemerintah-provinsi-banten"): datetime.date(2025, 10, 24),
        (BANTEN_BENGKULU, "pemerintah-provinsi-bengkulu"): datetime.date(2025, 10, 24),
    }


def test_serang_meets_iastic_beijing_at_an_apkasi_forum(seeds):
    record = agreement(SERANG_IASTIC)

    assert record.kind == Agreement.Kind.EXPLORATORY_MEETING
    assert record.stage == Agreement.Stage.EXPLORATION
    assert record.date == datetime.date(2025, 10, 5)
    assert record.venue.startswith("JW Marriott Hotel Jakarta")
    assert record.venue_region is None
    assert record.category == Agreement.Category.KSDLL
    assert parties(SERANG_IASTIC) == {
        ("Pemerintah Kabupaten Serang", "participant"),
        ("International Academicians Science and Technology Innovation Centre Beijing", "visitor"),
        ("Asosiasi Pemerintah Kabupaten Seluruh Indonesia", "organiser"),
    }
    assert Organisation.objects.get(short_name="IASTIC Beijing").country == "CN"
    assert participants(SERANG_IASTIC) == {
        ("Ratu Rachmatuzakiyah", "Bupati Serang", "speaker"),
        ("C.C. Chan", "President of IASTIC Beijing", "head_of_delegation"),
    }
    assert sector_slugs(SERANG_IASTIC) >= {"investasi", "industri", "pertanian"}
    assert follow_ups(SERANG_IASTIC) == {
        ("Survei atau kunjungan pihak Tiongkok ke Kabupaten Serang", None),
        ("Perjanjian kerja sama (PKS) bila ada pihak Tiongkok yang berminat berinvestasi", None),
    }
    assert_follow_ups_planned_undated_and_sourced(SERANG_IASTIC)


def test_serang_iastic_data_notes_explain_the_date_and_the_bupati(seeds):
    notes = agreement(SERANG_IASTIC).data_notes

    assert "5 Agustus 2025 jatuh pada hari Selasa" in notes
    assert "5 Oktober 2025 jatuh pada hari Minggu" in notes
    assert "Ratu Rachmatuzakiyah" in notes and "officials_terms.csv" in notes
    assert "masyaraka" in notes


def test_wali_kota_serang_receives_the_wakil_bupati_serang(seeds):
    record = agreement(KOTA_KABUPATEN_SERANG)

    assert record.kind == Agreement.Kind.EXPLORATORY_MEETING
    assert record.stage == Agreement.Stage.EXPLORATION
    assert record.date == datetime.date(2026, 1, 30)
    assert record.venue == "Ruang Wali Kota Serang"
    assert str(record.venue_region) == "Kota Serang"
    assert record.category == Agreement.Category.KSDD
    assert parties(KOTA_KABUPATEN_SERANG) == {
        ("Pemerintah Kota Serang", "host"),
        ("Pemerintah Kabupaten Serang", "visitor"),
    }
    assert participants(KOTA_KABUPATEN_SERANG) == {
        ("Budi Rustandi", "Wali Kota Serang", "host"),
        ("M. Najib Hamas", "Wakil Bupati Serang", "head_of_delegation"),
    }
    assert sector_slugs(KOTA_KABUPATEN_SERANG) >= {
        "pendapatan-asli-daerah",
        "pelayanan-publik",
        "bumd",
        "kepelabuhanan",
        "umkm",
        "perdagangan-dan-jasa",
        "layanan-laboratorium-kesehatan",
    }
    [(action, responsible)] = follow_ups(KOTA_KABUPATEN_SERANG)
    assert "Labkesda Lingkungan" in action and "pertemuan berikutnya" in action
    assert responsible is None
    assert_follow_ups_planned_undated_and_sourced(KOTA_KABUPATEN_SERANG)
    labkesda = Organisation.objects.get(slug="labkesda-lingkungan-kota-serang")
    assert labkesda.parent.name == "Pemerintah Kota Serang"


def test_kota_serang_makes_a_working_visit_to_kota_bandung(seeds):
    record = agreement(SERANG_BANDUNG_VISIT)

    assert record.kind == Agreement.Kind.WORKING_VISIT
    assert record.stage == Agreement.Stage.EXPLORATION
    assert record.date == datetime.date(2025, 6, 23)
    assert record.venue == "Bandung Creative Hub"
    assert str(record.venue_region) == "Kota Bandung"
    assert record.category == Agreement.Category.KSDD
    assert parties(SERANG_BANDUNG_VISIT) == {
        ("Pemerintah Kota Serang", "visitor"),
        ("Pemerintah Kota Bandung", "host"),
    }
    assert participants(SERANG_BANDUNG_VISIT) == {
        ("Nur Agis Aulia", "Wakil Wali Kota Serang", "head_of_delegation"),
        ("Erwin", "Wakil Wali Kota Bandung", "host"),
    }
    assert sector_slugs(SERANG_BANDUNG_VISIT) == {
        "digitalisasi-layanan-publik",
        "umkm",
        "pariwisata-dan-budaya",
        "pengelolaan-sampah",
    }
    [(action, _responsible)] = follow_ups(SERANG_BANDUNG_VISIT)
    assert "kerja sama antardaerah" in action
    assert_follow_ups_planned_undated_and_sourced(SERANG_BANDUNG_VISIT)


def test_bupati_serang_and_bupati_bandung_sign_with_the_whole_delegation(seeds):
    record = agreement(SERANG_BANDUNG_SIGNING)

    assert record.kind == Agreement.Kind.JOINT_AGREEMENT
    assert record.stage == Agreement.Stage.JOINT_AGREEMENT_SIGNED
    assert record.date == datetime.date(2023, 1, 30)
    assert record.venue == "Pendopo Bupati Bandung"
    assert str(record.venue_region) == "Kabupaten Bandung"
    assert record.category == Agreement.Category.KSDD
    assert parties(SERANG_BANDUNG_SIGNING) == {
        ("Pemerintah Kabupaten Serang", "signatory"),
        ("Pemerintah Kabupaten Bandung", "signatory"),
    }
    assert participants(SERANG_BANDUNG_SIGNING) == {
        ("Ratu Tatu Chasanah", "Bupati Serang", "signatory"),
        ("M Dadang Supriatna", "Bupati Bandung", "signatory"),
        ("Tubagus Entus Mahmud Sahiri", "Sekretaris Daerah Kabupaten Serang", "delegation_member"),
        (
            "Nanang Supriatna",
            "Asisten Daerah I Bidang Administrasi Pemerintahan dan Kesejahteraan Rakyat "
            "Kabupaten Serang",
            "delegation_member",
        ),
        ("Rudi Suhartanto", "Inspektur Kabupaten Serang", "delegation_member"),
        ("Rachmat Maulana", "Kepala Bappeda Litbang Kabupaten Serang", "delegation_member"),
        ("Muhammad Ishak Abdul Raup", "Kepala Bapenda Kabupaten Serang", "delegation_member"),
    }
    assert sector_slugs(SERANG_BANDUNG_SIGNING) >= {"inovasi", "umkm"}
    assert follow_ups(SERANG_BANDUNG_SIGNING) == {
        (
            "Pengintegrasian inovasi daerah Kabupaten Serang dengan Kabupaten Bandung",
            "bappeda-litbang-kabupaten-serang",
        ),
        ("Tindak lanjut program kerja sama antardinas kedua kabupaten", None),
        (
            "Kerja sama produk lokal dan UMKM, termasuk pelatihan di wilayah kabupaten mitra",
            None,
        ),
    }
    assert_follow_ups_planned_undated_and_sourced(SERANG_BANDUNG_SIGNING)
    notes = record.data_notes
    assert "Seranh" in notes and "sejumlah Kepala OPD" in notes
    assert "tanpa nama atau nomor dokumen" in notes


def test_serang_agencies_belong_to_the_regional_government(seeds):
    agencies = Organisation.objects.filter(parent__slug="pemerintah-kabupaten-serang")

    assert set(agencies.values_list("short_name", flat=True)) == {
        "Bappeda Litbang Kabupaten Serang",
        "Bapenda Kabupaten Serang",
        "Inspektorat Kabupaten Serang",
    }
    assert str(Organisation.objects.get(slug="pemerintah-kabupaten-serang").region) == (
        "Kabupaten Serang"
    )


def test_governors_of_banten_and_bengkulu_sign_at_kp3b(seeds):
    record = agreement(BANTEN_BENGKULU)

    assert record.kind == Agreement.Kind.JOINT_AGREEMENT
    assert record.stage == Agreement.Stage.JOINT_AGREEMENT_SIGNED
    assert record.date == datetime.date(2025, 10, 24)
    assert record.venue == "Pendopo Gubernur Banten, KP3B"
    assert record.venue_region.code == "36.73"
    assert record.category == Agreement.Category.KSDD
    assert parties(BANTEN_BENGKULU) == {
        ("Pemerintah Provinsi Banten", "signatory"),
        ("Pemerintah Provinsi Bengkulu", "signatory"),
    }
    assert participants(BANTEN_BENGKULU) == {
        ("Andra Soni", "Gubernur Banten", "signatory"),
        ("Helmi Hasan", "Gubernur Bengkulu", "signatory"),
        (None, "Kepala Dinas PU Provinsi Bengkulu", "delegation_member"),
    }
    assert sector_slugs(BANTEN_BENGKULU) >= {
        "pertumbuhan-ekonomi-daerah",
        "pelayanan-publik",
        "harga-pangan",
        "infrastruktur",
    }
    assert follow_ups(BANTEN_BENGKULU) == {
        ("Tindak lanjut rinci kerja sama oleh dinas terkait di masing-masing provinsi", None),
        (
            "Kunjungan balasan Pemerintah Provinsi Banten ke Provinsi Bengkulu",
            "pemerintah-provinsi-banten",
        ),
        (
            "Dinas PU Provinsi Bengkulu mempelajari pembangunan jalan desa oleh Pemprov Banten "
            "dengan anggaran terbatas",
            "dinas-pu-provinsi-bengkulu",
        ),
        (
            "Pemprov Banten mempelajari program pasar murah di masjid setiap Jumat dari "
            "Provinsi Bengkulu",
            "pemerintah-provinsi-banten",
        ),
    }
    assert_follow_ups_planned_undated_and_sourced(BANTEN_BENGKULU)
    assert "Pemrlov" in record.data_notes


def test_every_seed_agreement_has_a_summary_and_data_notes(seeds):
    for record in Agreement.objects.all():
        assert record.is_published
        assert 150 < len(record.summary) < 800, record.slug
        assert record.data_notes, record.slug
