"""Name units: where a candidate name starts and ends, with its parenthesized aliases.

A unit is what a cue points at: a run of name words (`델 테크놀로지스`), a quoted
name (`‘아이소톱’`), either possibly followed by aliases in parentheses
(`(Smart Global Holdings·SGH)`), and then the particle that closes it. Units are
read forwards (after a descriptor: `기업 슈퍼마이크로와`) or backwards (before a
particle: `… 노키아와 함께`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from pipeline.company_text import CLOSE_QUOTES, OPEN_QUOTES, has_hangul, has_latin, is_particles
from pipeline.company_words import Piece, Words

Span = tuple[int, int]
_ALIAS_SPLIT = "·,/;、"
_MAX_NAME_WORDS = 4
_MAX_QUOTE_PIECES = 14


@dataclass
class Unit:
    """A candidate name with its aliases and the particle after it."""

    main: Span
    aliases: list[Span] = field(default_factory=list)
    first: int = 0          # index of the first piece of the name (after any open quote)
    last: int = 0           # index of the last piece of the unit (particle word, `)` or quote)
    particle: str = ""
    quoted: bool = False

    @property
    def spans(self) -> list[Span]:
        return [self.main, *self.aliases]


class UnitReader:
    """Reads units over the pieces of one text, with the word lists that bound names."""

    def __init__(self, words: Words, continuation: set[str], stop: set[str],
                 person: Callable[[Piece], bool] | None = None,
                 places: set[str] | None = None, endings: tuple[str, ...] = ()):
        self.words = words
        self.places = places or set()
        self.endings = endings
        self.person = person or (lambda _piece: False)
        self.pieces = words.pieces
        self.text = words.text
        self.continuation = continuation   # words that extend a name (홀딩스, 그룹, …)
        self.stop = stop                   # words that never belong to a name (대표, AI, …)

    # --- word tests -------------------------------------------------------------------
    def extend_left(self, unit: Unit, count: int, any_noun: bool = False) -> Unit:
        """Grow a unit's main name left by up to `count` name words (`델` + `테크놀로지스`);
        with `any_noun`, common-noun readings too (`로얄` in `로얄 드 허스`), for a caller
        that checks the result against a foreign spelling."""
        i = unit.first
        while count > 0 and i > 0:
            cur, prev = self.pieces[i], self.pieces[i - 1]
            # (with `any_noun`, a word Kiwi split as name + particle too: `안살도 뉴클리어`)
            if (not cur.space_before or not prev.is_word or (prev.particle and not any_noun)
                    or prev.sent != cur.sent):
                break
            if not self.namey(prev) and not (any_noun and prev.stem and not prev.verbal
                                             and prev.stem not in self.stop
                                             and not (self.endings
                                                      and prev.stem.endswith(self.endings))):
                break  # (a descriptor is no part of the name: `채굴업체 코어사이언티픽(…)`)
            i -= 1
            count -= 1
        if i != unit.first:
            unit.main = (self.pieces[i].start, unit.main[1])
            unit.first = i
        return unit

    def namey(self, piece: Piece) -> bool:
        """A stem that can be (part of) a name: proper, unknown or foreign, not a stop word."""
        stem = piece.stem
        if not piece.is_word or not stem or stem in self.stop:
            return False
        if stem.isdigit() or (self.endings and stem.endswith(self.endings)):
            return False
        if piece.latin:
            return True
        return piece.proper and not piece.verbal

    def continues(self, piece: Piece) -> bool:
        if not piece.is_word or piece.stem in self.places:
            return False
        return piece.stem in self.continuation or self.namey(piece)

    def _piece(self, i: int) -> Piece | None:
        return self.pieces[i] if 0 <= i < len(self.pieces) else None

    # --- parentheses and quotes ---------------------------------------------------------
    def _close_paren(self, i: int) -> int | None:
        for j in range(i + 1, min(len(self.pieces), i + 30)):
            t = self.pieces[j].text
            if t == ")":
                return j
            if t == "(" or self.pieces[j].sent != self.pieces[i].sent:
                return None
        return None

    def _close_quote(self, i: int) -> int | None:
        for j in range(i + 1, min(len(self.pieces), i + _MAX_QUOTE_PIECES)):
            p = self.pieces[j]
            if p.sent != self.pieces[i].sent:
                return None
            if p.text in CLOSE_QUOTES and j > i + 1:
                return j
        return None

    def _open_quote(self, j: int) -> int | None:
        for i in range(j - 1, max(-1, j - _MAX_QUOTE_PIECES), -1):
            p = self.pieces[i]
            if p.sent != self.pieces[j].sent:
                return None
            if p.text in OPEN_QUOTES and i < j - 1:
                return i
        return None

    def paren_aliases(self, open_i: int, close_i: int) -> list[Span]:
        """Alias spans inside `( … )`: names split by `·` or `,`; descriptions are skipped."""
        parts: list[list[Piece]] = [[]]
        for p in self.pieces[open_i + 1:close_i]:
            if p.text in _ALIAS_SPLIT:
                parts.append([])
            else:
                parts[-1].append(p)
        spans: list[Span] = []
        for part in parts:
            if not part or len([p for p in part if p.is_word]) > 5:
                continue
            start, end = part[0].start, part[-1].end
            text = self.text[start:end]
            if not self._alias_like(part, text):
                continue
            spans.append((start, end))
        return spans

    def _alias_like(self, part: list[Piece], text: str) -> bool:
        if text in self.stop or re.fullmatch(r"[\d\s.,%~-]+", text):
            return False
        if re.match(r"약|최대|최소|총|\d", text):
            return False
        if has_latin(text) and not has_hangul(text):
            return True
        words = [p for p in part if p.is_word]
        return all(self.namey(p) or p.stem in self.continuation for p in words)

    # --- forward ------------------------------------------------------------------------
    def forward(self, i: int, lenient: bool = False) -> Unit | None:
        """The unit that starts at piece `i` (an open quote or the first name word).

        A place word before the name is skipped (`영국 RES그룹`); with `lenient` the first
        word may also be an unknown word Kiwi cut into pieces (`전기아이피`).
        """
        p = self._piece(i)
        if p is None:
            return None
        nxt = self._piece(i + 1)
        if (p.is_word and p.stem in self.places and not p.particle and nxt is not None
                and nxt.space_before and nxt.sent == p.sent
                and not (nxt.stem in self.continuation and not nxt.latin)):
            # (`보스턴 다이내믹스`: a place before a bare company word is the name itself)
            return self.forward(i + 1, lenient)
        if p.text in OPEN_QUOTES:
            close = self._close_quote(i)
            if close is None:
                return None
            return self._finish_quoted(i + 1, close)
        if not self.namey(p) and not (lenient and (p.fragmented or p.compound)
                                      and not p.verbal and p.stem not in self.stop) \
                and not (lenient and self.spelled_after(i)):
            return None
        j = i
        while (j - i + 1 < _MAX_NAME_WORDS and not self.pieces[j].particle
               and (n := self._piece(j + 1)) is not None and n.space_before
               and n.sent == p.sent and self.continues(n) and not self._descriptorish(n)):
            j += 1
        j = self._through_suffix(j)
        return self._finish_words(i, j)

    def spelled_after(self, i: int) -> bool:
        """`다슬(DARCL)의`: a bare Hangul word with a Latin spelling glued after it in brackets
        is a name, however Kiwi reads the word (here as adverbs)."""
        p, paren, inner = self._piece(i), self._piece(i + 1), self._piece(i + 2)
        return (p is not None and p.is_word and not p.particle and not p.latin
                and p.stem not in self.stop
                and paren is not None and paren.text == "(" and not paren.space_before
                and inner is not None and inner.latin and inner.text[:1].isupper()
                and inner.text not in self.stop)

    def _through_suffix(self, j: int) -> int:
        """`빅머신 레이블 그룹`: common words up to a company word still belong to the name."""
        for extra in (1, 2):
            run = self.pieces[j + 1:j + 1 + extra]
            if len(run) < extra or self.pieces[j].particle:
                return j
            if not all(q.is_word and q.space_before and q.sent == self.pieces[j].sent
                       and q.stem not in self.stop and q.stem not in self.places for q in run):
                return j
            if any(q.particle for q in run[:-1]):
                return j
            if run[-1].stem in self.continuation and not run[-1].latin:
                return j + extra
        return j

    def _descriptorish(self, piece: Piece) -> bool:
        return piece.stem in self.stop

    def single(self, i: int) -> Unit:
        """The unit of piece `i` alone, whatever Kiwi reads it as (the caller has a reason)."""
        return self._finish_words(i, i)

    def _finish_words(self, i: int, j: int) -> Unit:
        last = self.pieces[j]
        unit = Unit((self.pieces[i].start, last.stem_end), first=i, last=j,
                    particle=last.particle)
        if not last.particle:
            self._attach_paren(unit, j)
        return unit

    def _finish_quoted(self, first: int, close: int) -> Unit | None:
        inner = self.pieces[first:close]
        if not any(p.is_word for p in inner):
            return None
        words = [p for p in inner if p.is_word]
        if len(words) > 2 * _MAX_NAME_WORDS or any(p.particle for p in words[:-1]):
            return None  # `“수소는 … 바꿀 수 있는 에너지”`: a quoted sentence, not a name
        end_i = close - 1
        unit = Unit((inner[0].start, inner[-1].end), first=first, last=close, quoted=True)
        # `‘아마존 베드록(Amazon Bedrock)’`: a parenthesis at the end of the quote.
        if inner[-1].text == ")":
            open_i = next((k for k in range(end_i, first - 1, -1)
                           if self.pieces[k].text == "("), None)
            if open_i is not None and open_i > first:
                unit.main = (self.pieces[first].start, self.pieces[open_i - 1].end)
                unit.aliases = self.paren_aliases(open_i, end_i)
        self._attach_paren(unit, close)
        nxt = self._piece(unit.last + 1)
        if nxt is not None and nxt.is_word and not nxt.space_before and is_particles(nxt.text):
            unit.particle = nxt.text
            unit.last += 1
        return unit

    def _attach_paren(self, unit: Unit, j: int) -> None:
        """Aliases in a parenthesis glued after piece `j`, and the particle after it."""
        nxt = self._piece(j + 1)
        if nxt is None or nxt.text != "(" or nxt.space_before:
            return
        close = self._close_paren(j + 1)
        if close is None:
            return
        unit.aliases = self.paren_aliases(j + 1, close)
        unit.last = close
        after = self._piece(close + 1)
        if after is not None and after.text in CLOSE_QUOTES and not after.space_before:
            unit.last = close + 1
            after = self._piece(close + 2)
        if after is not None and after.is_word and not after.space_before and is_particles(
                after.text):
            unit.particle = after.text
            unit.last = after.index

    # --- backward -----------------------------------------------------------------------
    def backward(self, k: int, lenient: bool = False) -> Unit | None:
        """The unit that ends at piece `k` (a word with a particle, or a bare particle)."""
        p = self._piece(k)
        if p is None or not p.is_word:
            return None
        if p.stem:
            return self._backward_words(k, k, p.particle, lenient=lenient)
        if not is_particles(p.text) or p.space_before:
            return None
        prev = self._piece(k - 1)
        if prev is None:
            return None
        unit: Unit | None = None
        if prev.text == ")":
            open_i = next((i for i in range(k - 2, max(-1, k - 30), -1)
                           if self.pieces[i].text == "("), None)
            if open_i is None or open_i == 0 or self.pieces[open_i].space_before:
                return None
            before = self.pieces[open_i - 1]
            if before.text in CLOSE_QUOTES:
                start_q = self._open_quote(open_i - 1)
                if start_q is None:
                    return None
                unit = Unit((self.pieces[start_q + 1].start, before.start),
                            first=start_q + 1, quoted=True)
            elif before.is_word and not before.particle:
                unit = self._backward_words(open_i - 1, open_i - 1, "", lenient=lenient)
                if unit is None:
                    return None
            else:
                return None
            unit.aliases = self.paren_aliases(open_i, k - 1)
        elif prev.text in CLOSE_QUOTES:
            start_q = self._open_quote(k - 1)
            if start_q is None:
                return None
            inner_last = k - 2
            unit = Unit((self.pieces[start_q + 1].start, self.pieces[inner_last].end),
                        first=start_q + 1, quoted=True)
            if self.pieces[inner_last].text == ")":
                open_i = next((i for i in range(inner_last, start_q, -1)
                               if self.pieces[i].text == "("), None)
                if open_i is not None and open_i > start_q + 1:
                    unit.main = (self.pieces[start_q + 1].start, self.pieces[open_i - 1].end)
                    unit.aliases = self.paren_aliases(open_i, inner_last)
        else:
            return None
        unit.last = k
        unit.particle = p.text
        return unit

    def _backward_words(self, j: int, k: int, particle: str, extend: bool = True,
                        lenient: bool = False) -> Unit | None:
        """Name words ending at piece `j`; extends left over name words (`젠지 이스포츠`)."""
        p = self.pieces[j]
        if not self.namey(p) and p.stem not in self.continuation and not (
                lenient and p.stem and not p.verbal and p.stem not in self.stop):
            return None
        i = j
        while extend and j - i + 1 < _MAX_NAME_WORDS:
            cur, prev = self.pieces[i], self._piece(i - 1)
            if (prev is None or not cur.space_before or prev.sent != cur.sent
                    or prev.particle or not prev.is_word or self.person(prev)
                    or prev.stem in self.places):
                break
            right_ok = cur.stem in self.continuation or cur.oov or cur.latin
            left_ok = self.namey(prev) and (prev.oov or prev.latin or cur.stem in
                                            self.continuation)
            if not (right_ok and left_ok):
                break
            i -= 1
        if not self.namey(self.pieces[i]) and not (lenient and i == j):
            return None
        return Unit((self.pieces[i].start, p.stem_end), first=i, last=k, particle=particle)
