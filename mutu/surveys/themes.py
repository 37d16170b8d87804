"""Themes of citizens' open answers (saran dan masukan): what several people wrote about.

Pure text logic, no Django. An answer is cut into clauses; courtesy ("terima kasih", "semoga
sukses") and function words are dropped; a negator joins the word it negates ("tidak ramah",
"kurang bersih"); adverbs between a noun and its adjective are skipped, so that "antrean yang
masih sangat panjang" is the phrase "antrean panjang". A theme is a phrase of two words, or a
single word, that at least `min_count` answers share; a word is a theme only for the answers
that none of its phrases already counts. Example quotes never repeat (normalised text).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from itertools import pairwise
from typing import NamedTuple


def _wordlist(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Thanks, wishes and non-answers: said by many, about nothing to improve.
COURTESY = (
    "terima kasih",
    "terimakasih",
    "trima kasih",
    "trimakasih",
    "makasih",
    "thank you",
    "thanks",
    "semoga sukses",
    "sukses selalu",
    "sukses terus",
    "tetap semangat",
    "semangat",
    "mantap",
    "mantab",
    "pertahankan",
    "tidak ada saran",
    "tidak ada",
    "belum ada",
    "cukup baik",
    "sudah baik",
    "sudah bagus",
    "sudah cukup",
    "oke",
    "ok",
    "good",
    "semoga",
    "salam",
)

# Words that carry no theme; they also end a phrase ("antrean dan parkir" is two themes).
STOPWORDS = _wordlist(
    """
    yang dan di ke dari untuk dengan ini itu ada sudah agar supaya lebih sangat saya kami kita
    aku anda bapak ibu pak bu mohon tolong bisa dapat akan pada juga atau karena jadi harus
    terlalu masih sekali banget bgt amat begitu cukup agak paling makin semakin sering selalu
    lagi terus tetap saja aja hanya cuma pun lah kah sih dong deh nya ya yah nih tapi tetapi
    namun serta bila kalau jika kalo apabila ketika saat waktu sambil hingga sampai sehingga
    oleh bagi tentang seperti para sebuah suatu satu semua setiap tiap beberapa banyak sedikit
    mereka dia beliau nya kok kan tuh adalah ialah yaitu sebagai dalam luar atas bawah antara
    mungkin perlu ingin mau hendaknya sebaiknya seharusnya kedepan kedepannya ke depan nanti
    kemudian lalu baru telah pernah sedang segera maupun the and to of a in is it for please
    """
)

# Adverbs skipped inside a phrase: "antrean masih panjang" is the phrase "antrean panjang".
LINKING = _wordlist(
    "yang sangat terlalu sekali banget bgt amat begitu cukup agak paling makin semakin masih "
    "sudah lebih sering selalu juga lagi"
)

NEGATORS = frozenset({"tidak", "kurang", "belum", "jangan"})
# "tidak ramah" and "kurang ramah" are one complaint, in the words SKM reports use.
SOFTENED = {"tidak": "kurang"}

# Words too general to be a theme alone ("pelayanan" is in every answer); still part of
# phrases ("pelayanan cepat"). A phrase of two of them ("tingkatkan pelayanan") is no theme.
GENERIC = _wordlist(
    """
    pelayanan layanan pelayan tingkatkan ditingkatkan meningkatkan peningkatan baik bagus
    buruk oke semoga lebih kurang tidak belum jangan sudah kantor dinas unit petugasnya
    masyarakat warga sini terimakasih puas memuaskan tempat hal orang
    """
)

# Common spellings of the same word in citizens' writing (SMS style, dialect, affixes).
SPELLING = {
    "antri": "antrean",
    "antrian": "antrean",
    "ngantri": "antrean",
    "mengantri": "antrean",
    "antre": "antrean",
    "mengantre": "antrean",
    "gak": "tidak",
    "ga": "tidak",
    "gk": "tidak",
    "nggak": "tidak",
    "enggak": "tidak",
    "tdk": "tidak",
    "tak": "tidak",
    "krg": "kurang",
    "blm": "belum",
    "yg": "yang",
    "dgn": "dengan",
    "utk": "untuk",
    "sdh": "sudah",
    "udah": "sudah",
    "udh": "sudah",
    "bgt": "banget",
    "lmbt": "lambat",
    "parkiran": "parkir",
    "wc": "toilet",
    "lamban": "lambat",
    "jutek": "judes",
}

# Words that end in -nya without it being the suffix.
NYA_WORDS = frozenset({"bertanya", "ditanya", "tanya", "hanya", "punya", "karunia", "sanya"})

CLAUSE_BREAK = re.compile(r"[.,;:!?\n()\"/]+|\s-\s")
WORD = re.compile(r"[a-z]+")
BREAK = "|"


class Theme(NamedTuple):
    label: str  # a phrase ("antrean panjang") or a word ("parkir")
    mentions: int  # answers that mention it
    examples: list[str]  # up to `examples` distinct answers, as written


def normalised(text: str) -> str:
    """The form under which two answers are the same quote: case, accents, spacing and
    punctuation at the ends do not count."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(folded.split()).strip(" .,;:!?-\"'")


def _canonical(word: str) -> str:
    word = SPELLING.get(word, word)
    if word.endswith("nya") and len(word) >= 6 and word not in NYA_WORDS:
        word = SPELLING.get(word[:-3], word[:-3])
    return word


def _clauses(text: str) -> list[list[str]]:
    """The answer's clauses, each a list of canonical words, courtesy phrases removed."""
    marked = CLAUSE_BREAK.sub(f" {BREAK} ", normalised(text))
    words = [
        BREAK if chunk == BREAK else _canonical(word)
        for chunk in marked.split()
        for word in (WORD.findall(chunk) if chunk != BREAK else [BREAK])
    ]
    padded = f" {' '.join(words)} "
    for phrase in COURTESY:
        while f" {phrase} " in padded:
            padded = padded.replace(f" {phrase} ", f" {BREAK} ")
    return [clause.split() for clause in padded.split(BREAK) if clause.split()]


def _tokens(clause: list[str]) -> list[str | None]:
    """Content words of a clause (a negator joined to the word it negates); None where a stop
    word breaks the clause, so that no phrase spans it."""
    tokens: list[str | None] = []
    negator = ""
    for word in clause:
        if word in NEGATORS:
            negator = word
        elif word in LINKING:
            continue
        elif word in STOPWORDS or len(word) < 2:
            tokens += [negator, None] if negator else [None]  # "kursi kurang di ..."
            negator = ""
        else:
            tokens.append(f"{SOFTENED.get(negator, negator)} {word}" if negator else word)
            negator = ""
    if negator:
        tokens.append(negator)  # "kursi kurang": the negator stands after its noun
    return tokens


def _terms(text: str) -> tuple[set[str], set[str]]:
    """(phrases, words) of one answer."""
    phrases: set[str] = set()
    words: set[str] = set()
    for clause in _clauses(text):
        tokens = _tokens(clause)
        words.update(t for t in tokens if t)
        for first, second in pairwise(tokens):
            if first and second and first != second and not _both_generic(first, second):
                phrases.add(f"{first} {second}")
    return phrases, words


def _both_generic(first: str, second: str) -> bool:
    return first.split()[-1] in GENERIC and second.split()[-1] in GENERIC


def _is_theme_word(word: str) -> bool:
    return " " in word or (word not in GENERIC and word not in NEGATORS and len(word) >= 3)


def themes(
    texts: Iterable[str], top: int = 10, *, min_count: int = 2, examples: int = 3
) -> list[Theme]:
    """The `top` themes of the answers, most mentioned first (a phrase before a word when
    equal), each with up to `examples` quotes never shown twice on the list."""
    answers = [t.strip() for t in texts if t and t.strip()]
    terms = [_terms(text) for text in answers]
    keys = [normalised(text) for text in answers]
    frequent = {
        phrase: at
        for phrase, at in _where(p for p, _w in terms).items()
        if _distinct(at, keys) >= min_count
    }
    phrases = _chosen_phrases(frequent)
    words: dict[str, list[int]] = {}
    for i, (said, said_words) in enumerate(terms):
        covered = {w for p in said if p in frequent for w in _phrase_words(p)}
        for word in said_words - covered:
            if _is_theme_word(word):
                words.setdefault(word, []).append(i)
    ranked = sorted(
        [(len(at), 1, label, at) for label, at in phrases.items()]
        + [
            (len(at), 0, label, at)
            for label, at in words.items()
            if _distinct(at, keys) >= min_count
        ],
        key=lambda item: (-item[0], -item[1], item[2]),
    )[:top]
    shown: set[str] = set()
    return [
        Theme(label, n, _quotes([answers[i] for i in at], shown, examples))
        for n, _phrase, label, at in ranked
    ]


def _where(terms_of_answers: Iterable[set[str]]) -> dict[str, list[int]]:
    """Each term with the answers (their positions) that say it."""
    where: dict[str, list[int]] = {}
    for i, terms in enumerate(terms_of_answers):
        for term in terms:
            where.setdefault(term, []).append(i)
    return where


def _distinct(at: list[int], keys: list[str]) -> int:
    """How many different answers (normalised) are at these positions: one person's answer
    sent five times is not a theme."""
    return len({keys[i] for i in at})


def _chosen_phrases(frequent: dict[str, list[int]]) -> dict[str, list[int]]:
    """The frequent phrases, except one that only continues a more frequent phrase in the
    same answers ("ruang tunggu" + "tunggu panas" is one theme)."""
    chosen: dict[str, list[int]] = {}
    for phrase, at in sorted(frequent.items(), key=lambda item: (-len(item[1]), item[0])):
        tokens = _phrase_words(phrase)
        if not any(
            tokens & _phrase_words(other) and set(at) <= set(other_at)
            for other, other_at in chosen.items()
        ):
            chosen[phrase] = at
    return chosen


def _phrase_words(phrase: str) -> set[str]:
    """The tokens of a phrase: "petugas tidak ramah" is "petugas" and "tidak ramah"."""
    words = phrase.split()
    tokens, i = set(), 0
    while i < len(words):
        if words[i] in NEGATORS and i + 1 < len(words):
            tokens.add(f"{words[i]} {words[i + 1]}")
            i += 2
        else:
            tokens.add(words[i])
            i += 1
    return tokens


def _quotes(texts: list[str], shown: set[str], limit: int) -> list[str]:
    """Up to `limit` answers not yet quoted (by their normalised text)."""
    quotes: list[str] = []
    for text in texts:
        key = normalised(text)
        if key not in shown and len(quotes) < limit:
            shown.add(key)
            quotes.append(text)
    return quotes


def distinct(texts: Iterable[str]) -> list[str]:
    """The answers without repeats (normalised text), first occurrence kept, empty ones out."""
    seen: set[str] = set()
    out = []
    for text in texts:
        key = normalised(text or "")
        if key and key not in seen:
            seen.add(key)
            out.append(text.strip())
    return out
