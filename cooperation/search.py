"""Indonesian text for search: one normaliser and stemmer for every database.

``terms(text)`` turns any text (a title, a party's name, a visitor's query) into the list of
search terms the catalogue stores and matches:

1. case and accents are folded ("Bupati" = "bupati", "Kopi Arábica" = "kopi arabica"); only
   Latin letters and digits make terms, everything else separates them;
2. dotted abbreviations are joined before the dots go ("S.E." is "se", "C.C." is "cc"), and
   honorifics and academic titles ("Prof.", "H.", "Dr.", "S.E.", "M.Si.") are dropped, as are
   single letters (initials), so "Prof. C.C. Chan" and "cc chan" are the same search;
3. each word is stemmed with Sastrawi (Nazief–Adriani with a dictionary of 30,000 roots):
   "persampahan" and "sampah" both give "sampah", "berinvestasi" gives "investasi";
4. closed compounds are opened after stemming, so that "kerjasama", "bekerjasama" and
   "kerja sama" all give "kerja sama", and "penandatanganan" and "ditandatangani" give
   "tanda tangan".

The same terms feed PostgreSQL (a stored ``tsvector`` built with the ``simple`` configuration,
which neither stems nor drops anything, with a GIN index) and SQLite (the stored terms,
matched word by word), so both databases find exactly the same agreements. The README's
"Search" section says why Sastrawi and not PostgreSQL's own ``indonesian`` (Snowball)
stemmer: it finds more, and mangles fewer words.

``highlight(text, query_terms)`` marks the words of a text whose terms match a query, for the
list's snippets, as safe HTML.
"""

import functools
import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import mark_safe
from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
from Sastrawi.Stemmer.Stemmer import Stemmer
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

# Closed compounds that are also written open: the stem on the left is stored as the words on
# the right. Each left side is added to Sastrawi's dictionary as a root, so that its affixed
# forms ("penandatanganan", "bekerjasama") are stemmed to it first.
COMPOUNDS = {
    "kerjasama": ("kerja", "sama"),
    "tandatangan": ("tanda", "tangan"),
    "walikota": ("wali", "kota"),
    "tanggungjawab": ("tanggung", "jawab"),
    "dayaguna": ("daya", "guna"),
    "hasilguna": ("hasil", "guna"),
}

# Honorifics, religious and academic titles, as they read once lower-cased and without dots.
# They say nothing about an agreement and are written inconsistently ("H." or "Haji", "Prof."
# or "Prof", "S.E." or "SE"), so they are never search terms.
HONORIFICS = frozenset(
    """
    prof dr drs dra hj ir kh ust ustadz tb
    se sh mh msi mm mpd spd ssos st mt skom mkom sip ssi mba phd msc bsc ma mag sag
    sstp ssn mkes skm sked apt akt mars mse sp sthi mhum shum sikom sei msei spdi mpdi
    """.split()
)

_ABBREVIATION = re.compile(r"\b(?:[^\W\d_]{1,3}\.){2,}")  # S.E. M.Si. C.C. Ph.D.
_TERM = re.compile(r"[a-z0-9]+")
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")  # a word of the original text, for snippets


@functools.cache
def _stemmer():
    words = StemmerFactory().get_words()
    return Stemmer(ArrayDictionary([*words, *COMPOUNDS]))


@functools.lru_cache(maxsize=200_000)
def stem(word):
    """The terms of one folded word: its stem, opened if it is a closed compound."""
    if word in HONORIFICS or len(word) < 2:
        return ()
    if len(word) < 4 or not word.isalpha():
        return (word,)
    root = _stemmer().stem(word) or word
    return COMPOUNDS.get(root, (root,))


def fold(text):
    """Lower-case ASCII: accents removed, dotted abbreviations joined."""
    text = _ABBREVIATION.sub(lambda match: match.group().replace(".", ""), text or "")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    return text.casefold()


def terms(text):
    """The search terms of ``text``, in order (repeats kept: they weigh in the ranking)."""
    return [term for word in _TERM.findall(fold(text)) for term in stem(word)]


def document(*texts):
    """The stored form of some texts: their terms separated by single spaces."""
    return " ".join(term for text in texts for term in terms(text))


def query_terms(text):
    """The distinct terms of a query, in the order typed: every one must match."""
    return list(dict.fromkeys(terms(text)))


def highlight(text, wanted, max_words=None):
    """``text`` as safe HTML with the words whose terms are in ``wanted`` in ``<mark>``.

    With ``max_words``, only a window of that many words around the first match is kept (or
    the beginning, if nothing matches), with an ellipsis where text was cut.
    """
    text = text or ""
    wanted = set(wanted)
    words = list(_WORD.finditer(text))
    hits = [i for i, word in enumerate(words) if wanted.intersection(terms(word.group()))]
    start, end = 0, len(text)
    if max_words and len(words) > max_words:
        first = max(0, (hits[0] if hits else 0) - max_words // 3)
        first = min(first, len(words) - max_words)
        last = first + max_words - 1
        start = words[first].start() if first else 0
        end = words[last].end() if last < len(words) - 1 else len(text)
        hits = [i for i in hits if first <= i <= last]
    parts, position = [], start
    for i in hits:
        word = words[i]
        parts += [escape(text[position : word.start()]), "<mark>", escape(word.group()), "</mark>"]
        position = word.end()
    parts.append(escape(text[position:end]))
    html = "".join(parts).strip()
    if start > 0:
        html = "… " + html
    if end < len(text):
        html += " …"
    return mark_safe(html)  # every piece of the text went through escape()


SNIPPET_WORDS = 30


def highlight_matches(agreements, text):
    """For a page of search results: give each agreement ``title_html``, a short ``snippet``
    of its summary and each party a ``label_html``, with the words matching ``text`` marked.
    Agreements need their parties prefetched (``with_list_data``)."""
    wanted = query_terms(text or "")
    if not wanted:
        return
    for agreement in agreements:
        agreement.title_html = highlight(agreement.title, wanted)
        agreement.snippet = highlight(agreement.summary, wanted, SNIPPET_WORDS)
        for party in agreement.parties.all():
            organisation = party.organisation
            party.label_html = highlight(organisation.short_name or organisation.name, wanted)
