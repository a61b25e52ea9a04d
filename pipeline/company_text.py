"""Character-level facts about company names in Korean text.

Korean writes particles straight onto a name (`삼성전자는`, `KT와의`), so a name
ends where a run of particles ends, never inside a longer word (`KTX`,
`메타버스`). These helpers answer "is this a word edge?" and "is this a particle
tail?" for the dictionary matcher and the discovery cues alike, and compare
aliases the way ANNOTATION §5 does (no spaces, no legal-form markers, no case).
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Particles and copula endings that may follow a name inside one eojeol.
PARTICLES: tuple[str, ...] = (
    "으로부터", "로부터", "에서부터", "에게서", "이라는", "이라고", "이었다", "이었던", "이지만",
    "에서는", "에서도", "에서의", "으로는", "으로도", "으로서", "으로써", "에게는", "에게도",
    "께서는", "까지는", "까지도", "부터는", "보다는", "처럼", "만큼", "에서", "에게", "께서",
    "으로", "로서", "로써", "로는", "로도", "와의", "과의", "와는", "과는", "와도", "과도",
    "에는", "에도", "에선", "에의", "이나", "이든", "이라", "이란", "이며", "이고", "이다",
    "이자", "였다", "였던", "였고", "라는", "라고", "까지", "부터", "보다", "마저", "조차",
    "하고", "이랑", "한테", "지만", "이여", "만이", "만을", "만의", "도", "은", "는", "이",
    "가", "을", "를", "의", "와", "과", "에", "로", "만", "뿐", "나", "든", "라", "란", "며",
    "고", "다", "인", "엔", "랑", "께", "측", "서",
)
_PARTICLE_ALT = "|".join(sorted(PARTICLES, key=len, reverse=True))
_FULL_PARTICLES_RE = re.compile(rf"(?:{_PARTICLE_ALT})+")

# Legal-form markers that are written onto a name and belong to its span.
LEGAL_PREFIXES: tuple[str, ...] = ("(주)", "㈜", "(株)", "주식회사 ")
LEGAL_SUFFIXES: tuple[str, ...] = (
    "(주)", "㈜", " Co., Ltd.", " Co.,Ltd.", " Co., Ltd", " Inc.", " Inc", " Corp.", " Corp",
    " Ltd.", " Ltd", " LLC", " PLC", " GmbH", " N.V.", " S.A.", " AG",
)
_ATTACHED_LEGAL_PREFIXES = ("(주)", "㈜", "(株)")
_ATTACHED_LEGAL_SUFFIXES = ("(주)", "㈜")

OPEN_QUOTES = "‘“'\"「『《〈<"
CLOSE_QUOTES = "’”'\"」』》〉>"
QUOTES = set(OPEN_QUOTES) | set(CLOSE_QUOTES)


def is_hangul(ch: str) -> bool:
    return "가" <= ch <= "힣" or "\u1100" <= ch <= "\u11ff" or "\u3130" <= ch <= "\u318f"


def is_latin(ch: str) -> bool:
    return ("a" <= ch <= "z") or ("A" <= ch <= "Z") or ("\u00c0" <= ch <= "\u024f"
                                                        and ch not in "×÷")


def is_word_char(ch: str) -> bool:
    """Hangul, Latin letters and digits: characters that glue two names into one word."""
    return is_hangul(ch) or is_latin(ch) or ch.isdigit() or ch in "&+"


# the characters `is_latin` and `is_hangul` accept, for one regex scan instead of a loop
_LATIN_RE = re.compile("[a-zA-Z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]")
_HANGUL_RE = re.compile("[가-힣\u1100-\u11ff\u3130-\u318f]")


def has_latin(text: str) -> bool:
    return _LATIN_RE.search(text) is not None


def has_hangul(text: str) -> bool:
    return _HANGUL_RE.search(text) is not None


def particle_tail_end(text: str, pos: int) -> int | None:
    """End of the particle run starting at `pos` if it closes the word, else None.

    `삼성전자는 ...` → the offset after `는`; `메타버스` (at `버`) → None.
    """
    best = None
    for cut in range(pos, min(len(text), pos + 8) + 1):
        if cut > pos and not _FULL_PARTICLES_RE.fullmatch(text, pos, cut):
            if cut < len(text) and not is_hangul(text[cut - 1]):
                break
            continue
        if cut >= len(text) or not is_hangul(text[cut]):
            best = cut
            break
    return best


def is_particles(text: str) -> bool:
    """True when `text` is one or more particles (`와`, `에서는`, `와의`)."""
    return bool(text) and _FULL_PARTICLES_RE.fullmatch(text) is not None


def right_edge_ok(text: str, end: int) -> bool:
    """A name ending at `end` is a whole word: then come particles, space or punctuation."""
    if end >= len(text):
        return True
    ch = text[end]
    if is_latin(ch) or ch.isdigit():
        return False
    if ch in "&+":
        return False
    if is_hangul(ch):
        return particle_tail_end(text, end) is not None
    return True


def left_edge_ok(text: str, start: int) -> bool:
    """A name starting at `start` does not continue a longer word (`BSK`, `신KT`)."""
    if start == 0:
        return True
    ch = text[start - 1]
    if ch in "-–—" and (start == 1 or text[start - 2] in " \n\t"):
        return True  # `-엔씨와는 어떻게 …`: an interview question's dash, not `A-B`
    return not (is_word_char(ch) or ch in "-_.@")


def extend_legal_form(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow a name span over legal-form markers written onto it (`(주)카카오`, `삼성전자㈜`)."""
    for marker in _ATTACHED_LEGAL_PREFIXES:
        if text.startswith(marker, max(0, start - len(marker))) and start >= len(marker):
            start -= len(marker)
            break
    for marker in _ATTACHED_LEGAL_SUFFIXES:
        if text.startswith(marker, end):
            end += len(marker)
            break
    return start, end


_LEGAL_RE = re.compile(
    r"\(주\)|㈜|\(株\)|주식회사|,?\s*(?:co\.?,?\s*ltd\.?|inc\.?|corp\.?|ltd\.?|llc|plc|gmbh)$",
    re.IGNORECASE,
)


_ALIAS_GAPS = re.compile(r"[\s·'’‘\"“”]")


@functools.lru_cache(maxsize=1 << 16)
def norm_alias(name: str) -> str:
    """Alias key per ANNOTATION §5: no spaces, no legal-form markers, case-folded, NFKC.

    Cached: every dictionary build keys all of its thousands of names again."""
    text = unicodedata.normalize("NFKC", name)
    text = _LEGAL_RE.sub("", text)
    text = _ALIAS_GAPS.sub("", text)
    return text.casefold()


def hangul_syllables(text: str) -> int:
    return sum(1 for c in text if "가" <= c <= "힣")


_INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"


def initial_consonant(ch: str) -> str | None:
    """The initial jamo of a Hangul syllable (`베` → `ㅂ`)."""
    if not "가" <= ch <= "힣":
        return None
    return _INITIALS[(ord(ch) - 0xAC00) // 588]


# Latin first letters and the Hangul initials a Korean transliteration starts with.
_TRANSLIT: dict[str, str] = {
    "a": "ㅇ", "e": "ㅇㅈ", "i": "ㅇ", "o": "ㅇ", "u": "ㅇㅍ", "y": "ㅇ", "w": "ㅇㄷ",
    "b": "ㅂㅃ", "c": "ㅋㅅㅊㅆ", "d": "ㄷㄸ", "f": "ㅍㅎ", "g": "ㄱㅈㄲ", "h": "ㅎㅇ",
    "j": "ㅈㅎㅇ", "k": "ㅋㄱㄲ", "l": "ㄹㅇ", "m": "ㅁ", "n": "ㄴ", "p": "ㅍㅃ", "q": "ㅋ",
    "r": "ㄹ", "s": "ㅅㅆㅊㅈㅇ", "t": "ㅌㄸㅊ", "v": "ㅂ", "x": "ㅇㅈㅅ", "z": "ㅈ",
}


def looks_transliterated(hangul: str, latin: str) -> bool:
    """Cheap check that a Hangul name could be a reading of a Latin one.

    `베톨로지`/`Vetology` yes; `인공지능`/`AI` and `그래픽처리장치`/`GPU` no (an
    all-capital acronym is not read letter by letter into the Hangul here).
    """
    first = next((c for c in hangul if "가" <= c <= "힣"), None)
    words = latin.split()
    if len(words) > 1 and words[0].rstrip(".").isupper() and len(words[0].rstrip(".")) <= 3:
        latin = " ".join(words[1:])  # a legal form in front: `PT Super Bank`
    letters = [c for c in latin if is_latin(c)]
    if first is None or not letters:
        return False
    word = "".join(letters)
    if word.isupper() and len(word) <= 5:
        return False
    initial = initial_consonant(first)
    return initial is not None and initial in _TRANSLIT.get(letters[0].lower(), "")
