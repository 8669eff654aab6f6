"""Searching the catalogue in Indonesian, as a reader does through the agreement list: the
same results on SQLite and PostgreSQL (the suite runs on both)."""

import datetime

import pytest
from django.urls import reverse

from cooperation.models import Participant
from cooperation.search import terms
from tests.cooperation.test_seed_fixtures import (
    BANTEN_BENGKULU,
    KOTA_KABUPATEN_SERANG,
    SERANG_BANDUNG_SIGNING,
    SERANG_BANDUNG_VISIT,
    SERANG_IASTIC,
)
from tests.helpers import load_fixtures


def found(client, q, **params):
    response = client.get(reverse("cooperation:agreement_list"), {"q": q, **params})
    assert response.status_code == 200
    return [agreement.slug for agreement in response.context["object_list"]]


@pytest.fixture
def seeds(db):
    load_fixtures()


# --- The normaliser and stemmer -----------------------------------------------------------


def test_terms_fold_case_accents_and_punctuation():
    assert terms("Kopi ARÁBICA, Bandung!") == terms("kopi arabica bandung")


def test_closed_compounds_are_opened_after_stemming():
    assert terms("kerjasama") == terms("kerja sama") == ["kerja", "sama"]
    assert terms("bekerjasama") == ["kerja", "sama"]
    assert terms("Walikota") == terms("Wali Kota")
    assert terms("penandatanganan") == terms("ditandatangani") == terms("tanda tangan")


def test_affixes_are_stemmed():
    assert terms("persampahan") == terms("sampah")
    assert terms("berinvestasi") == terms("investasi")
    assert terms("pemberdayaan") == terms("daya")


def test_honorifics_academic_titles_and_initials_are_ignored():
    assert terms("Prof. C.C. Chan, S.E., M.Si.") == terms("cc chan")
    assert terms("Dr. H. Andra Soni") == terms("andra soni")
    assert terms("M. Najib Hamas") == terms("Najib Hamas")


# --- The examples on the seed catalogue -------------------------------------------


def test_kerjasama_finds_what_kerja_sama_finds(client, seeds):
    together = found(client, "kerjasama")

    assert len(together) == 4
    assert sorted(together) == sorted(found(client, "kerja sama"))


def test_persampahan_finds_sampah(client, seeds):
    assert found(client, "persampahan") == [SERANG_BANDUNG_VISIT]


def test_berinvestasi_finds_investasi(client, seeds):
    results = found(client, "berinvestasi")

    assert results == found(client, "investasi")
    assert results[0] == SERANG_IASTIC  # "investasi" in its title ranks it first


def test_words_in_different_fields_all_match(client, seeds):
    # "Banten" and "Bengkulu" are the two parties' names (and in the title).
    assert found(client, "banten bengkulu") == [BANTEN_BENGKULU]
    # A party (Pemkab Serang) and a participant's name (Ratu Tatu Chasanah).
    assert found(client, "pemkab serang ratu tatu") == [SERANG_BANDUNG_SIGNING]


def test_every_word_must_match(client, seeds):
    assert found(client, "bengkulu beijing") == []


def test_a_venue_and_a_sector_are_found(client, seeds):
    assert found(client, "creative hub") == [SERANG_BANDUNG_VISIT]
    assert SERANG_IASTIC in found(client, "penanaman modal")


def test_penandatanganan_finds_the_signings(client, seeds):
    signings = found(client, "tanda tangan")

    assert {SERANG_BANDUNG_SIGNING, BANTEN_BENGKULU} <= set(signings)
    assert KOTA_KABUPATEN_SERANG not in signings


def test_a_search_with_no_word_says_so(client, seeds):
    response = client.get(
        reverse("cooperation:agreement_list"), {"q": "Prof. ..."}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200
    assert "There is no word to search for here" in response.context["filter"].errors["q"][0]
    assert list(response.context["object_list"]) == []


# --- Ranking and snippets -----------------------------------------------------------------


def test_results_are_ranked_by_relevance(client, make_agreement):
    make_agreement(slug="summary", title="Rapat", summary="Dibahas juga soal sampah.")
    make_agreement(slug="title", title="Pengelolaan sampah terpadu", summary="Rapat teknis.")
    make_agreement(slug="none", title="Rapat lain", summary="Pariwisata.")

    assert found(client, "persampahan") == ["title", "summary"]


def test_a_chosen_order_overrides_the_ranking(client, make_agreement):
    make_agreement(slug="old", title="Sampah", date=datetime.date(2020, 1, 1))
    make_agreement(slug="new", title="Rapat", summary="sampah", date=datetime.date(2024, 1, 1))

    assert found(client, "sampah") == ["old", "new"]
    assert found(client, "sampah", order="-date") == ["new", "old"]


def test_matching_words_are_marked_in_a_short_safe_snippet(client, make_agreement):
    filler = " ".join(f"kata{n}" for n in range(60))
    make_agreement(
        title="Kerja sama persampahan",
        summary=f"{filler} penanganan <b>sampah</b> di TPAS {filler}",
    )

    page = client.get(reverse("cooperation:agreement_list"), {"q": "sampah"}).content.decode()

    assert "Kerja sama <mark>persampahan</mark>" in page
    snippet = page.split('<p class="snippet">')[1].split("</p>")[0]
    assert "&lt;b&gt;<mark>sampah</mark>&lt;/b&gt;" in snippet
    assert "<b>" not in snippet
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert len(snippet.split()) < 40


# --- Kept up to date ----------------------------------------------------------------------


def test_a_renamed_organisation_is_found_by_its_new_name(client, make_agreement, make_government):
    government = make_government(name="Pemerintah Kabupaten Lama")
    agreement = make_agreement(parties=[government, make_government()])

    government.name = "Pemerintah Kabupaten Baru"
    government.save()

    assert found(client, "baru") == [agreement.slug]
    assert found(client, "lama") == []


def test_a_new_participant_and_a_removed_party_change_what_is_found(
    client, make_agreement, make_government, make_person
):
    apkasi = make_government(name="Asosiasi Contoh")
    agreement = make_agreement(parties=[make_government(), make_government(), apkasi])
    Participant.objects.create(
        agreement=agreement, person=make_person(name="Helmi Hasan"), role="signatory"
    )
    assert found(client, "helmi hasan") == [agreement.slug]

    agreement.parties.get(organisation=apkasi).delete()

    assert found(client, "asosiasi contoh") == []


def test_a_renamed_sector_is_found_by_its_new_name(client, make_agreement, make_sector):
    sector = make_sector(name="Perikanan")
    agreement = make_agreement(sectors=[sector])

    sector.name = "Kelautan"
    sector.save()

    assert found(client, "kelautan") == [agreement.slug]
