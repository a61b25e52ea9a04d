"""Deal assembly: from a Doc with mentions to one record per deal (ANNOTATION.md §4).

Per sentence: trigger rules find where a deal is stated (on Kiwi morphemes, so
every conjugation matches); the status comes from the endings after the
trigger; the company and partners come from the particles after company
mentions (`는` subject, `와` partner, `에` investee, `을` acquired …), a dropped
subject from the company the text is about; date, amount and duration from
the mentions around the trigger. A trigger whose partner is missing (`5년간
2조원을 투자하기로 했다` after a partnership) lends its amount and duration to
the deal of its sentence. Statements about one deal are then merged
(`pipeline.deal_merge`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc

from pipeline.deal_attrs import (
    amount_in_window,
    date_in_sentence,
    duration_in_window,
    followup_values,
    inherited_date,
)
from pipeline.deal_merge import Deal, Statement, merge_statements
from pipeline.deal_rules import DealRuleSet, TriggerRule, load_rule_set
from pipeline.deal_sentences import (
    NOUN_TAGS,
    Group,
    Sentence,
    attach_mentions,
    build_groups,
    split_sentences,
)
from pipeline.deal_status import tense_status
from pipeline.problems import RuleProblem

__all__ = ["Deal", "DealRules", "load_deal_rules"]

TOPIC_PARTICLES = ("은", "는", "ᆫ")


@dataclass
class TriggerMatch:
    rule: TriggerRule
    first: int      # first unit of the match
    stop: int       # unit after the match (the predicate's endings start here)

    @property
    def head(self) -> int:
        return self.stop - 1


@dataclass
class _Context:
    """What the text is about so far: running topics, the main company, past statements."""

    sentences: list[Sentence]
    main: str | None
    topics: list[str] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    order: int = 0
    persons: dict[str, str] = field(default_factory=dict)   # name or surname → entity
    target: str | None = None     # the company last named as being sold or acquired
    funding_round: bool = False   # the article reports a funding round


@dataclass
class _Sides:
    company: list[str]
    partners: list[str]
    from_context: bool


class DealRules:
    """The compiled deal rules; `assemble(doc)` gives the doc's deals."""

    def __init__(self, rules: DealRuleSet):
        self.rules = rules
        words = rules.words
        self._titles = frozenset(words.get("title", []))
        self._refers = frozenset(words.get("subject_refers", []))
        self._pair_counters = frozenset(words.get("pair_counter", []))
        self._pair_nouns = frozenset(words.get("pair_noun", []))
        self._round_nouns = frozenset(words.get("round_noun", []))
        self._continuation = frozenset(words.get("continuation", []))
        self._no_inherit = frozenset(words.get("earlier_time", []))

    # --- triggers -----------------------------------------------------------------

    def find_triggers(self, sent: Sentence) -> list[TriggerMatch]:
        """Trigger matches of a sentence; overlapping ones keep the higher priority/longer."""
        found: list[TriggerMatch] = []
        for rule in self.rules.triggers:
            if (rule.where == "body" and sent.headline) or \
                    (rule.where == "headline" and not sent.headline):
                continue
            for pattern in rule.patterns:
                for match in pattern.compiled.finditer(sent.code):
                    if match.end() == match.start():
                        continue
                    first = sent.unit_of_offset(match.start())
                    stop = sent.unit_of_offset(match.end() - 1) + 1
                    found.append(TriggerMatch(rule, first, stop))
        found.sort(key=lambda m: (-m.rule.priority, -(m.stop - m.first), m.first))
        kept: list[TriggerMatch] = []
        for match in found:
            if all(match.stop <= k.first or match.first >= k.stop for k in kept):
                kept.append(match)
        return sorted(kept, key=lambda m: m.stop)

    # --- roles --------------------------------------------------------------------

    def role_of(self, sent: Sentence, at: int) -> tuple[str, str | None]:
        if at < len(sent.units):
            for rule in self.rules.roles:
                if rule.pattern.compiled.match(sent.code, sent.offsets[at]):
                    return rule.value, rule.id
        return "NONE", None

    @staticmethod
    def _explicit_subject(sent: Sentence, head: int, exclude: list[int]) -> Group | None:
        before = [g for g in sent.groups if g.first < head and id(g) not in exclude]
        topics = [g for g in before if g.role == "TOPIC"]
        if topics:
            return topics[0]
        subjects = [g for g in before if g.role == "SUBJ"]
        return subjects[-1] if subjects else None

    def _topic_nouns(self, sent: Sentence, head: int) -> list[int]:
        """Units of non-company nouns marked as topic (`은/는`) before the trigger."""
        covered: set[int] = set()
        for mention in [*sent.dates, *(m for g in sent.groups for m in g.mentions)]:
            covered.update(range(mention.first, mention.stop))
        out = []
        for i in range(1, min(head, len(sent.units))):
            if sent.tag(i) == "JX" and sent.form(i) in TOPIC_PARTICLES \
                    and sent.tag(i - 1) in NOUN_TAGS and i - 1 not in covered:
                out.append(i - 1)
        return out

    def _pair_subject(self, sent: Sentence, head: int) -> bool:
        """`양사는`, `두 회사는`: the subject is the pair of the deal just stated."""
        for i in self._topic_nouns(sent, head):
            noun = sent.form(i)
            if noun in ("양사", "양측") or (noun in self._pair_nouns
                                           and sent.form(i - 1) in self._pair_counters):
                return True
        return False

    def _subject_blocked(self, sent: Sentence, head: int) -> bool:
        """An explicit topic before the trigger that is not a company nor refers to one."""
        return any(sent.form(i) not in self._refers and sent.tag(i) != "NP"
                   for i in self._topic_nouns(sent, head))

    @staticmethod
    def _words_before(sent: Sentence, unit: int, count: int = 2) -> list[str]:
        """The whitespace-separated words just before a unit (nearest first)."""
        before = sent.text_between(sent.start, sent.units[unit].start).split()
        return [w.strip("‘’“”'\"(") for w in reversed(before[-count:])]

    def _speaker(self, sent: Sentence, head: int, ctx: _Context) -> str | None:
        """`올트먼 CEO는`: a person whose company an earlier `샘 올트먼 오픈AI CEO` named."""
        for i in self._topic_nouns(sent, head):
            if sent.form(i) not in self._titles:
                continue
            for word in self._words_before(sent, i):
                if word in ctx.persons:
                    return ctx.persons[word]
        return None

    def _learn_persons(self, sent: Sentence, ctx: _Context) -> None:
        """Remember `NAME COMPANY TITLE` (`유영상 SK텔레콤 대표`) for later `유 대표는`."""
        surnames: dict[str, set[str]] = {}
        for group in sent.groups:
            if not (group.role_rule or "").startswith("role.title") or not group.entities:
                continue
            words = self._words_before(sent, group.mentions[0].first, 1)
            if not words or not 2 <= len(words[0]) <= 5 or not words[0].isalpha():
                continue
            ctx.persons[words[0]] = group.entities[0]
            if len(words[0]) == 3 and "가" <= words[0][0] <= "힣":
                surnames.setdefault(words[0][0], set()).add(group.entities[0])
        for surname, entities in surnames.items():
            if len(entities) == 1 and ctx.persons.get(surname) in (None, *entities):
                ctx.persons[surname] = next(iter(entities))

    def _pick(self, sent: Sentence, roles: list[str], match: TriggerMatch, lo: int,
              exclude: list[int], ctx: _Context, exclude_ids: tuple[str, ...] = (),
              ) -> tuple[list[str], Group | None, bool]:
        """Entities for one side of a deal: (ids, the group used, taken from context)."""
        for role in roles:
            if role == "MAIN":
                continue  # resolved once both sides are known
            if role == "TARGET":
                if ctx.target is not None and ctx.target not in exclude_ids:
                    return [ctx.target], None, True
                continue
            if role == "SUBJECT":
                group = self._explicit_subject(sent, match.head, exclude)
                if group is not None:
                    return group.entities, group, False
                speaker = self._speaker(sent, match.head, ctx)
                if speaker is not None:
                    return [speaker], None, True
                if not self._subject_blocked(sent, match.head) and ctx.topics:
                    return [ctx.topics[-1]], None, True
                continue
            candidates = [g for g in sent.groups
                          if g.role == role and g.first < match.head and id(g) not in exclude]
            pool = [g for g in candidates if g.first >= lo] or candidates
            if pool:
                return pool[-1].entities, pool[-1], False
        return [], None, False

    def _target_named(self, sent: Sentence, lo: int, head: int) -> bool:
        """A non-company `…에` target in the clause (`AI 영역에 투자`), other than a round."""
        covered = {i for g in sent.groups for m in g.mentions for i in range(m.first, m.stop)}
        for i in range(max(lo, 1), head):
            if sent.tag(i) == "JKB" and sent.form(i) in ("에", "에게") and i - 1 not in covered \
                    and not {sent.form(i - 1), sent.form(i - 2)} & self._round_nouns:
                return True
        return False

    def _sides(self, sent: Sentence, match: TriggerMatch, lo: int, ctx: _Context) -> _Sides:
        rule = match.rule
        partner_first = "SUBJECT" not in rule.partners
        first_roles, second_roles = ((rule.partners, rule.company) if partner_first
                                     else (rule.company, rule.partners))
        first_ids, first_group, ctx1 = self._pick(sent, first_roles, match, lo, [], ctx)
        exclude = [id(first_group)] if first_group is not None else []
        second_ids, _, ctx2 = self._pick(sent, second_roles, match, lo, exclude, ctx,
                                         tuple(first_ids))
        if ctx2 and second_ids and second_ids[0] in first_ids:
            second_ids = [t for t in reversed(ctx.topics) if t not in first_ids][:1]
        partners, company = (first_ids, second_ids) if partner_first else \
            (second_ids, first_ids)
        partners = [p for p in dict.fromkeys(partners) if p not in company]
        sides = _Sides(list(dict.fromkeys(company)), partners, ctx1 or ctx2)
        self._complete(sent, match, lo, ctx, sides)
        return sides

    def _complete(self, sent: Sentence, match: TriggerMatch, lo: int, ctx: _Context,
                  sides: _Sides) -> None:
        """Fill a missing partner from the sentence's or the article's other clues."""
        rule = match.rule
        if sides.partners:
            return
        if not rule.asymmetric:
            pairs = [g for g in sent.groups if g.role in ("TOPIC", "SUBJ")
                     and g.first < match.head and len(g.entities) > 1]
            if pairs:  # `A와 B가 합병한다`
                ids = pairs[-1].entities
                sides.company, sides.partners, sides.from_context = ids[:1], ids[1:], False
                return
            if len(sides.company) > 1:
                sides.company, sides.partners = sides.company[:1], sides.company[1:]
                return
            if self._pair_subject(sent, match.head) and ctx.statements:
                last = ctx.statements[-1]
                sides.company, sides.partners = [last.company], list(last.partners)
                return
        if "MAIN" in rule.partners and ctx.funding_round and ctx.main \
                and ctx.main not in sides.company and sides.company and not sides.from_context \
                and not self._target_named(sent, lo, match.head):
            sides.partners = [ctx.main]

    # --- statements ---------------------------------------------------------------

    def _status(self, sent: Sentence, match: TriggerMatch) -> str | None:
        rule = match.rule
        if rule.status != "tense":
            decided, _ = tense_status(sent, match.stop, [
                r for r in self.rules.statuses if r.value == "NEGATED"])
            return None if decided == "NEGATED" else rule.status
        decided, _ = tense_status(sent, match.stop, self.rules.statuses)
        if decided == "NEGATED":
            return None
        status = decided or rule.default_status
        return rule.status_map.get(status, status)

    def _stake_percent(self, sent: Sentence, lo: int, head: int) -> float | None:
        """`지분 80%`: the stake named in the clause, if any (`지분 전량` is 100 %)."""
        whole = set(self.rules.words.get("whole_stake", []))
        for i in range(max(lo, head - 14), head + 1):
            if sent.form(i) != "지분":
                continue
            if sent.form(i + 1) in whole:
                return 100.0
            for j in range(i + 1, min(i + 5, len(sent.units) - 1)):
                if sent.tag(j) == "SN" and sent.form(j + 1) in ("%", "퍼센트", "프로"):
                    try:
                        return float(sent.form(j).replace(",", ""))
                    except ValueError:
                        return None
        return None

    def _type(self, sent: Sentence, match: TriggerMatch, lo: int) -> str:
        rule = match.rule
        if rule.minority is None and rule.majority is None:
            return rule.type
        percent = self._stake_percent(sent, lo, match.head)
        if percent is None:
            return rule.type
        chosen = rule.minority if percent < 50 else rule.majority
        return chosen or rule.type

    def _sentence(self, k: int, ctx: _Context) -> list[Statement]:
        sent = ctx.sentences[k]
        formed: list[tuple[TriggerMatch, list[Statement]]] = []
        dangling: list[tuple[TriggerMatch, dict | None, str | None]] = []
        lo = 0
        for match in self.find_triggers(sent):
            window = (lo, match.stop)
            lo = match.stop
            status = self._status(sent, match)
            if status is None or (status == "EXPLORED" and self._vetoed(sent, match)):
                continue
            amount = amount_in_window(sent, *window, self.rules.amount_skips)
            duration = duration_in_window(sent, *window)
            sides = self._sides(sent, match, window[0], ctx)
            if not sides.company or not sides.partners:
                dangling.append((match, amount, duration))
                continue
            date = date_in_sentence(sent, match.stop, self.rules.date_skips,
                                    self.rules.date_afters)
            stated = date is not None
            if date is None and not self._earlier_time(sent, match.head):
                continues = sides.from_context or sent.form(0) in self._continuation
                date = inherited_date(ctx.sentences, k, continues, self.rules.date_skips)
            deal_type = self._type(sent, match, window[0])
            asymmetric = deal_type in ("INVESTMENT", "ACQUISITION")
            companies = sides.company if asymmetric else sides.company[:1]
            extra = [] if asymmetric else sides.company[1:]
            made = []
            for investor in companies:
                ctx.order += 1
                made.append(Statement(
                    match.rule.id, deal_type, status, investor, [*extra, *sides.partners],
                    date, stated, amount, duration, (sent.start, sent.end), sent.text,
                    sent.headline, ctx.order, [match.rule.id]))
            formed.append((match, made))
        self._lend(formed, dangling)
        if not formed and dangling and ctx.statements and k > 0 \
                and self._pair_subject(sent, dangling[0][0].head) \
                and ctx.statements[-1].evidence[0] >= ctx.sentences[k - 1].start:
            # `두 회사는 5년간 2조4000억원을 함께 투자하기로 했다`: the pair's deal just stated
            last = ctx.statements[-1]
            self._lend([(dangling[0][0], [st for st in ctx.statements
                                          if st.evidence == last.evidence])], dangling)
        return [st for _, made in formed for st in made]

    def _vetoed(self, sent: Sentence, match: TriggerMatch) -> bool:
        """Talks at a meeting someone attended (`veto` rules) are no deal."""
        end = sent.offsets[match.first]
        return any(rule.pattern.compiled.search(sent.code, 0, end)
                   for rule in self.rules.vetoes)

    def _earlier_time(self, sent: Sentence, head: int) -> bool:
        """`앞서`, `과거`: the sentence is about an earlier time than the one before it."""
        return any(sent.form(i) in self._no_inherit for i in range(head))

    @staticmethod
    def _lend(formed: list[tuple[TriggerMatch, list[Statement]]],
              dangling: list[tuple[TriggerMatch, dict | None, str | None]]) -> None:
        """A partnerless trigger's amount/duration go to the nearest deal of its sentence."""
        if not formed:
            return
        for match, amount, duration in dangling:
            before = [f for f in formed if f[0].stop <= match.first]
            _, made = before[-1] if before else formed[0]
            for st in made:
                if amount is not None and st.amount is None:
                    st.amount = amount
                if duration is not None and st.duration is None:
                    st.duration = duration
                if match.rule.id not in st.rules:
                    st.rules.append(match.rule.id)

    def _followup(self, k: int, ctx: _Context) -> None:
        """`인수 금액은 15억유로다` right after a deal: that deal's amount (and duration)."""
        sent = ctx.sentences[k]
        if not self.rules.amount_followups or not ctx.statements:
            return
        last = ctx.statements[-1]
        previous = ctx.sentences[k - 1]
        before = ctx.sentences[max(0, k - 2)]
        right_after = previous.start <= last.evidence[0]
        same_paragraph = before.start <= last.evidence[0] and before.line == sent.line
        if last.headline or not (right_after or same_paragraph):
            return
        amount, duration, rule_id = followup_values(
            sent, self.rules.amount_followups, frozenset(self.rules.words.get("total", [])))
        if rule_id is None:
            return
        for st in ctx.statements:
            if st.evidence != last.evidence:
                continue
            if amount is not None and st.amount is None:
                st.amount = amount
                st.rules.append(rule_id)
            if duration is not None and st.duration is None:
                st.duration = duration

    @staticmethod
    def _update_target(sent: Sentence, ctx: _Context) -> None:
        targets = [g for g in sent.groups if g.role == "OF" and g.entities]
        if targets:
            ctx.target = targets[-1].entities[0]

    def _update_topics(self, sent: Sentence, topics: list[str]) -> None:
        groups = [g for g in sent.groups if g.role == "TOPIC"] or \
            [g for g in sent.groups if g.role == "SUBJ"]
        if groups and groups[0].entities:
            topic = groups[0].entities[0]
            if topic in topics:
                topics.remove(topic)
            topics.append(topic)

    @staticmethod
    def _main_company(sentences: list[Sentence]) -> str | None:
        counts = Counter(m.entity for s in sentences for m in s.companies if m.entity)
        if not counts:
            return None
        best = max(counts.values())
        firsts = [m.entity for s in sentences for m in s.companies if counts[m.entity] == best]
        return firsts[0] if best >= 3 else None

    def statements(self, doc: Doc) -> list[Statement]:
        """Every deal statement of the doc, before merging."""
        sentences = split_sentences(doc)
        attach_mentions(doc, sentences)
        for sent in sentences:
            build_groups(sent, self.role_of, self._titles)
        ctx = _Context(sentences, self._main_company(sentences))
        round_words = frozenset(self.rules.words.get("funding_round", []))
        ctx.funding_round = any(u.form in round_words for s in sentences for u in s.units)
        for k, sent in enumerate(sentences):
            made = self._sentence(k, ctx)
            if not made and k > 0:
                self._followup(k, ctx)
            ctx.statements.extend(made)
            self._update_topics(sent, ctx.topics)
            self._update_target(sent, ctx)
            self._learn_persons(sent, ctx)
        return ctx.statements

    def assemble(self, doc: Doc) -> list[Deal]:
        """The doc's deals, one record per deal."""
        return merge_statements(self.statements(doc), self.rules.type_precedence)

    def check_examples(self) -> tuple[int, list[RuleProblem]]:
        """Run every rule example; returns how many ran and what failed."""
        from pipeline.deal_examples import check_example

        problems = []
        for example in self.rules.examples:
            problems.extend(check_example(self, example))
        return len(self.rules.examples), problems


def load_deal_rules(dirs: list[Path]) -> tuple[DealRules, list[RuleProblem]]:
    """Load `deals.yaml` from every rules folder (later folders override by rule id)."""
    rules, problems = load_rule_set(dirs)
    return DealRules(rules), problems
