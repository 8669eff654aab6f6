"""Which stemmer finds more: Sastrawi (what the catalogue uses) or PostgreSQL's own
``indonesian`` Snowball stemmer? A measurement, not a test.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kk_x .venv/bin/python \\
        tests/benchmarks/compare_stemmers.py [--agreements 2000] [--differences 8]

It reads the catalogue in DATABASE_URL (the seeds, or a generated catalogue such as the
benchmark's katalog_bench: it only reads), takes the searchable text
(``cooperation.derived.search_texts``) of --agreements agreements spread evenly over the
catalogue (all of them if there are fewer) and for each stemmer:

- finds, for every derived word of the text (a word whose stem differs from it), the agreements
  a reader typing its root would find: "finds" counts the (root query, agreement) pairs found;
- counts the stems that are not Indonesian words (not in Sastrawi's dictionary of 30,000
  roots, and not a word of the text itself): "mangled" stems, such as "rjasama" for
  "kerjasama", make a stem match words that have nothing to do with each other;
- runs the issue's examples (persampahan, berinvestasi, penandatanganan, kerjasama);
- lists the --differences root queries for which it finds the most more agreements than the
  other stemmer, each with the text's words it conflates into that root: read them to judge
  whether the extra finds are right ("penandatanganan" for "tanda tangan") or not.

Snowball stems come from PostgreSQL itself (``ts_lexize('indonesian_stem', word)``).
"""

import argparse
import os
import re
import sys
from collections import defaultdict
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
EXAMPLES = [
    ("persampahan", "sampah"),
    ("berinvestasi", "investasi"),
    ("penandatanganan", "tanda tangan"),
    ("kerjasama", "kerja sama"),
    ("bekerjasama", "kerja sama"),
    ("pembangunan", "bangun"),
    ("kunjungan", "kunjung"),
    ("pemberdayaan", "daya"),
    ("pengelolaan", "kelola"),
    ("pelayanan", "layan"),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agreements", type=int, default=2000, help="sample size (default 2000)")
    parser.add_argument("--differences", type=int, default=8, help="roots listed per stemmer")
    args = parser.parse_args()
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cooperation.settings")
    import django

    django.setup()
    from django.db import connection
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    from cooperation import search
    from cooperation.derived import search_texts
    from cooperation.models import Agreement

    if connection.vendor != "postgresql":
        sys.exit("DATABASE_URL must point at PostgreSQL (the Snowball stems come from it).")
    pks = list(Agreement.objects.order_by("pk").values_list("pk", flat=True))
    pks = pks[:: max(1, -(-len(pks) // args.agreements))]  # spread evenly, at most --agreements
    words_of = {}
    for pk, fields in search_texts(pks).items():
        text = " ".join(part for parts in fields.values() for part in parts)
        words_of[pk] = set(re.findall(r"[a-z]+", search.fold(text)))
    vocabulary = sorted(set().union(*words_of.values()) | {w for pair in EXAMPLES for w in pair})
    vocabulary = [word for word in vocabulary if len(word) >= 4 and word not in search.HONORIFICS]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT w, (ts_lexize('indonesian_stem', w))[1] FROM unnest(%s::text[]) AS w",
            [vocabulary],
        )
        snowball = dict(cursor.fetchall())
    roots = set(StemmerFactory().get_words())
    stemmers = {
        "Sastrawi (catalogue)": lambda word: " ".join(search.stem(word)),
        "PostgreSQL indonesian (Snowball)": lambda word: snowball.get(word) or word,
    }
    print(f"{len(pks)} agreements, {len(vocabulary)} distinct words of 4 letters or more\n")
    found_by, stem_of = {}, {}
    for name, stem in stemmers.items():
        by_stem = defaultdict(set)
        for pk, words in words_of.items():
            for word in words:
                if word in snowball:
                    by_stem[stem(word)].add(pk)
        derived_words = [w for w in vocabulary if stem(w) != w]
        # A reader types the root (the stem, where it is a word) and finds the agreements whose
        # text has a derived form of it.
        found = {
            root: len(by_stem[root])
            for root in {stem(w) for w in derived_words}
            if all(part in roots for part in root.split())
        }
        finds = sum(found.values())
        found_by[name], stem_of[name] = found, stem
        mangled = sorted(
            {
                stem(w)
                for w in derived_words
                if not all(part in roots or part in vocabulary for part in stem(w).split())
            }
        )
        examples = sum(
            " ".join(search.terms(query)) == " ".join(search.terms(expected))
            if name.startswith("Sastrawi")
            else stem(query) == " ".join(stem(part) for part in expected.split())
            for query, expected in EXAMPLES
        )
        print(name)
        print(f"  derived words conflated with another form: {len(derived_words)}")
        print(f"  (root query, agreement) pairs found through a derived form: {finds}")
        print(f"  mangled stems (not an Indonesian word): {len(mangled)}, e.g. {mangled[:8]}")
        print(f"  the issue's examples right: {examples} of {len(EXAMPLES)}\n")
    for name, other in (list(stemmers), list(stemmers)[::-1]):
        mine, theirs = found_by[name], found_by[other]
        gains = sorted(
            ((count - theirs.get(root, 0), root) for root, count in mine.items()),
            key=lambda gain: (-gain[0], gain[1]),
        )
        print(f"Where {name} finds more than {other} (root: extra agreements, its words):")
        for gain, root in gains[: args.differences]:
            if gain > 0:
                words = [w for w in derived_words_of(vocabulary, stem_of[name], root)][:5]
                print(f"  {root}: +{gain} ({', '.join(words)})")
        print()


def derived_words_of(vocabulary, stem, root):
    """The words of ``vocabulary`` other than ``root`` that ``stem`` turns into it."""
    return [word for word in vocabulary if word != root and stem(word) == root]


if __name__ == "__main__":
    main()
