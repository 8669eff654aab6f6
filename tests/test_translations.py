"""The Indonesian translation: complete, compiled, shipped, and what readers get.

The catalogues are read here without gettext tools or polib: the .po files with a few lines of
parsing, the .mo files with the standard library's ``gettext``, so these tests run wherever the
project runs.
"""

import ast
import datetime
import gettext
import re

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from cooperation.models import Agreement, FollowUp
from regions.models import Organisation, Region, Tenure

CATALOGUES = [
    settings.BASE_DIR / "cooperation" / "locale" / "id" / "LC_MESSAGES" / "django.po",
    settings.BASE_DIR / "regions" / "locale" / "id" / "LC_MESSAGES" / "django.po",
]
# %(name)s, %(name)d, %s and {name}: what Python fills in at run time.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")


def read_po(path):
    """The live entries of a .po file: dicts of msgctxt, msgid, msgid_plural, msgstr[N], flags."""
    entries = []
    entry = field = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#~"):  # blank, or an obsolete entry
            entry = None
            continue
        if entry is None or (line.startswith("#") and "msgid" in entry):
            entry = {"flags": set()}
            entries.append(entry)
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[field] += ast.literal_eval(line)
        else:
            field, value = line.split(" ", 1)
            entry[field] = ast.literal_eval(value)
    return [entry for entry in entries if entry.get("msgid")]


def translations(entry):
    return [value for key, value in entry.items() if key.startswith("msgstr")]


def label(entry):
    return repr(entry["msgid"])


@pytest.fixture(params=CATALOGUES, ids=["cooperation", "regions"])
def po_path(request):
    return request.param


def test_each_app_ships_an_indonesian_catalogue(po_path):
    assert po_path.exists(), f"{po_path} is missing: run makemessages -l id"
    assert po_path.with_suffix(".mo").exists(), f"{po_path} is not compiled: run compilemessages"
    assert len(read_po(po_path)) > 50


def test_every_message_is_translated_and_none_is_fuzzy(po_path):
    entries = read_po(po_path)

    untranslated = [label(e) for e in entries if not all(translations(e))]
    fuzzy = [label(e) for e in entries if "fuzzy" in e["flags"]]

    assert untranslated == []
    assert fuzzy == []


def test_translations_keep_their_placeholders(po_path):
    wrong = []
    for entry in read_po(po_path):
        source = entry.get("msgid_plural", entry["msgid"])
        expected = sorted(set(PLACEHOLDER.findall(source)))
        for translated in translations(entry):
            if sorted(set(PLACEHOLDER.findall(translated))) != expected:
                wrong.append((entry["msgid"], translated))
    assert wrong == []


def test_indonesian_has_one_plural_form_like_djangos_own_catalogue(po_path):
    header = po_path.read_text(encoding="utf-8")
    assert "Plural-Forms: nplurals=1; plural=0;" in header
    assert '"Language: id\\n"' in header
    plurals = [e for e in read_po(po_path) if "msgid_plural" in e]
    assert all([key for key in e if key.startswith("msgstr")] == ["msgstr[0]"] for e in plurals)


def test_compiled_catalogue_matches_its_source(po_path):
    """The shipped .mo says what the .po says: it was compiled after the last translation."""
    with po_path.with_suffix(".mo").open("rb") as compiled_file:
        compiled = gettext.GNUTranslations(compiled_file)._catalog

    stale = []
    for entry in read_po(po_path):
        key = entry["msgid"]
        if "msgctxt" in entry:
            key = f"{entry['msgctxt']}\x04{key}"
        if "msgid_plural" in entry:
            found = compiled.get((key, 0))
        else:
            found = compiled.get(key)
        if found != translations(entry)[0]:
            stale.append(label(entry))
    assert stale == []


# Strings marked in the simplest, single-literal ways: {% translate "..." %} in templates and
# _("...") / gettext("...") in Python. Enough to notice a string added since the last
# makemessages, without needing gettext's tools.
TEMPLATE_STRING = re.compile(r"""\{% (?:translate|trans) (?:"([^"]+)"|'([^']+)')(?! context)""")
PYTHON_STRING = re.compile(r"""\b(?:_|gettext|gettext_lazy)\("((?:[^"\\]|\\.)+)"\)""")


def marked_strings():
    base = settings.BASE_DIR
    found = {}
    for path in sorted(base.glob("templates/**/*.html")) + sorted(
        base.glob("*/templates/**/*.html")
    ):
        for match in TEMPLATE_STRING.finditer(path.read_text(encoding="utf-8")):
            found.setdefault(match.group(1) or match.group(2), path.relative_to(base))
    for app in ("cooperation", "regions"):
        for path in sorted((base / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for match in PYTHON_STRING.finditer(path.read_text(encoding="utf-8")):
                text = ast.literal_eval(f'"{match.group(1)}"')
                found.setdefault(text, path.relative_to(base))
    return found


def test_every_marked_string_is_in_a_catalogue():
    """A string marked for translation after the last makemessages would show in English."""
    known = {entry["msgid"] for path in CATALOGUES for entry in read_po(path)}
    marked = marked_strings()

    assert len(marked) > 100
    missing = {text: str(path) for text, path in marked.items() if text not in known}
    assert missing == {}, "run makemessages -l id, translate, then compilemessages"


# --- What Django makes of the catalogues ---------------------------------------------------


@pytest.fixture
def indonesian():
    with translation.override("id"):
        yield


def test_interface_strings_come_out_in_indonesian(indonesian):
    assert _("Agreements") == "Kerja Sama"
    assert _("Skip to main content") == "Langsung ke konten utama"
    assert _("Positions over time") == "Riwayat jabatan"
    assert ngettext("%(counter)s agreement found", "%(counter)s agreements found", 5) % {
        "counter": 5
    } == ("5 kerja sama ditemukan")
    assert pgettext("long date format", "l, j F Y") == "l, j F Y"


def test_model_names_and_choices_come_out_in_indonesian(indonesian):
    # The cooperation app's catalogue...
    assert Agreement._meta.verbose_name == "kerja sama"
    assert FollowUp._meta.verbose_name == "tindak lanjut"
    assert str(Agreement.Kind.JOINT_AGREEMENT.label) == "Kesepakatan Bersama (KSB/MoU)"
    assert str(Agreement.Kind.WORKING_VISIT.label) == "Kunjungan kerja"
    assert str(Agreement.Stage.EXPLORATION.label) == "Penjajakan"
    assert str(FollowUp.Status.PLANNED.label) == "direncanakan"
    # ...and the regions app's own catalogue (regions/locale).
    assert Region._meta.verbose_name == "wilayah"
    assert Tenure._meta.verbose_name == "masa jabatan"
    assert str(Region.Kind.REGENCY.label) == "kabupaten"
    assert str(Organisation.Kind.REGIONAL_GOVERNMENT.label) == "pemerintah daerah"
    assert str(Organisation._meta.get_field("short_name").verbose_name) == "nama singkat"


def test_validation_message_comes_out_in_indonesian(indonesian, make_tenure):
    tenure = make_tenure(start_date=datetime.date(2025, 5, 27))
    tenure.end_date = datetime.date(2020, 1, 1)

    with pytest.raises(ValidationError) as error:
        tenure.full_clean()

    assert "Masa jabatan tidak dapat berakhir sebelum dimulai." in error.value.messages


def test_english_is_the_source_language(make_tenure):
    with translation.override("en"):
        assert _("Agreements") == "Agreements"
        assert Agreement._meta.verbose_name == "agreement"
        assert str(Region.Kind.REGENCY.label) == "regency"


# --- Pages ----------------------------------------------------------------------------------


@pytest.fixture
def translated_signing(
    make_agreement, make_government, make_participant, make_person, make_position
):
    serang = make_government(name="Pemerintah Kabupaten Serang")
    bupati = make_position(organisation=serang, title="Bupati Serang")
    agreement = make_agreement(
        title="Penandatanganan kerja sama Kabupaten Serang dan Kabupaten Bandung",
        slug="kerja-sama-serang-bandung",
        date=datetime.date(2023, 1, 30),
        parties=[serang, make_government(name="Pemerintah Kabupaten Bandung")],
    )
    make_participant(agreement, person=make_person(name="Ratu Tatu Chasanah"), position=bupati)
    return agreement


def html_lang(response):
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def test_home_page_is_indonesian_by_default(client, translated_signing):
    response = client.get("/")

    assert html_lang(response) == "id"
    assert response["Content-Language"] == "id"
    page = response.content.decode()
    assert "Katalog Kerja Sama Daerah" in page
    assert "Kerja sama terbaru" in page
    assert "Langsung ke konten utama" in page
    assert "Senin, 30 Januari 2023" in page
    assert "Latest agreements" not in page


def test_home_page_is_english_for_a_browser_that_asks_for_english(client, translated_signing):
    response = client.get("/", headers={"accept-language": "en-GB,en;q=0.9"})

    assert html_lang(response) == "en"
    page = response.content.decode()
    assert "Regional Cooperation Catalogue" in page
    assert "Latest agreements" in page
    assert "Monday, 30 January 2023" in page
    assert "Kerja sama terbaru" not in page


def test_agreement_page_is_indonesian_by_default(client, translated_signing):
    response = client.get(translated_signing.get_absolute_url())

    assert html_lang(response) == "id"
    page = response.content.decode()
    assert '<time datetime="2023-01-30">Senin, 30 Januari 2023</time>' in page
    for heading in (
        "Para pihak",
        "Pejabat yang hadir",
        "Jabatan saat itu",
        "Tindak lanjut",
        "Sumber",
    ):
        assert heading in page
    assert "Kesepakatan Bersama (KSB/MoU)" in page
    assert "pihak penandatangan" in page


def test_agreement_page_is_english_for_a_browser_that_asks_for_english(client, translated_signing):
    response = client.get(translated_signing.get_absolute_url(), headers={"accept-language": "en"})

    assert html_lang(response) == "en"
    page = response.content.decode()
    assert '<time datetime="2023-01-30">Monday, 30 January 2023</time>' in page
    for heading in ("Parties", "Officials present", "Position at the time", "Follow-up actions"):
        assert heading in page
    assert "joint agreement (Kesepakatan Bersama / MoU)" in page
    assert "Para pihak" not in page


def test_language_switch_sets_the_language_for_the_next_pages(client, translated_signing):
    response = client.post(
        "/i18n/setlang/",
        {"language": "en", "next": translated_signing.get_absolute_url()},
        follow=True,
    )

    assert html_lang(response) == "en"
    assert "Monday, 30 January 2023" in response.content.decode()
    # Still English on another page, though the browser asks for Indonesian.
    response = client.get("/", headers={"accept-language": "id"})
    assert html_lang(response) == "en"
