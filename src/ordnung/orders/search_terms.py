"""How an order is found: the folded search key of an order and the terms of a query.

Pure Python. Both sides go through the same folding, so what an agent types meets what was
stored however either was spelt: case is ignored (`casefold`), accents and other scripts are
spelt in ASCII (`anyascii`: Ł → l, é → e), and German umlauts are stored in both spellings a
German keyboard-less agent would use (`Börner` is stored as `borner boerner`), so `boerner`,
`borner` and `Börner` all find it. Phone numbers are stored as digits in their international
and national form, so `+49 170 1234567`, `0170/1234567` and `1234567` meet.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from anyascii import anyascii

# German transliteration: the spelling used where umlauts cannot be typed.
_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ẞ": "ss"})
_SPACE = re.compile(r"\s+")
_NOT_DIGIT = re.compile(r"\D")
# What a person types as a phone number: digits with the usual separators, at least six.
_PHONE_LIKE = re.compile(r"^\+?[\d\s()/.\-]+$")
_MIN_PHONE_DIGITS = 6
# Longer terms are cut: nothing stored is longer, and the index work grows with the term.
MAX_TERMS = 8
MAX_TERM_LENGTH = 64


def fold(text: str) -> str:
    """Lower-case ASCII spelling, umlauts as plain vowels (`Börner` → `borner`)."""
    return anyascii(unicodedata.normalize("NFKC", text).casefold()).lower()


@lru_cache(maxsize=4096)  # names repeat a lot; intake folds every name of every order
def spellings(word: str) -> frozenset[str]:
    """The folded spellings of one word: one, or two when it has German umlauts or ß."""
    folded = fold(word)
    german = fold(word.casefold().translate(_GERMAN))
    return frozenset((folded, german))


def phone_forms(phone: str, country: str = "DE") -> set[str]:
    """The digits of a phone number in international (`491701234567`) and national
    (`01701234567`) form, as far as they can be told apart; at least its digits.

    Full parsing (`phonenumbers.parse`) costs a quarter of a millisecond, too much for every
    address on the intake hot path; the country calling codes from its metadata and the
    trunk prefix `0` (Germany and most of Europe) give both forms in microseconds."""
    digits = _NOT_DIGIT.sub("", phone)
    if not digits:
        return set()
    stripped = phone.lstrip()
    if stripped.startswith("+") or digits.startswith("00"):
        international = digits.removeprefix("00") if not stripped.startswith("+") else digits
        calling_code = _calling_code(international)
        if calling_code is None:
            return {digits, international}
        return {digits, international, "0" + international[len(calling_code) :]}
    if digits.startswith("0") and not digits.startswith("00"):
        code = phonenumbers.country_code_for_region(country.upper() or "DE")
        if code:
            return {digits, f"{code}{digits[1:]}"}
    return {digits}


def _calling_code(international: str) -> str | None:
    """The country calling code an international number begins with (1 to 3 digits)."""
    for length in (1, 2, 3):
        prefix = international[:length]
        if int(prefix or "0") in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            return prefix
    return None


@dataclass(frozen=True, slots=True)
class SearchableOrder:
    """What an order is found by (number, external id, names, e-mail, phones, SKUs, tags,
    tracking numbers), as the search key is built from it."""

    number: str
    external_id: str
    names: tuple[str, ...]
    email: str
    phones: tuple[tuple[str, str], ...]  # (number, country)
    skus: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    tracking_numbers: tuple[str, ...] = ()


def search_key(order: SearchableOrder) -> str:
    """The folded words an order is found by, each once, separated by spaces."""
    words: list[str] = []
    for value in (order.number, order.external_id, order.email, *order.skus, *order.tags):
        words.extend(_SPACE.split(fold(value)))
    words.extend(search_words(" ".join(order.tracking_numbers)))
    for name in order.names:
        for word in _SPACE.split(name.strip()):
            words.extend(sorted(spellings(word)))
    for phone, country in order.phones:
        words.extend(sorted(phone_forms(phone, country)))
    return " ".join(dict.fromkeys(word for word in words if word))


def search_words(text: str) -> list[str]:
    """The folded words of a value as the key stores them (tracking numbers: several
    carriers print them in groups with spaces)."""
    return _SPACE.split(fold(text))


@dataclass(frozen=True, slots=True)
class SearchTerm:
    """One term of a query: the order matches if its key contains any of the spellings."""

    spellings: tuple[str, ...]

    @property
    def is_short(self) -> bool:
        """Shorter than a trigram: the trigram indexes cannot narrow it down."""
        return min(len(spelling) for spelling in self.spellings) < 3


def query_terms(query: str) -> list[SearchTerm]:
    """The terms of what an agent typed; every term must match (AND). A phone number
    typed with spaces or slashes is one term of its digits. `%` and `_` are plain text."""
    query = query.strip()
    if not query:
        return []
    digits = _NOT_DIGIT.sub("", query)
    is_phone = _PHONE_LIKE.match(query) and not query.isdigit()
    if is_phone and len(digits) >= _MIN_PHONE_DIGITS:
        return [SearchTerm(tuple(sorted(_typed_phone(query))))]
    terms: list[SearchTerm] = []
    for word in _SPACE.split(query)[:MAX_TERMS]:
        found = tuple(sorted(s[:MAX_TERM_LENGTH] for s in spellings(word) if s))
        if found:
            terms.append(SearchTerm(found))
    return terms


def _typed_phone(query: str) -> set[str]:
    if query.startswith(("+", "00")):
        # Typed internationally: its national form finds numbers stored either way.
        return phone_forms(query) - {_NOT_DIGIT.sub("", query)}
    return {_NOT_DIGIT.sub("", query)}
