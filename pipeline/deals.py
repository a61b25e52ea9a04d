"""Deal assembly: from a Doc with mentions to one record per deal (ANNOTATION.md §4).

Per sentence: trigger rules find where a deal is stated (on Kiwi morphemes, so
every conjugation matches); the status comes from the endings after the
trigger; the company and partners come from the particles after company
mentions (`는` subject, `와` partner, `에` investee, `을` acquired …), a dropped
subject from the company the text is about; date, amount and duration from
the mentions around the trigger (a date after the article's reference date is a
target, not the deal's date). Investors that name no investee (`이번 라운드에
투자하기로 했다`) invest in the company whose funding round the text reported
last, and take that round's total when they have no amount of their own. A
trigger whose partner is missing (`5년간 2조원을 투자하기로 했다` after a
partnership) lends its amount and duration to the deal of its sentence.
Statements about one deal are then merged (`pipeline.deal_merge`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from spacy.tokens import Doc

from pipeline.deal_attrs import (
    LOOKBACK,
    after_reference,
    amount_in_window,
    clause_start,
    date_in_sentence,
    duration_in_window,
    followup_values,
    inherited_date,
    sentence_date,
    usable_dates,
)
from pipeline.deal_merge import Deal, Statement, dates_agree, merge_statements
from pipeline.deal_pattern import first_forms, normalize_tag, noun_forms, unit_form
from pipeline.deal_rules import DEAL_TYPES, DealRuleSet, MarkerRule, TriggerRule, load_rule_set
from pipeline.deal_sentences import (
    CONSORTIUM_NOUNS,
    FORMING_VERBS,
    NOUN_TAGS,
    PREDICATE_TAGS,
    Group,
    GroupWords,
    Mention,
    Sentence,
    attach_mentions,
    build_groups,
    formed_consortium,
    mark_reporter,
    split_sentences,
)
from pipeline.deal_status import tense_status
from pipeline.mentions import mention_spans
from pipeline.problems import RuleProblem

__all__ = ["Deal", "DealRules", "load_deal_rules"]

TOPIC_PARTICLES = ("은", "는", "ᆫ")
# the partner roles in which `이 회사` (deals.yaml words `pronoun_noun`) can stand
PRONOUN_ROLES = frozenset({"OBJ", "TO", "OF", "WITH", "FROM"})
# role rules that mark the partner a consortium is formed with (`B와 컨소시엄을 꾸려`, `B와
# 컨소시엄으로`): it acts beside the subject, never as the counterparty
CONSORTIUM_PARTNER_ROLES = frozenset({"role.along.consortium", "role.along.consortium_as"})
# the group roles of a sentence's subject (`이/가`, `은/는`): what a rule's SUBJECT side reads
SUBJECT_GROUPS = ("SUBJ", "TOPIC")
# the role rule of a company whose head attends a signing (`B 대표가 참석한 가운데`)
ATTENDING_ROLE = "role.with.attending"
# how many days before the reference date the day an article reports may be
NEWS_WEEK = 7
MAX_KIND_NOUNS = 5   # `B가 대주주인 자율주행 기업 C`: nouns of kind before the described company


@dataclass
class TriggerMatch:
    rule: TriggerRule
    first: int      # first unit of the match
    stop: int       # unit after the match (the predicate's endings start here)
    # weaker matches this one overlapped and displaced, tried when it names no parties
    # (`B와 리튬을 사들이는 구매 계약을 맺었다`: no company is bought, a contract is signed)
    displaced: list[TriggerMatch] = field(default_factory=list)

    @property
    def head(self) -> int:
        return self.stop - 1


# what may follow a right named as the thing bought (`기술과 인력`, `원천기술 일체`, `상표권`)
_HEAD_ENDS = ("과", "와", "일체", "등", "및", "권")

ANSWER_OPENERS = ("“", '"', "「")


@dataclass
class _Context:
    """What the text is about so far: running topics, the main company, past statements."""

    sentences: list[Sentence]
    reference: dt.date | None = None
    topics: list[str] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    order: int = 0
    persons: dict[str, str] = field(default_factory=dict)   # name or surname → entity
    target: str | None = None     # the company last named as being sold or acquired
    # with it, the companies sold together (`코엔텍과 새한환경을 손에 넣는다`)
    targets: list[str] = field(default_factory=list)
    round_owner: str | None = None   # the company whose funding round was named last
    round_amount: dict | None = None  # that round's stated total
    round_date: str | None = None     # the date the sentence naming the round gives
    followed: int = -1            # the last sentence that followed up the last deal
    last_made: list[Statement] = field(default_factory=list)  # the last sentence's statements
    consortium: list[str] = field(default_factory=list)  # members of the consortium named last
    answer_lines: frozenset[int] = frozenset()  # lines that open with a quote (Q&A answers)
    interviewee: str | None = None   # the company of the person the headline quotes
    main: str | None = None          # the company the article names most often
    # the company each paragraph is about: the topic its first sentence names, else (subject
    # dropped) the previous paragraph's; `opening` is the previous paragraph's, for the
    # dropped subjects of a paragraph's first sentence
    paragraph_topic: str | None = None
    opening: str | None = None
    opening_used: bool = False
    # a deal stated with no counterparty (`… 공급 계약을 체결했다고 공시했다`): its sentence
    # index, trigger, status, company, amount and duration, for `계약 상대방은 B다` after it
    unnamed: tuple | None = None
    # a digest's day (`20일 … 올라온 주요 공시를 정리했다`) and the line it is stated on: the
    # items after it that state no date of their own are that day's
    digest: tuple[int, str] | None = None
    lead: int = -1                   # the index of the first body sentence
    # the first day the body names within a week before the reference date: the day the
    # article reports (`11일 밝혔다`, `전날`)
    news_day: str | None = None
    # the lead's deals told without their counterparty (`A가 50억달러 규모의 플랜트 공사를
    # 따냈다`): company, type, amount, rule id, for the body's first deal of that company
    lead_amounts: list[tuple[str, str, dict, str]] = field(default_factory=list)


def _opens_paragraph(sent: Sentence, ctx: _Context) -> bool:
    """The first sentence of a body paragraph (its line's first)."""
    return not sent.headline and (sent.index == 0
                                  or ctx.sentences[sent.index - 1].line != sent.line)


def _money_after(sent: Sentence, group: Group) -> Mention | None:
    """The amount right after a company group (`A가 1조원, B가 5000억원을 냈고`)."""
    return next((m for m in sent.moneys if 0 <= m.first - group.stop <= 1
                 and isinstance(m.value, dict)), None)


def _index_of(sent: Sentence, sentences: list[Sentence]) -> int:
    """Where `sent` stands among the doc's sentences (0 when it is not one of them)."""
    return next((i for i, s in enumerate(sentences) if s is sent), 0)


def _control_at(sent: Sentence, i: int) -> bool:
    """`경영권` at unit i, whole or as Kiwi may cut it (경영/NNG 권/XSN)."""
    return sent.form(i) == "경영권" or (sent.form(i) == "경영" and sent.form(i + 1) == "권")


@dataclass
class _Sides:
    company: list[str]
    partners: list[str]
    from_context: bool            # the company is the text's, not the clause's subject
    partner_group: Group | None = None
    company_group: Group | None = None
    from_round: bool = False      # the partner is the round owner (MAIN)
    # the sides are the members of a consortium the subject names, with no client named
    members_only: bool = False


# deal types whose transactions between one pair repeat (a second stake, a follow-on order)
_REPEATABLE = ("INVESTMENT", "ACQUISITION", "CONTRACT")
_STAKE_TYPES = ("INVESTMENT", "ACQUISITION")
# deal types a group and its affiliate make side by side (both invest; the group forms the
# venture its affiliates fund, guide §4), so the group's record is no double of theirs
_GROUP_AND_AFFILIATE = ("INVESTMENT", "JOINT_VENTURE")


# a stake in brackets right after a holder's name: `산업은행(31.26%)`, `알토스벤처스(지분 17.19%)`
_BRACKET_STAKE = re.compile(r"\s?[(（](?:지분\s?)?\d+(?:\.\d+)?\s?%[)）]")


def _read_whole(noun: str) -> bool:
    """Kiwi reads the noun, standing alone, as one common noun (`인수전`, not `인수`+`전`)."""
    from pipeline.tokenizer import kiwi_morphemes

    morphs = kiwi_morphemes(noun)
    return len(morphs) == 1 and morphs[0][2] == "NNG" and morphs[0][4] == noun


class DealRules:
    """The compiled deal rules; `assemble(doc)` gives the doc's deals."""

    def __init__(self, rules: DealRuleSet):
        self.rules = rules
        words = rules.words
        self._titles = frozenset(words.get("title", []))
        self._affiliates = frozenset(words.get("affiliate", []))
        self._contracts = frozenset(words.get("contract_noun", []))
        self._stakes = frozenset(words.get("stake_noun", []))
        self._group_words = GroupWords(
            self._titles, self._affiliates, self._contracts, self._stakes,
            tuple(words.get("company_kind_ending", [])), tuple(words.get("relation_noun", [])),
            frozenset(words.get("list_kind", [])), frozenset(words.get("unit_noun", [])),
            tuple(words.get("joint_venture_noun", [])))
        self._subsidiary_nouns = tuple(words.get("subsidiary_noun", []))
        self._owned_nouns = tuple(words.get("owned_noun", []))
        self._describing_heads = frozenset(words.get("describing_head", []))
        self._also = frozenset(words.get("also", []))
        self._report_nouns = frozenset(words.get("report_noun", []))
        self._for_sale = frozenset(words.get("for_sale", []))
        self._seller_nouns = frozenset(words.get("seller_noun", []))
        self._advisers = frozenset(words.get("advisers", []))
        self._paperwork = tuple(str(w) for w in words.get("paperwork", []))
        self._new_owner = frozenset(words.get("new_owner", []))
        self._named_rounds = frozenset(words.get("named_round", []))
        self._refers = frozenset(words.get("subject_refers", []))
        self._cleft_topics = frozenset(words.get("cleft_topic", []))
        self._pair_counters = frozenset(words.get("pair_counter", []))
        self._pair_nouns = frozenset(words.get("pair_noun", []))
        self._pledge = frozenset(words.get("pledge", []))
        self._counterparty_words = frozenset(words.get("counterparty", []))
        self._holders = frozenset(words.get("stake_holder", []))
        self._remaining = frozenset(words.get("remaining", []))
        self._round_nouns = frozenset(words.get("round_noun", []))
        self._continuation = frozenset(words.get("continuation", []))
        self._no_inherit = frozenset(words.get("earlier_time", []))
        self._then = frozenset(words.get("then_time", []))
        self._this_deal = frozenset(words.get("this_deal", []))
        self._this_deal_means = frozenset(words.get("this_deal_means", []))
        self._same_day = frozenset(words.get("same_day", []))
        self._capital_nouns = frozenset(words.get("capital_noun", []))
        self._buy_nouns = frozenset(words.get("buy_noun", []))
        self._known_as = frozenset(words.get("known_as_verb", []))
        self._recent = frozenset(words.get("recent_time", []))
        self._later = frozenset(words.get("later_time", []))
        self._contrast = frozenset(words.get("contrast_ending", []))
        self._talks_end = frozenset(words.get("talks_end", []))
        self._ongoing_go = frozenset(words.get("ongoing_after_go", []))
        self._ongoing_eo = frozenset(words.get("ongoing_after_eo", []))
        self._ongoing_nouns = frozenset(words.get("ongoing_noun", []))
        self._simultaneous = frozenset(words.get("simultaneous_ending", []))
        self._repeat_words = frozenset(words.get("repeat", []))
        self._round_words = frozenset(words.get("funding_round", []))
        self._raise_words = frozenset(words.get("raise", []))
        self._raised_nouns = frozenset(words.get("round_raised_noun", []))
        self._raised_verbs = frozenset(words.get("round_raised_verb", []))
        self._round_compared = frozenset(words.get("round_compared", []))
        self._holder_verbs = frozenset(words.get("holder_verb", []))
        self._not_assets = frozenset(words.get("held_not_assets", []))
        self._other_company_nouns = tuple(words.get("other_company_nouns", []))
        self._one_per_partner = frozenset(words.get("one_deal_per_partner", []))
        self._per_signer = frozenset(words.get("one_deal_per_signer", []))
        self._joint_signing = frozenset(words.get("joint_signing", []))
        self._group_suffixes = tuple(words.get("group_suffix", []))
        self._old_shares = frozenset(words.get("old_shares", []))
        self._subject_standins = self._refers | self._stakes | self._holders \
            | self._new_owner | self._not_assets
        self._new_shares = frozenset(words.get("new_shares", []))
        self._bonds = frozenset(words.get("bonds", []))
        self._each = frozenset(words.get("each", []))
        self._pronoun_nouns = frozenset(words.get("pronoun_noun", []))
        self._pronoun_determiners = frozenset(words.get("pronoun_determiner", []))
        self._pronoun_adjectives = frozenset(words.get("pronoun_adjective", []))
        self._series_words = frozenset(words.get("series", []))
        self._separate = frozenset(words.get("separate", []))
        self._digest_words = frozenset(words.get("digest", []))
        self._digest_items = frozenset(words.get("digest_items", []))
        self._goods_trade = frozenset(words.get("goods_trade", []))
        self._sum_heads = frozenset(words.get("sum_heads", []))
        self._sale_talk = frozenset(words.get("sale_talk", []))
        self._sale_nouns = frozenset(words.get("sale_noun", []))
        self._share_words = frozenset(words.get("shares", []))
        self._control_words = frozenset(words.get("control_gained", []))
        self._buy_verbs = frozenset(words.get("buy_verbs", []))
        self._rights = frozenset(words.get("rights", []))
        self._rights_heads = frozenset(words.get("rights_heads", []))
        self._whole_stake = frozenset(words.get("whole_stake", []))
        # the deal types each amount follow-up gives its amount to (empty: all)
        self._followup_types = {r.id: r.types for r in rules.amount_followups}
        # the amount skips each deal type reads (`자본금` is a JV's amount, no other's)
        self._skips_for = {t: [r for r in rules.amount_skips if t not in r.except_types]
                           for t in DEAL_TYPES}
        self._totals = frozenset(words.get("total", []))
        self._total_verbs = frozenset(words.get("total_verb", []))
        self._share_nouns = frozenset(words.get("member_share", []))
        self._pay_verbs = frozenset(words.get("member_pays", []))
        self._put_in_verbs = frozenset(words.get("investor_puts_in", []))
        self._paid_after = frozenset(words.get("paid_after", []))
        self._upfront = tuple(words.get("upfront", []))
        # Trigger patterns in file order, indexed by the forms one of which they need,
        # so a sentence only tries the patterns whose words it holds.
        self._patterns = [(rule, pattern) for rule in rules.triggers for pattern in rule.patterns
                          if not rule.bracket_holders]
        # (shareholder lists are read beside the triggers, never displaced by one)
        self._bracket_rules = [rule for rule in rules.triggers if rule.bracket_holders]
        self._always: list[int] = []
        self._by_form: dict[str, list[int]] = {}
        for index, (_, pattern) in enumerate(self._patterns):
            if pattern.required is None:
                self._always.append(index)
            for form in pattern.required or ():
                self._by_form.setdefault(form, []).append(index)
        # Role rules in file order, indexed the same way by the forms their first element
        # needs: most start with a particle, and `role_of` runs for every group.
        firsts = [first_forms(rule.pattern.source, words) for rule in rules.roles]
        self._roles_any = tuple(rule for rule, forms in zip(rules.roles, firsts, strict=True)
                                if forms is None)
        self._roles_by_first = {
            form: tuple(rule for rule, forms in zip(rules.roles, firsts, strict=True)
                        if forms is None or form in forms)
            for form in {form for forms in firsts if forms for form in forms}}

    @property
    def compounds(self) -> frozenset[str]:
        """The nouns the trigger patterns name that Kiwi reads whole when they stand alone
        (`인수전`, `합작사`, `본계약`): where Kiwi cuts one inside a sentence (`인수`+`전`,
        `본` read as a determiner + `계약`), its pieces are joined.
        Found on first use (it asks Kiwi), once per process."""
        found = self.__dict__.get("_compounds")
        if found is None:
            nouns = {form for _, pattern in self._patterns
                     for form in noun_forms(pattern.source, self.rules.words)
                     if len(form) >= 3 and all("가" <= c <= "힣" for c in form)}
            found = frozenset(form for form in nouns if _read_whole(form))
            self.__dict__["_compounds"] = found
        return found

    # --- triggers -----------------------------------------------------------------

    def find_triggers(self, sent: Sentence) -> list[TriggerMatch]:
        """Trigger matches of a sentence; overlapping ones keep the higher priority/longer."""
        found: list[TriggerMatch] = []
        candidates = set(self._always)
        for form in sent.forms:
            candidates.update(self._by_form.get(form, ()))
        forms = sent.forms
        for index in sorted(candidates):
            rule, pattern = self._patterns[index]
            if not self.reads_here(rule, sent):
                continue
            if not pattern.may_match_all(forms):
                continue
            for match in pattern.compiled.finditer(sent.code):
                if match.end() == match.start():
                    continue
                first = sent.unit_of_offset(match.start())
                stop = sent.unit_of_offset(match.end() - 1) + 1
                if self.keeps(sent, rule, first, stop):
                    found.append(TriggerMatch(rule, first, stop))
        return self.resolve_overlaps(sent, found)

    @staticmethod
    def reads_here(rule: TriggerRule, sent: Sentence) -> bool:
        """Whether the rule's `where` (body, headline, any, lead) covers the sentence."""
        if rule.where == "body":
            return not sent.headline
        if rule.where == "headline":
            return sent.headline
        if rule.where == "lead":
            return sent.headline or sent.lead
        return True

    def keeps(self, sent: Sentence, rule: TriggerRule, first: int, stop: int) -> bool:
        """Whether a pattern match stands as a trigger (a verb that adds up does not, nor
        plain talks in a sentence that names a sale: `경영권 인수를 놓고 B와 협상`)."""
        if rule.plain_talks and not sent.forms.isdisjoint(self._sale_talk):
            return False
        return not (rule.adds_up and self._adds_up(sent, first, stop))

    def _adds_up(self, sent: Sentence, first: int, stop: int) -> bool:
        """`차입금까지 합친 규모`, `합쳐 1000억원을 보탰다`, `B를 합친 몫은`: the verb sums
        amounts or shares (after `까지`, or before a number or a word of `sum_heads`)."""
        if first > 0 and sent.form(first - 1) == "까지":
            return True
        k = stop
        while k < len(sent.units) and sent.tag(k).startswith(("E", "VX")):
            k += 1
        # (`A와 B를 합친 운용 규모는`: a sum word after a noun or two)
        if any(sent.form(j) in self._sum_heads for j in range(k, min(len(sent.units), k + 3))
               if all(sent.tag(i) == "NNG" for i in range(k, j))):
            return True
        # (`A와 B를 합친 SK 계열 주유소 3402곳`: a count after the nouns it counts; `합쳐 약
        # 40%의 점유율`)
        last = min(len(sent.units), k + 5)
        while k < last and (sent.tag(k) in ("NNG", "NNP", "SL")
                            or sent.tag(k) == "MM" and sent.tag(k + 1) == "SN"):
            k += 1
        return k < len(sent.units) and sent.tag(k) == "SN" and sent.form(k + 1) != "위"

    def resolve_overlaps(self, sent: Sentence, found: list[TriggerMatch]) -> list[TriggerMatch]:
        """Of overlapping matches, the higher priority/longer one is kept; the others it
        displaced stay on it as stand-ins (`displaced`)."""
        # a contract for goods (`리튬을 사들이는 장기 구매 계약`) is read before a stronger
        # rule of another type that covers its verb: the goods bought are no company
        goods = {id(m) for m in found if self._goods_contract(sent, m) and any(
            o.rule.type != "CONTRACT" and o.first < m.stop and m.first < o.stop for o in found)}
        found.sort(key=lambda m: (id(m) not in goods, -m.rule.priority, -(m.stop - m.first),
                                  m.first))
        kept: list[TriggerMatch] = []
        for match in found:
            overlapped = [k for k in kept if match.first < k.stop and k.first < match.stop]
            if not overlapped:
                kept.append(match)
            elif len(overlapped) == 1 and self._may_stand_in(match, overlapped[0]):
                overlapped[0].displaced.append(match)
        return sorted(kept, key=lambda m: m.stop)

    def _may_stand_in(self, match: TriggerMatch, winner: TriggerMatch) -> bool:
        """Whether `match`, displaced by `winner`, may be read when `winner` names no
        parties: another rule of the same deal type that overlaps no other stand-in."""
        return match.rule is not winner.rule and match.rule.type == winner.rule.type and all(
            match.stop <= d.first or d.stop <= match.first for d in winner.displaced)

    def _goods_contract(self, sent: Sentence, match: TriggerMatch) -> bool:
        """A contract match right after a word of trading goods (`구매 계약`, `공급 계약`)."""
        return match.rule.type == "CONTRACT" and match.first > 0 \
            and sent.form(match.first - 1) in self._goods_trade

    # --- roles --------------------------------------------------------------------

    def role_of(self, sent: Sentence, at: int, first: int = 0) -> tuple[str, str | None]:
        """The role the words after a group (from unit `at`) give it; a rule with `after`
        also needs one of those words right before the group (unit `first`)."""
        if at < len(sent.units):
            form = unit_form(sent.units[at].form)
            for rule in self._roles_by_first.get(form, self._roles_any):
                if rule.after and (first == 0 or sent.form(first - 1) not in rule.after):
                    continue
                if rule.pattern.compiled.match(sent.code, sent.offsets[at]):
                    return rule.value, rule.id
        return "NONE", None

    def _explicit_subject(self, sent: Sentence, head: int, exclude: list[int],
                          lo: int = 0, investors: bool = True,
                          first: int | None = None) -> Group | None:
        """The clause's subject: a topic after the previous trigger, else the sentence's first
        topic (`A와 B는 제휴를 맺었고, C는 … 투자받았다`: C), else the last `이/가` subject
        that is not a relative clause's (with `investors`, a round's investors named with
        `이/가` count as subjects)."""
        before = [g for g in sent.groups if g.first < head and id(g) not in exclude]
        topics = [g for g in before if g.role == "TOPIC"]
        # a trigger that holds its own relative clause (`B가 C를 넘겨받는 계약을 맺었다`) is
        # reached at its first unit
        reach = head if first is None else min(head, first + 1)
        if topics:
            subjects = [g for g in before if g.role == "SUBJ"]
            # `A 역시 B를 …로 맞았지만, B는 … 포기했다`: the topic of the trigger's own clause
            boundary = clause_start(sent, 0, head)
            topic = next((g for g in topics if g.first >= lo > 0), None) \
                or next((g for g in reversed(topics) if g.first >= boundary > 0), None) \
                or topics[0]
            # `B&W 등은 마시모가 … 사운드유나이티드를 사들이며 확보한 브랜드다`: a `이/가`
            # subject after the topic whose clause runs on to the trigger is the trigger's
            # subject (no adnominal or final ending between them closes its clause first).
            inner = [g for g in subjects if g.first > topic.first]
            if inner and DealRules._clause_runs_on(sent, inner[-1].stop, reach) \
                    and not self._acts_for_topic(sent, inner[-1]):
                return inner[-1]
            return topic
        # `신한캐피탈이 합류했고`: a round's investors; `볼보가 키운 브랜드 폴스타에 … 넣기로
        # 했다`: the subject of a relative clause that describes a company is not the trigger's
        subjects = [g for g in before if (g.role == "SUBJ"
                                          or (investors and g.role_rule == "role.round_lead"))
                    and not self._describes_company(sent, g.stop, head)]
        if len(subjects) > 1 and DealRules._in_relative_clause(sent, subjects[-1].stop, reach) \
                and DealRules._clause_runs_on(sent, subjects[-2].stop, reach):
            # `아람코가 [한진그룹이 갖고 있던] 지분을 넘겨받았다`: the holder's clause is nested
            return subjects[-2]
        if len(subjects) == 1 and subjects[0].role == "SUBJ" \
                and self._holder_clause(sent, subjects[0].stop, reach):
            # `조 회장은 [범한판토스가 갖고 있던] 주식을 사들여`: the holder sells, it buys
            # nothing; the buyer is the clause's own subject or the one the text is about
            return None
        return subjects[-1] if subjects else None

    @staticmethod
    def _closing_adnominal(sent: Sentence, start: int, stop: int,
                           skip: frozenset[int] = frozenset()) -> int | None:
        """The adnominal ending that closes the clause of the subject ending at `start`
        (relative clauses with subjects of their own nested inside are passed over), or
        None when a final ending or an object comes first (units in `skip` are ignored)."""
        nested = 0
        for i in range(start + 1, stop):
            if i in skip:
                continue
            tag = sent.tag(i)
            if tag in ("EF", "JKO") and not nested:
                return None
            if tag == "JKS":
                nested += 1
            elif tag == "ETM":
                if nested:
                    nested -= 1
                    continue
                return i
        return None

    @staticmethod
    def _in_relative_clause(sent: Sentence, start: int, stop: int) -> bool:
        """The subject ending at `start` is closed by an adnominal ending before `stop`
        (`한진그룹이 갖고 있던`): the subject of a relative clause, not of the trigger."""
        i = DealRules._closing_adnominal(sent, start, stop)
        return i is not None and sent.tag(i - 1) != "VCP"

    def _holder_clause(self, sent: Sentence, start: int, stop: int) -> bool:
        """The subject ending at `start` holds what the trigger takes: its relative clause
        closes with a verb of holding (words `holder_verb`: `B가 갖고 있던`, `B가 보유한`)."""
        i = DealRules._closing_adnominal(sent, start, stop)
        if i is None:
            return False
        if not any(sent.form(k) in self._holder_verbs and sent.tag(k) in ("VV", "NNG", "VX")
                   for k in range(max(start, i - 4), i)):
            return False
        # what is held is what the trigger takes (`… 갖고 있던 주식 309만주를`), not the
        # means it is paid with (`넷마블이 보유한 현금으로 … 인수했다`: the holder buys)
        depth = 0
        for k in range(i + 1, stop):
            tag = sent.tag(k)
            depth += (tag == "SSO") - (tag == "SSC")
            if depth or not tag.startswith("J") or tag in ("JKG", "JC"):
                continue
            return tag == "JKO"
        return False

    def _describes_company(self, sent: Sentence, start: int, head: int) -> bool:
        """The subject ending at `start` belongs to a relative clause that describes a
        company before the trigger: `[볼보가 키운] 브랜드 폴스타에 … 넣기로`.

        Not when the clause has an object of its own, for then the company it describes
        is the clause's missing subject and the subject before it is the sentence's
        (`소프트뱅크가 [기술을 개발하는] 크래프트에 투자했다`); not for a copula's
        description (`OpenAI가 [협력사인] 오라클과`); not when the described company is
        part of the trigger's noun (`시스코가 마무리한 스플렁크 인수`)."""
        in_date = sent.date_units()
        i = DealRules._closing_adnominal(sent, start, head, in_date)
        if i is None or sent.tag(i - 1) == "VCP":
            return False
        # (`A가 [센서로 이름난] B를 품는다`: a clause whose verb says what the described
        # company is known as has that company as its subject, not A)
        verb = i - 1
        while verb > 0 and sent.tag(verb) == "EP":
            verb -= 1
        if sent.form(verb) in self._known_as or (
                sent.tag(verb) == "XSA" and sent.form(verb - 1) + "하" in self._known_as):
            return False
        starts = {g.first: g for g in sent.groups}
        k = i + 1
        while k < head and k - i <= 4 and k not in starts \
                and normalize_tag(sent.tag(k)) in NOUN_TAGS:
            k += 1
        group = starts.get(k)
        return group is not None and group.stop < head \
            and sent.tag(group.stop).startswith("J")

    @staticmethod
    def _head_after_kind(sent: Sentence, stop: int, exclude: list[int],
                         kinds: tuple[str, ...] | None = None) -> Group | None:
        """`구글이 앞서 사들인 풍력 스타트업 마카니파워의`: the company after the adnominal
        ending past a few nouns that name its kind of business (with `kinds`, the last of
        them must end in one, and a place may come first: `미국 자산운용사`, `헤지펀드`)."""
        for group in sent.groups:
            if group.first <= stop + 2 or id(group) in exclude:
                continue
            if group.first > stop + 5:
                return None
            between = range(stop + 1, group.first)
            nouns = ("NNG", "SL") if kinds is None else ("NNG", "SL", "NNP")
            if all(sent.tag(i).startswith(nouns) for i in between) and (
                    kinds is None or sent.form(group.first - 1).endswith(kinds)):
                return group
            return None
        return None

    @staticmethod
    def _relative_agent(sent: Sentence, match: TriggerMatch,
                        exclude: list[int]) -> Group | None:
        """`테스를 품은 SK에코플랜트가`, `네이버와 손잡은 CJ는`, `AIG로부터 사들였던 브룩필드는`,
        `KKR로부터 투자를 받은 B`: a trigger in a relative clause
        with an object or partner of its own and no subject describes the company right
        after it, which is the clause's doer (`A가 사들인 B`, with a subject, is not)."""
        if sent.tag(match.stop) != "ETM":
            return None
        head = next((g for g in sent.groups if match.stop < g.first <= match.stop + 1
                     and id(g) not in exclude), None)
        if head is None:
            return None
        start = clause_start(sent, 0, match.first)
        inside = [g for g in sent.groups if start <= g.first < match.first]
        # (a topic, `A는 B를 인수한 C에 이어`, belongs to the main clause: a relative clause
        # takes its own subject with 이/가)
        if any(g.role == "SUBJ" for g in inside) \
                or not any(g.role in ("OBJ", "WITH", "TO", "FROM") for g in inside):
            return None
        return head

    def _merges_what_was_bought(self, sent: Sentence, match: TriggerMatch, sides: _Sides,
                                formed: list[tuple[TriggerMatch, list[Statement]]],
                                lo: int) -> bool:
        """`A는 B를 사들인 뒤 자회사 C와 합쳐`: with no object, what merges with C is what the
        subject bought earlier in the sentence (the sides become B and C); a subsidiary
        merged with something unnamed (`기존 자회사 C와 합치는 방안`), and what the subject
        just bought folded into a business of its own (`B를 사들여 … 사업에 합쳤다`), are no
        deal. Returns True when the trigger makes no deal."""
        group = sides.partner_group
        if group is not None and group.role == "OBJ" and len(sides.company) == 1 and any(
                st.type in _STAKE_TYPES and st.company == sides.company[0]
                and set(sides.partners) <= set(st.partners)
                for _, made in formed for st in made) and self._into_no_company(sent, match):
            return True   # `A는 B를 사들여 … 사업에 합쳤다`: the purchase folded into a business
        if group is None or group.role != "WITH" or len(sides.company) != 1 or any(
                g.role == "OBJ" and lo <= g.first < match.first for g in sent.groups):
            return False
        bought = [st for _, made in formed for st in made
                  if st.type in _STAKE_TYPES and st.company == sides.company[0]
                  and len(st.partners) == 1 and st.partners[0] not in sides.partners]
        if bought:
            sides.company = [bought[-1].partners[0]]
            return False
        return any(sent.form(i).endswith(self._owned_nouns)
                   for i in range(max(lo, group.first - 3), group.first))

    @staticmethod
    def _into_no_company(sent: Sentence, match: TriggerMatch) -> bool:
        """`… 사업 ‘왓슨 헬스’에 합쳤다`: the verb's `에` target right before it is no company."""
        covered = {i for g in sent.groups for i in range(g.first, g.stop)}
        for i in range(match.first - 1, max(-1, match.first - 4), -1):
            if sent.tag(i) == "JKB" and sent.form(i) == "에":
                return i - 1 not in covered
        return False

    def _acts_for_topic(self, sent: Sentence, group: Group) -> bool:
        """`LG생활건강은 일본 자회사인 긴자스테파니가 … 인수하는 계약을 체결했다고 밝혔다`: a
        subsidiary named as the topic's, by a copula, buys for the topic (GUIDELINES)."""
        at = group.first
        return at >= 3 and sent.tag(at - 1) == "ETM" and sent.tag(at - 2) == "VCP" \
            and sent.form(at - 3).endswith(self._subsidiary_nouns)

    def _described_topic(self, sent: Sentence, match: TriggerMatch,
                         exclude: list[int]) -> Group | None:
        """`두산밥캣은 2007년 두산인프라코어가 … 사들인 회사다`: a relative clause whose head
        is a kind of company and a copula describes the sentence's topic, which is its object."""
        at = match.stop
        if sent.tag(at) != "ETM" or sent.form(at + 1) not in self._describing_heads \
                or sent.tag(at + 2) != "VCP":
            return None
        topic = next((g for g in sent.groups if g.role == "TOPIC" and g.stop < match.first
                      and id(g) not in exclude), None)
        if topic is None or any(g.role == "OBJ" and topic.first < g.first < match.first
                                for g in sent.groups):
            return None   # (`… A가 B를 사들인 회사다`: the clause names its own object)
        return topic

    @staticmethod
    def _clause_runs_on(sent: Sentence, start: int, head: int) -> bool:
        """No final or adnominal ending between a subject and the trigger closes the
        subject's clause. An adnominal ending that closes a relative clause with its own
        subject (`A가 [일가가 보유한] 지분을 인수`) is nested inside and does not count."""
        nested = 0
        # `휴맥스 등 기존 주주가 보유한`: the subject's own `가` after nouns naming no other
        # company is not a nested clause's subject
        own = start < len(sent.units) and not sent.tag(start).startswith("J")
        starts = {g.first for g in sent.groups} if own else set()
        for i in range(start + 1, head):
            tag = sent.tag(i)
            if tag == "EF":
                return False
            if own and i in starts:
                own = False
            if tag == "JKS":
                if not own:
                    nested += 1
                own = False
            elif tag == "ETM":
                if not nested:
                    return False
                nested -= 1
            elif own and normalize_tag(tag) not in NOUN_TAGS and tag not in ("SP", "SW"):
                own = False
        return True

    @staticmethod
    def _gapped_subjects(sent: Sentence, group: Group, exclude: list[int]) -> list[Group]:
        """`국내에서는 A와 B가, 일본에서는 C가 이름을 올렸다`: subjects of clauses whose shared
        predicate is written once, each closed by `이/가` and a comma with no predicate
        between them and the subject the trigger found."""
        if group.role != "SUBJ":
            return []
        out: list[Group] = []
        nxt = group
        for g in reversed([g for g in sent.groups if g.stop < group.first]):
            if g.role != "SUBJ" or id(g) in exclude or not g.entities:
                break
            if g.stop + 1 >= len(sent.units) or sent.form(g.stop + 1) != ",":
                break
            if any(normalize_tag(sent.tag(i)) in PREDICATE_TAGS
                   or sent.tag(i) in ("EF", "EC", "ETM")
                   for i in range(g.stop + 1, nxt.first)):
                break
            out.insert(0, g)
            nxt = g
        return out

    @staticmethod
    def _quote_speaker(sent: Sentence, head: int, exclude: list[int]) -> Group | None:
        """`“삼성전자와의 협력을 강화하겠다” 퀄컴 CEO는 말했다`: the speaker after a quote."""
        for group in sent.groups:
            if group.first <= head or id(group) in exclude or group.role != "TOPIC":
                continue
            between = sent.text_between(sent.units[head].end, sent.units[group.first].start)
            return group if any(q in between for q in "”\"’'") else None
        return None

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
        """`양사는`, `두 회사는`, `두 회사가 맺은`: the subject is the pair of the deal just
        stated."""
        # (`두 회사가` only as the subject of a relative clause: `두 회사가 맺은 파트너십`)
        subjects = [i - 1 for i in range(1, min(head, len(sent.units)))
                    if sent.tag(i) == "JKS" and sent.tag(i - 1) in NOUN_TAGS
                    and any(sent.tag(k) == "ETM"
                            for k in range(i + 1, min(head + 4, len(sent.units))))]
        for i in [*self._topic_nouns(sent, head), *subjects]:
            noun = sent.form(i)
            if noun in ("양사", "양측") or (noun in self._pair_nouns
                                           and sent.form(i - 1) in self._pair_counters):
                return True
        return False

    @staticmethod
    def _thing_object(sent: Sentence, match: TriggerMatch) -> bool:
        """`두 회사가 쌓아 온 전문성을 합쳐`: the verb's object right before it is a thing, so
        the pair does not merge (or sign) with each other (not an object before an adverb
        the trigger opens with: `전기차를 함께 개발하는 계약을`)."""
        k = match.first - 1
        if k < 1 or sent.tag(k) != "JKO" or sent.tag(match.first) == "MAG":
            return False
        covered = {i for m in sent.companies for i in range(m.first, m.stop)}
        return k - 1 not in covered

    def _previous_pair(self, sent: Sentence, ctx: _Context, deal_pair: bool = False
                       ) -> list[str]:
        """`두 회사는` after a sentence that names exactly two companies: those two; with
        `deal_pair` (a deal between the two), after a sentence that made no deal, the two
        parties of a deal stated just before it (`A와 B가 합친다. … 보잉·에어버스 다음가는
        기업이 나온다. 두 회사는 …`: A and B)."""
        if sent.index == 0 or ctx.sentences[sent.index - 1].headline:
            return []
        previous = ctx.sentences[sent.index - 1]
        if deal_pair and ctx.statements and sent.index >= 2:
            last = ctx.statements[-1]
            before = ctx.sentences[sent.index - 2]
            if not before.headline and before.start <= last.evidence[0] < before.end \
                    and len(last.participants) == 2:
                return [last.company, *last.partners]
        entities = list(dict.fromkeys(m.entity for m in previous.companies if m.entity))
        if deal_pair and len(entities) < 2:
            # `A는 B가 권리를 돌려주기로 했다고 공시했다. B는 … 이유를 들었다. 두 회사는 …`:
            # the two companies the last sentences name, when they name no third
            for k in range(sent.index - 2, max(sent.index - 4, -1), -1):
                if ctx.sentences[k].headline:
                    break
                # (in the order the text names them; an outlet that reports is no party)
                entities = list(dict.fromkeys(
                    e for earlier in ctx.sentences[k:sent.index] for g in earlier.groups
                    if not self._outlet(earlier, g) for e in g.entities))
                if len(entities) >= 2:
                    break
        return entities if len(entities) == 2 else []

    def _outlet(self, sent: Sentence, group: Group) -> bool:
        """The news outlet of a sentence that reports (`WSJ은 … 임박했다고 보도했다`)."""
        return group.role == "REPORTER" or (group.role == "TOPIC" and any(
            u.form in self._report_nouns for u in sent.units))

    @staticmethod
    def _last_co_parties(ctx: _Context) -> list[str]:
        """The two companies that made the last deal side by side (`A와 B는 C를 사들이는
        본계약을 체결했다`: A and B), for a later `두 회사는`; else none."""
        if not ctx.statements:
            return []
        last = ctx.statements[-1]
        side = [st.company for st in ctx.statements
                if st.evidence == last.evidence and st.partners == last.partners]
        side = list(dict.fromkeys(side))
        return side if len(side) == 2 else []

    def _gen_buyer(self, sent: Sentence, match: TriggerMatch,
                   exclude: list[int]) -> Group | None:
        """`HDC현대산업개발의 아시아나항공 인수가 무산됐다`: the company whose buying of
        another the noun phrase names (`A의 B 인수`) is the buyer."""
        groups = [g for g in sent.groups if g.first < match.head]
        for before, after in zip(groups, groups[1:], strict=False):
            if id(before) not in exclude and before.role == "GEN" and after.role == "OF" \
                    and before.stop + 1 == after.first \
                    and sent.form(after.stop) in self._buy_nouns:
                return before
        return None

    def _consortium_subject(self, sent: Sentence, head: int, bare: bool = False) -> bool:
        """`이 컨소시엄은`, `해당 컨소시엄이`, and (with `bare`, for a purchase or an
        investment) `컨소시엄은` opening the sentence: the consortium named before is the
        subject."""
        for i in range(0, min(head, len(sent.units)) - 1):
            if sent.form(i) in CONSORTIUM_NOUNS \
                    and ((i == 0 and bare) or (i > 0 and sent.tag(i - 1) == "MM")) \
                    and sent.form(i + 1) in ("은", "는", "이", "가", "도"):
                return True
        return False

    def _topic_owner(self, sent: Sentence, head: int, exclude: list[int]) -> Group | None:
        """`어도비의 변신은 … 옴니추어를 사들이면서 시작됐다`: with no subject of its own, the
        trigger's subject is the company that opens the sentence in front of its topic noun,
        unless that noun is another company (`A의 경쟁사는`, `A의 최대주주는`)."""
        for g in sent.groups:
            if g.first > 1 or g.role != "GEN" or id(g) in exclude or not g.entities \
                    or g.stop >= head or not self._fronted(sent, g):
                continue
            topic = next((i for i in range(g.stop, head) if sent.tag(i) == "JX"
                          and sent.form(i) in TOPIC_PARTICLES), None)
            if topic is None or sent.form(topic - 1).endswith(self._other_company_nouns):
                return None
            return g
        return None

    def _subject_blocked(self, sent: Sentence, head: int) -> bool:
        """An explicit topic before the trigger that is not a company nor refers to one
        (nor frames the clause as a cleft)."""
        return any(sent.form(i) not in self._refers and sent.form(i) not in self._cleft_topics
                   and sent.tag(i) != "NP" for i in self._topic_nouns(sent, head))

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
        rule = match.rule
        if "OF" in roles and rule.asymmetric:
            # `우아한형제들 인수를 마무리했다`: the company right before the trigger noun
            adjacent = [g for g in sent.groups if g.role == "OF" and g.stop == match.first
                        and id(g) not in exclude]
            if adjacent:
                # `A 지분 75%와 B 지분 100%를 매각하는`: the stakes coordinated after it too
                stakes = [g for g in sent.groups if g.role == "OF" and id(g) not in exclude
                          and adjacent[-1].first <= g.first < match.head]
                chain = self._coordinated(sent, stakes)
                if adjacent[-1] in chain:
                    merged = list(dict.fromkeys(e for g in chain for e in g.entities))
                    return merged, adjacent[-1], False
                return adjacent[-1].entities, adjacent[-1], False
        for role in roles:
            if role == "MAIN":
                continue  # resolved once both sides are known
            if role == "STAKE_TARGET" and not self._persons_stake(sent, lo, match.first):
                continue  # (`공장을 인수했다`: no stake, no company being sold)
            if role in ("TARGET", "STAKE_TARGET"):
                if ctx.target is not None and ctx.target not in exclude_ids:
                    return self._target_set(ctx, exclude_ids), None, True
                continue
            if role == "REST_TARGET":
                rest = self._rest_of_stake(sent, lo, match.first, exclude_ids, ctx)
                if rest:
                    return rest, None, True
                continue
            if role == "CONTEXT":
                continue  # resolved once both sides are known
            if role == "DESCRIBED":
                described = self._described_topic(sent, match, exclude)
                if described is not None:
                    return described.entities, described, False
                continue
            if role == "HEAD":
                # `소프트뱅크그룹에 인수된 ARM도`: the company right after the adnominal ending
                if sent.tag(match.stop) == "ETM":
                    head = next((g for g in sent.groups if match.stop < g.first <= match.stop + 2
                                 and id(g) not in exclude), None)
                    if head is None:
                        # (a standing fact, `B의 주요 주주인 미국 자산운용사 C는`: only past a
                        # kind of company)
                        head = self._head_after_kind(
                            sent, match.stop, exclude,
                            self._group_words.kind_endings if match.rule.standing else None)
                    if head is not None and match.rule.standing \
                            and sent.form(head.stop) in self._titles:
                        return [], None, False  # `최대주주인 김 아무개 C 회장`: a person holds it
                    if head is not None:
                        return head.entities, head, False
                continue
            if role == "SUBJECT":
                agent = self._relative_agent(sent, match, exclude)
                group = agent or self._explicit_subject(sent, match.head, exclude, lo,
                                                        first=match.first) \
                    or self._quote_speaker(sent, match.head, exclude)
                if group is not None and self._also_object(sent, group, match, ctx):
                    group = None  # `호이츠도 품었다`: the company bought, not the buyer
                if group is not None and group is agent:
                    # (only the companies right after the clause up to a comma: `B를 사들인 C,
                    # D의 모회사 E`, but `B에 투자한 C·D 컨소시엄`)
                    right_after = [agent.mentions[0]]
                    for m in agent.mentions[1:]:
                        if "," in sent.text_between(right_after[-1].end, m.start):
                            break
                        right_after.append(m)
                    named = dict.fromkeys(m.entity for m in right_after if m.entity)
                    return list(named), agent, False
                if group is not None:
                    gapped = self._gapped_subjects(sent, group, exclude)
                    if gapped:
                        merged = list(dict.fromkeys(e for g in [*gapped, group]
                                                    for e in g.entities))
                        return merged, group, False
                    return group.entities, group, False
                owner = self._gen_buyer(sent, match, exclude) if rule.asymmetric else None
                if owner is not None:
                    return owner.entities, owner, False
                speaker = self._speaker(sent, match.head, ctx)
                if speaker is not None:
                    return [speaker], None, True
                pointed = self._pronoun_subject(sent, match.head, ctx, exclude_ids)
                if pointed is not None:
                    return [pointed], None, True
                if ctx.consortium and self._consortium_subject(sent, match.head,
                                                               rule.asymmetric):
                    # `이 컨소시엄은 2017년 5000억원을 넣으며`: its members, each a party
                    return list(ctx.consortium), None, True
                series = self._series_company(sent, match.head, ctx)
                if series is not None:
                    return [series], None, True
                if ctx.interviewee and sent.line in ctx.answer_lines \
                        and not self._subject_blocked(sent, match.head):
                    # `“2023년 12월 볼파라를 인수하기로 하고 …”`: the interviewee speaks
                    return [ctx.interviewee], None, True
                if rule.asymmetric and self._pair_subject(sent, match.head):
                    buyers = self._previous_pair(sent, ctx) or self._last_co_parties(ctx)
                    if buyers:  # `두 회사는 … B 인수를 위한 양해각서를 맺고`: both buy
                        return buyers, None, True
                owner = self._topic_owner(sent, match.head, exclude)
                if owner is not None:
                    return owner.entities, owner, False
                if not self._subject_blocked(sent, match.head) and ctx.topics:
                    return [self._paragraph_subject(sent, ctx)], None, True
                continue
            roles_here = ("WITH", "ALONG") if role == "WITH" and not rule.asymmetric else (role,)
            # (`B와 컨소시엄을 꾸려 사업을 따냈다`, `… C와 양해각서를 맺었다`: a consortium
            # partner wins the order or signs with the subject, it is no counterparty)
            # (`매각 주관사 삼일PwC가 진행한 예비입찰`: who runs a sale for the seller is never
            # the company sold nor the stake's owner)
            candidates = [g for g in sent.groups if g.role in roles_here
                          and g.first < match.head and id(g) not in exclude
                          and not (rule.type in ("CONTRACT", "MOU")
                                   and g.role_rule in CONSORTIUM_PARTNER_ROLES)
                          and not (role in ("OF", "GEN", "OBJ")
                                   and self._adviser_before(sent, g.first))
                          and not (role == "GEN" and self._relation_of_next(sent, g, match))]
            inside = [g for g in candidates if g.first >= lo]
            # a group of this role from an earlier clause only when no later role of the
            # list has one in this clause (`A는 B를 인수했고, C는 D 지분을 사들였다`: D)
            later = {r for later_role in roles[roles.index(role) + 1:]
                     for r in (SUBJECT_GROUPS if later_role == "SUBJECT" else (later_role,))}
            # (nor an object when this clause has its own: `C는 지난해 투비를 인수했다`)
            blocked = lo and (any(
                g.role in later and lo <= g.first < match.head and id(g) not in exclude
                for g in sent.groups)
                or (role == "OBJ" and self._own_object(sent, lo, match.head, exclude)))
            pool = inside or ([] if blocked else candidates)
            if pool and role in SUBJECT_GROUPS \
                    and self._own_subject(sent, pool[-1].stop, match.head):
                pool = []
            if role == "WITH" and any(g.role_rule != ATTENDING_ROLE for g in pool):
                # `C 대표가 참석한 가운데 B와 협약을 맺었다`: an attendee is a party only when
                # the clause names no other
                pool = [g for g in pool if g.role_rule != ATTENDING_ROLE]
            if pool and role == "TO" and len(pool) > 1 and self._counted_each(sent, pool):
                # `B에 8척, C에 4척 발주`: each with its own count, one partner each
                return list(dict.fromkeys(e for g in pool for e in g.entities)), pool[-1], False
            if pool and role == "FROM" and rule.type == "ACQUISITION" \
                    and self._sells_unnamed_shares(sent, pool[-1], match):
                # `A는 B로부터 지분 25%를 더 넘겨받아`: a seller is never a party (GUIDELINES);
                # the shares are those of the company last named as being sold
                if ctx.target is not None and ctx.target not in exclude_ids \
                        and ctx.target not in pool[-1].entities:
                    return self._target_set(ctx, exclude_ids), None, True
                continue
            if pool and (role == "FROM" or roles_here == ("WITH", "ALONG")) and len(pool) > 1:
                # `A는 B와 함께 C와 MOU를 맺었다`: every `와` company of the clause is a partner
                # investors named in several groups (`A가 주도하고 B·C가 참여한`) all invest
                merged = list(dict.fromkeys(e for g in pool for e in g.entities))
                return merged, pool[-1], False
            if not pool and role == "OBJ":
                pool = self._object_with_do(sent, lo, match.head, exclude)
                if not pool:
                    pool = [g for g in sent.groups if g.first < match.head
                            and id(g) not in exclude and self._also_object(sent, g, match, ctx)]
            if pool and role == "OF" and len(pool) > 1:
                # `A 지분 75%와 B 지분 100%를 매각`: every stake of the coordinated object
                stakes = self._coordinated(sent, pool)
                merged = list(dict.fromkeys(e for g in stakes for e in g.entities))
                return merged, pool[-1], False
            if pool:
                return pool[-1].entities, pool[-1], False
        for role in roles:
            if role in PRONOUN_ROLES:
                ref = self._pronoun_company(sent, role, lo, match.head, ctx, exclude_ids)
                if ref is not None:
                    return [ref], None, True
        return [], None, False

    def _sells_unnamed_shares(self, sent: Sentence, seller: Group, match: TriggerMatch) -> bool:
        """`B로부터 지분 25%를 넘겨받아`, `B로부터 경영권을 넘겨받았다`: what is bought from the
        seller is shares or control of a company the clause does not name, with no noun
        before them (`B로부터 … 가스전 지분을`: an asset's; `B가 세우는 중간지주사 지분을`: an
        unnamed subsidiary's, its owner's; GUIDELINES)."""
        if any(g.entities and seller.stop <= g.first < match.first for g in sent.groups):
            return False
        return any((sent.form(i) in self._share_words or _control_at(sent, i))
                   and normalize_tag(sent.tag(i - 1)) not in NOUN_TAGS
                   and self._object_ends(sent, i, match.first)
                   for i in range(seller.stop, match.first))

    def _own_subject(self, sent: Sentence, after: int, head: int) -> bool:
        """`A는 장비를 개발해 왔고, 이 장비로 만든 HBM이 C로 넘어가면서`: a clause (after a
        connective ending that follows the subject found at `after`) whose own `이/가`
        subject is a thing (not a company, a word for one, a holder, shares or control)
        does not take that subject. A subject inside a relative clause (`정부가 승인한 B를`)
        is not the clause's own."""
        start = next((i for i in range(head - 1, after - 1, -1) if sent.tag(i) == "EC"), None)
        if start is None:
            return False
        covered = {i for g in sent.groups for i in range(g.first, g.stop)}
        for i in range(start + 2, head):
            noun = i - 1
            if sent.tag(i) != "JKS" or noun in covered or sent.tag(noun) not in NOUN_TAGS:
                continue
            # (a word for a company, a holder or an owner, shares or control: `경영권이 B로`,
            # `최대주주가 B로 바뀌었다` tell of the company itself)
            # (Kiwi may cut the word: 경영/NNG 권/XSN, 최대/NNG 주주/NNG)
            if sent.form(noun) in self._subject_standins \
                    or sent.form(noun - 1) + sent.form(noun) in self._subject_standins \
                    or normalize_tag(sent.tag(noun)) == "NP":
                continue
            if any(sent.tag(k) == "ETM" for k in range(i + 1, head)):
                continue
            return True
        return False

    def _own_object(self, sent: Sentence, lo: int, head: int, exclude: list[int]) -> bool:
        """`A는 B를 사들였고, C는 지난해 투비를 인수했다`: a clause with a subject and an
        object of its own (a `을/를` after no company, no pronoun, no stake: `나머지 지분을`
        is the earlier company's) borrows no company object from an earlier clause."""
        if not any(g.role in SUBJECT_GROUPS and lo <= g.first < head and id(g) not in exclude
                   for g in sent.groups):
            return False
        stops = {g.stop for g in sent.groups}
        for i in range(max(lo, 1), head):
            if sent.tag(i) != "JKO" or i in stops:
                continue
            noun = i - 1   # (`지분 76%를`: the noun before the count)
            while noun > lo and sent.tag(noun) in ("SN", "NR", "SW", "NNB", "SSO", "SSC"):
                noun -= 1
            if normalize_tag(sent.tag(noun)) != "NP" and sent.form(noun) not in self._stakes:
                return True
        return False

    def _pronoun_company(self, sent: Sentence, role: str, lo: int, head: int, ctx: _Context,
                         exclude_ids: tuple[str, ...]) -> str | None:
        """`GS리테일은 이 회사에 지분 투자를 했다`: `이 회사` in the role is the company the
        text was just about."""
        for i in range(max(lo, 1), min(head, len(sent.units) - 1)):
            if sent.form(i) not in self._pronoun_nouns:
                continue
            same = i >= 2 and sent.form(i - 2) in self._pronoun_adjectives \
                and sent.tag(i - 1) == "ETM"
            if (same or sent.form(i - 1) in self._pronoun_determiners
                    and sent.tag(i - 1) in ("MM", "NNG")) \
                    and self.role_of(sent, i + 1, i)[0] == role:
                # (`같은 회사에 … 투자하기로 한`: the same company as `이 회사`)
                return self._antecedent(sent, i - 2 if same else i - 1, ctx, exclude_ids)
        return None

    def _pronoun_subject(self, sent: Sentence, head: int, ctx: _Context,
                         exclude_ids: tuple[str, ...]) -> str | None:
        """`B를 세웠고, 이 회사는 이후 C에 인수돼`: a topic `이 회사는` after an earlier clause
        of its sentence named a company other than its subject points back to that one."""
        for i in self._topic_nouns(sent, head):
            if sent.form(i) in self._pronoun_nouns and i >= 1 \
                    and sent.form(i - 1) in self._pronoun_determiners \
                    and sent.tag(i - 1) in ("MM", "NNG"):
                earlier = [g for g in sent.groups if g.stop <= i - 1 and g.entities
                           and g.role not in ("TOPIC", "SUBJ", "GEN")]
                # (`다우그룹 계열인 이 회사는`: the group it belongs to describes it)
                if earlier and sent.form(earlier[-1].stop) not in self._affiliates:
                    return self._antecedent(sent, i - 1, ctx, exclude_ids)
        return None

    def _turn(self, sent: Sentence, match: TriggerMatch) -> int | None:
        """The contrast ending (`-지만`, `-으나`, `-다가`) that closes the trigger's clause,
        when the clause's first ending is one; else None."""
        for i in range(match.stop, min(match.stop + 6, len(sent.units))):
            if sent.tag(i) in ("EF", "SF"):
                return None
            if sent.tag(i) == "EC" and sent.form(i) in self._contrast:
                return i
        return None

    def _talks_ended(self, sent: Sentence, match: TriggerMatch) -> bool:
        """`인수를 검토하다 … 논의를 멈췄다`: talks its sentence goes on to end."""
        turn = self._turn(sent, match)
        return turn is not None and any(sent.form(i) in self._talks_end
                                        for i in range(turn + 1, len(sent.units)))

    def _ended_date(self, sent: Sentence, match: TriggerMatch, date: str | None,
                    reference: dt.date | None) -> str | None:
        """`3월부터 협상을 벌였지만 … 9월 초 협상 중단을 통보했다`: talks whose clause turns
        (`-지만`, `-으나`, `-다가`) to a later date on which they ended are dated by that end
        (GUIDELINES: ended talks are dated by the announcement that they ended)."""
        turn = self._turn(sent, match)
        if turn is None:
            return None
        # (`본입찰 당일 발을 빼`: a day that points back to the time told is no date of its own)
        dates = [d for d in usable_dates(sent, self.rules.date_skips, reference)
                 if d.first > turn
                 and sent.text_between(d.start, d.end).replace(" ", "") not in self._same_day]
        for n, d in enumerate(dates):
            end = dates[n + 1].first if n + 1 < len(dates) else len(sent.units)
            if (date is None or d.value >= date) \
                    and any(sent.form(i) in self._talks_end for i in range(d.stop, end)):
                return d.value
        return None

    @staticmethod
    def _paragraph_subject(sent: Sentence, ctx: _Context) -> str:
        """The dropped subject: the last topic, except that a paragraph opening with no
        subject goes on with the company the previous paragraph was about, not with one its
        last sentence named in passing (`… 스카이레이크가 2대 주주에 올랐다.⏎이에 앞서 2023년
        3월에는 현대차와 MOU를 맺었다`)."""
        if ctx.opening is not None and _opens_paragraph(sent, ctx):
            ctx.opening_used = True
            return ctx.opening
        return ctx.topics[-1]

    @staticmethod
    def _antecedent(sent: Sentence, at: int, ctx: _Context,
                    exclude_ids: tuple[str, ...]) -> str | None:
        """The company `이 회사` points back to: the last one named before it in this sentence
        or the one before that is not a subject (`A는 B 지분을 확보했다. 이 회사로부터 …`: B;
        `B에는 C가 들어왔다. D는 이 회사 주식을 …`: B), else the last topic."""
        # (in its own sentence not the clause's subject: `A는 이 회사에 투자했다`)
        earlier = [g for g in sent.groups if g.stop <= at and g.role not in ("TOPIC", "SUBJ")]
        if sent.index > 0:
            earlier = [*ctx.sentences[sent.index - 1].groups, *earlier]
        for group in reversed(earlier):
            if group.role in ("SUBJ", "GEN") or not group.entities:
                continue
            ids = [e for e in group.entities if e not in exclude_ids]
            if ids:
                return ids[0]
        return next((t for t in reversed(ctx.topics) if t not in exclude_ids), None)

    @staticmethod
    def _object_with_do(sent: Sentence, lo: int, head: int, exclude: list[int]) -> list[Group]:
        """`CJ그룹은 계열사 CJ헬로도 LG유플러스에 매각했다`: after the clause's topic, a second
        name marked `도` before a verb that takes an object is that object (`B도` = B too)."""
        before = [g for g in sent.groups if lo <= g.first < head and id(g) not in exclude]
        for k, g in enumerate(before):
            if g.role == "TOPIC" and sent.form(g.stop) == "도" \
                    and any(h.role in ("TOPIC", "SUBJ") for h in before[:k]):
                return [g]
        return []

    @staticmethod
    def _also_object(sent: Sentence, group: Group, match: TriggerMatch, ctx: _Context) -> bool:
        """`(완다는 …) 지난해에는 호이츠도 품었다`: the only name of a clause whose verb takes
        an object, marked `도` with no object after it, is what the company the text is about
        bought too; the buyer is that company."""
        rule = match.rule
        if not (rule.asymmetric and "OBJ" in rule.partners and group.role == "TOPIC"
                and sent.form(group.stop) == "도" and len(group.entities) == 1 and ctx.topics
                and ctx.topics[-1] not in group.entities):
            return False
        if any(g.role in ("TOPIC", "SUBJ") and g is not group and g.first < match.head
               for g in sent.groups):
            return False
        # (`월마트도 협상을 벌였지만`, `하파그로이드도 인수의향서를 냈다`: the verb has its own
        # object, the `도` name is its subject)
        for i in range(group.stop + 1, len(sent.units)):
            tag = sent.tag(i)
            if tag in ("JKO", "JKB"):
                return False
            if tag in ("VV", "XSV") and i >= match.first:
                return True
        return False

    @staticmethod
    def _counted_each(sent: Sentence, pool: list[Group]) -> bool:
        """`HD현대중공업에 8척, 한화오션에 4척`: every `에` company is followed by its own count."""
        return all(g.stop + 1 < len(sent.units) and sent.tag(g.stop + 1) == "SN"
                   for g in pool)

    @staticmethod
    def _coordinated(sent: Sentence, pool: list[Group]) -> list[Group]:
        """The last group and the ones before it joined by `와/과` or `,` with only nouns,
        numbers and brackets between (no predicate closes a clause)."""
        chain = [pool[-1]]
        for prev in reversed(pool[:-1]):
            between = range(prev.stop, chain[0].first)
            joined = False
            for i in between:
                tag, form = sent.tag(i), sent.form(i)
                if form in (",", "와", "과") and tag in ("SP", "JC", "JKB"):
                    joined = True
                elif tag not in NOUN_TAGS and tag not in ("SW", "SSO", "SSC", "SP", "JKG"):
                    return chain
            if not joined:
                return chain
            chain.insert(0, prev)
        return chain

    def _target_named(self, sent: Sentence, lo: int, head: int) -> bool:
        """A non-company `…에` target in the clause (`AI 영역에 투자`), other than a round."""
        covered = {i for g in sent.groups for m in g.mentions for i in range(m.first, m.stop)}
        # (nor a time: `지난해 11월에는 네이버가 40억원을 넣으며`)
        covered |= sent.date_units()
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
        second_ids, second_group, ctx2 = self._pick(sent, second_roles, match, lo, exclude,
                                                    ctx, tuple(first_ids))
        if ctx2 and second_ids and second_ids[0] in first_ids:
            second_ids = [t for t in reversed(ctx.topics) if t not in first_ids][:1]
        partners, company = (first_ids, second_ids) if partner_first else \
            (second_ids, first_ids)
        partner_group = first_group if partner_first else second_group
        company_group = second_group if partner_first else first_group
        if rule.asymmetric and company and (company_group is None
                                            or company_group.role in SUBJECT_GROUPS):
            # (`A는 B와 공동으로 보유한 지분을 C에 매각`: B sells with A, it is no buyer)
            company = [*company, *self._along(sent, lo, match.head)]
        if "MAIN" in rule.partners and company and company_group is not None:
            # `A가 주도한 시리즈B에는 B 등이 참여했다`: the round's lead invests too
            company = [*company, *(e for g in sent.groups if g.role_rule == "role.round_lead"
                                   and lo <= g.first < match.head for e in g.entities)]
        partners = [p for p in dict.fromkeys(partners) if p not in company]
        if rule.type == "ACQUISITION" and company and not partners:
            # `A는 B가 보유한 주식을 C에 넘기는 계약이 체결됐다고 공시했다`: A's shares
            held = rule.sells_topic_shares and (any(
                g.role_rule in ("role.holder", "role.holder.have") for g in sent.groups)
                or self._held_by_someone(sent, match.head, self._holder_verbs))
            partners = self._disclosing_topic(sent, company_group, company, held)
            if not partners:
                partners = self._asset_holder(sent, match, lo, company)
        if rule.type == "ACQUISITION" and partner_group is not None \
                and partner_group.role == "WITH" and self._shares_named(sent, lo, match):
            # `A는 B와 지분 22%를 사들이는 계약을 맺었다`: B sells a stake in a company the
            # clause does not name; `B와 신주 인수 계약`: which side buys, 와 does not say
            partners, partner_group = [], None
        company_from_context = ctx2 if partner_first else ctx1
        core = any(g.role == "CORE" for g in sent.groups if g.first < match.head)
        if rule.type == "MERGER" and partner_group is not None and partner_group.role == "OBJ" \
                and len(partner_group.entities) > 1 and not core:
            # `두산은 두산로보틱스와 두산밥캣을 합병`: the parent merges the two, it is no party
            company, partners = partner_group.entities[:1], partner_group.entities[1:]
            company_from_context = False
        paired = partner_group is not None and partner_group.role == "GEN" \
            and match.first - partner_group.stop <= 1
        if (not company or paired and company_from_context) and not rule.asymmetric \
                and len(partners) > 1 and partner_group is not None and (
                    paired
                    or partner_group.role == "WITH" and self._subject_blocked(sent, match.head)):
            # `울산시는 A, B, C와 협약을 맺었다`: the city is no party; the companies that
            # sign make the deal among themselves (`금융위는 하나은행과 외환은행의 합병을
            # 인가했다`: the pair named before the deal)
            company, partners = partners[:1], partners[1:]
        if rule.one_holder:
            company, partners = self._rank_sides(sent, match, company_group, partners)
        if rule.target_side and company == [ctx.target] and partners:
            # `극동건설은 B 컨소시엄과 인수합병을 위한 투자계약을 맺었다`: the company being sold
            # signs with its buyers
            company, partners = partners, company
        sides = _Sides(list(dict.fromkeys(company)), partners, company_from_context, partner_group,
                       second_group if partner_first else first_group)
        self._complete(sent, match, lo, ctx, sides)
        if rule.type == "ACQUISITION" and len(sides.company) == 1 and not sides.partners:
            self._signed_with_buyer(sent, match, lo, ctx, sides)
        return sides

    @staticmethod
    def _rank_sides(sent: Sentence, match: TriggerMatch, holder: Group | None,
                    partners: list[str]) -> tuple[list[str], list[str]]:
        """A rank one company holds (`B가 최대주주다`): its holder is the company written
        right before it, the last of a list (`A, B가 최대주주인 C`); told in a relative
        clause it is the rank in the company the clause describes, past a few nouns of kind
        (`B가 대주주인 자율주행 기업 C에`), else in the topic only when the clause describes
        the topic's predicate noun (`A는 B가 최대주주인 증권사다`)."""
        if holder is None or holder.stop != match.first:
            return [], []   # (`A는 김 회장이 최대주주인 그룹으로`: a person, no company)
        company = holder.entities[-1:]
        if sent.tag(match.stop) != "ETM":
            return company, partners
        k = match.stop + 1
        while k < len(sent.units) and k - match.stop <= MAX_KIND_NOUNS \
                and normalize_tag(sent.tag(k)) in NOUN_TAGS:
            head = next((g for g in sent.groups if g.first == k), None)
            if head is not None:
                return company, head.entities[:1]
            k += 1
        return (company, partners) if sent.tag(k) == "VCP" or sent.form(k) in ("로", "으로") \
            else ([], [])

    @staticmethod
    def _signed_with_buyer(sent: Sentence, match: TriggerMatch, lo: int, ctx: _Context,
                           sides: _Sides) -> None:
        """`SKC가 필름사업을 한앤컴퍼니에 팔기로 했다. … 같은 날 한앤컴퍼니와 주식매매계약(SPA)에
        서명했다`: a seller signing with the buyer of a sale stated before signs that sale."""
        seller = sides.company[0]
        named = [e for g in sent.groups if g.role == "WITH" and lo <= g.first < match.head
                 for e in g.entities]
        for st in reversed(ctx.statements):
            if st.type == "ACQUISITION" and st.company in named and seller in st.partners:
                sides.company, sides.partners = [st.company], [seller]
                sides.from_context = False
                return

    def _asset_holder(self, sent: Sentence, match: TriggerMatch, lo: int,
                      company: list[str]) -> list[str]:
        """`A는 B가 갖고 있던 역삼 빌딩을 2580억원에 매입했다`: a plant, a building or a
        business bought from the company whose relative clause holds it; that owner is the
        partner (GUIDELINES: the owner of the unit). Shares held are no asset: their
        company is the one bought (`B가 보유한 지분을 인수`, the text's topic); nor is a
        company whose name went unfound (`B가 갖고 있던 화장품 업체 C를`)."""
        for g in sent.groups:
            if not (g.role == "SUBJ" and lo <= g.first < match.head and g.entities
                    and not set(g.entities) & set(company)
                    and self._holder_clause(sent, g.stop, match.head)):
                continue
            close = DealRules._closing_adnominal(sent, g.stop, match.head) or g.stop
            held = [sent.form(k) for k in range(close, match.head)
                    if sent.tag(k).startswith("NN")]
            if any(w in self._not_assets for w in held):
                return []
            return g.entities
        return []

    @staticmethod
    def _held_by_someone(sent: Sentence, head: int, verbs: frozenset[str]) -> bool:
        """`최대주주인 김 회장이 가진 지분 전량을 C에 넘기는`: shares a holder (a person, here)
        holds, named by a relative clause before the trigger."""
        for i in range(min(head, len(sent.units) - 2)):
            if sent.form(i) in verbs and (
                    sent.tag(i + 1) == "ETM"
                    or (sent.form(i + 1) == "하" and sent.tag(i + 2) == "ETM")):
                return True
        return False

    @staticmethod
    def _disclosing_topic(sent: Sentence, company_group: Group | None,
                          company: list[str], stake_sale: bool = False) -> list[str]:
        """`B는 A가 … 지분을 인수하기로 했다고 공시했다`, `B는 … 주식을 A에 넘기는 계약이
        체결됐다고 공시했다`: a buyer named inside the sentence of a topic company, with no
        other partner, buys the topic."""
        if company_group is None or company_group.role not in ("SUBJ", "TO") or (
                company_group.role == "TO" and not stake_sale):
            return []
        topics = [g for g in sent.groups if g.role == "TOPIC" and g.first < company_group.first]
        if len(topics) != 1:
            return []
        return [e for e in topics[0].entities if e not in company]

    @staticmethod
    def _along(sent: Sentence, lo: int, head: int) -> list[str]:
        """`A는 B, C와 함께 D를 인수했다`: B and C are buyers with A."""
        groups = [g for g in sent.groups if g.role == "ALONG" and g.first < head]
        near = [g for g in groups if g.first >= lo] or groups
        return [e for g in near for e in g.entities]

    def _series_company(self, sent: Sentence, head: int, ctx: _Context) -> str | None:
        """`닌텐도와는 … 서명했다` with no subject: the next partner of the company whose deal
        was just stated (`와는`/`와도` set this partner beside the previous one)."""
        if not ctx.statements:
            return None
        last = ctx.statements[-1]
        for group in sent.groups:
            if group.first >= head or group.role not in ("WITH", "ALONG"):
                continue
            after = sent.form(group.stop + 1) if sent.form(group.stop) in ("와", "과") else ""
            if sent.tag(group.stop + 1) == "JX" and after in ("도", "는") \
                    and last.company not in group.entities:
                return last.company
        return None

    @staticmethod
    def _unnamed_partner(sent: Sentence, lo: int, head: int) -> bool:
        """`A와 B가 해외 스타트업과 손을 잡는`, `미국과 손잡고`: a partner written as a noun
        that is no company before the trigger, so the subjects are no pair of each other and
        the partner is not the company the text is about."""
        return any(sent.tag(i) == "JKB" and sent.form(i) in ("와", "과")
                   and normalize_tag(sent.tag(i - 1)) in ("NNG", "NNP")
                   and not any(g.first <= i <= g.stop for g in sent.groups)
                   for i in range(max(lo, 1), min(head, len(sent.units))))

    def _complete(self, sent: Sentence, match: TriggerMatch, lo: int, ctx: _Context,
                  sides: _Sides) -> None:
        """Fill a missing partner from the sentence's or the article's other clues."""
        rule = match.rule
        if sides.partners:
            return
        # `A와 B는 … 의향서에 각각 서명했다`: each signed on its own, not with each other
        if not rule.asymmetric and not any(
                sent.form(i) in self._each
                for i in range(max(lo, match.first - 3), min(match.stop + 1, len(sent.units)))) \
                and not self._unnamed_partner(sent, lo, match.head):
            pairs = [g for g in sent.groups if g.role in ("TOPIC", "SUBJ")
                     and g.first < match.head and len(g.entities) > 1]
            if pairs:  # `A와 B가 합병한다`
                ids = pairs[-1].entities
                sides.company, sides.partners, sides.from_context = ids[:1], ids[1:], False
                sides.members_only = self._consortium_group(sent, pairs[-1])
                return
            if len(sides.company) > 1:
                sides.company, sides.partners = sides.company[:1], sides.company[1:]
                sides.members_only = self._consortium_group(sent, sides.company_group)
                return
            if self._pair_subject(sent, match.head) and not self._thing_object(sent, match):
                pair = self._previous_pair(sent, ctx, deal_pair=True)
                if pair:
                    sides.company, sides.partners = pair[:1], pair[1:]
                    return
                if ctx.statements:
                    last = ctx.statements[-1]
                    sides.company, sides.partners = [last.company], list(last.partners)
                    return
        if rule.subject_pair and len(sides.company) > 1 \
                and not self._unnamed_partner(sent, lo, match.head):  # `A와 B는 … 결의했다`
            sides.company, sides.partners = sides.company[:1], sides.company[1:]
            return
        held = self._held_just_before(sent, ctx) \
            if "CONTEXT" in rule.partners and rule.standing else None
        if held and sides.company and not set(held) & set(sides.company) \
                and not self._ends_relative(sent, match):
            # `A는 B 지분 38%를 가진 최대주주다. 2대 주주는 C다`: a holder of the company
            # whose holders the sentence before began to list
            sides.partners, sides.from_context = held, True
            return
        # (not for a relative clause: `손을 잡은 거래도 있다` only announces deals to come)
        if "CONTEXT" in rule.partners and rule.standing and sides.company \
                and not sides.from_context and ctx.main and ctx.main not in sides.company \
                and not self._ends_relative(sent, match):
            # (`주요 주주는 A(8.86%), B(6.97%) 등이다`: holders of the company the article is
            # about)
            sides.partners, sides.from_context = [ctx.main], True
            return
        if "CONTEXT" in rule.partners and len(sides.company) == 1 and not sides.from_context \
                and ctx.topics and ctx.topics[-1] not in sides.company \
                and not self._ends_relative(sent, match) \
                and not self._unnamed_partner(sent, lo, match.head) \
                and (rule.standing
                     or not any(set(g.entities) - set(sides.company) for g in sent.groups)):
            # (`A는 B와 손잡고 …, C와도 손을 잡았다`: a company the sentence names beside the
            # subject is the likelier partner than the one the text is about)
            sides.partners, sides.from_context = [ctx.topics[-1]], True
            return
        owner = ctx.round_owner
        if "MAIN" in rule.partners and owner and owner not in sides.company and sides.company \
                and not sides.from_context and not self._target_named(sent, lo, match.head):
            sides.partners, sides.from_round = [owner], True
            return
        group = sides.company_group
        if rule.asymmetric and sides.company and group is not None and ctx.statements \
                and sent.form(group.stop) == "도" \
                and any(sent.form(i) in self._also for i in range(group.stop, match.head)):
            # `두산에너빌리티도 500만달러를 함께 투자한다`: into what the last deal went into
            last = ctx.statements[-1]
            if last.type == rule.type and not set(last.partners) & set(sides.company):
                sides.partners = list(last.partners)
            return
        if not rule.asymmetric and sides.company and group is not None and ctx.statements \
                and sent.form(group.stop) == "도":
            # `도쿄가스도 … 의향서를 체결했다`: with whom the deal just told was made
            last = ctx.statements[-1]
            near = ctx.sentences[max(0, sent.index - 2)].start <= last.evidence[0]
            if near and last.type == rule.type and last.company not in sides.company \
                    and not set(last.partners) & set(sides.company):
                sides.partners, sides.from_context = list(last.partners), True
            return
        if rule.type in _STAKE_TYPES and not rule.standing and len(sides.company) == 1 \
                and not sides.from_context and self._bare_stake(sent, lo, match.head):
            # `인텔은 지난달 지분 15%를 약 25억유로에 확보했다`: a stake of the company being
            # sold in the story, else of the company the article is about
            owner = ctx.target or ctx.main
            if owner and owner not in sides.company:
                sides.partners, sides.from_context = [owner], True

    def _bare_stake(self, sent: Sentence, lo: int, head: int) -> bool:
        """`지난달 지분 15%를 확보하고`: a stake whose owner the clause does not name (no
        company but the subject's, no word before `지분` but a date's or a particle: not
        `이 회사 지분`, `사업 지분`, `나머지 지분`)."""
        if any(g.first >= lo and g.first < head and g.role not in ("TOPIC", "SUBJ")
               for g in sent.groups) or self._unnamed_partner(sent, lo, head):
            return False
        in_date = sent.date_units()
        for i in range(lo, head):
            if sent.form(i) in self._stakes and self._percent_after(sent, i, 1)[0]:
                before = normalize_tag(sent.tag(i - 1)) if i > 0 else ""
                return i - 1 in in_date or before == "SP" \
                    or (before[:1] in ("J", "E", "M") and before != "JKG")
        return False

    @staticmethod
    def _held_just_before(sent: Sentence, ctx: _Context) -> list[str] | None:
        """The companies held in a holding stated by the sentence just before, in the same
        paragraph (`A는 B 지분 38%를 가진 최대주주다`), else None."""
        if not ctx.statements:
            return None
        last = ctx.statements[-1]
        if not last.holding or last.type != "INVESTMENT" or not last.partners:
            return None
        k = _index_of(sent, ctx.sentences)
        if k == 0:
            return None
        prev = ctx.sentences[k - 1]
        if prev.line != sent.line or last.evidence != (prev.start, prev.end):
            return None
        return list(last.partners)

    def _ends_relative(self, sent: Sentence, match: TriggerMatch) -> bool:
        """The trigger's verb ends in an adnominal ending that opens a noun it describes
        (`손을 잡은 거래도 있다`), not the `-ㄴ 바 있다` of a past event (`확보한 바 있다`)."""
        end = self._predicate_end(sent, match)
        if sent.tag(end) != "ETM":
            return False
        return not (end + 1 < len(sent.units) and sent.form(end + 1) in ("바", "적")
                    and sent.tag(end + 1) == "NNB")

    @staticmethod
    def _predicate_end(sent: Sentence, match: TriggerMatch) -> int:
        """The unit after the trigger's verb and its pre-final endings (`잡|았|다`: `다`)."""
        i = match.stop
        while i < len(sent.units) and sent.tag(i) in ("EP", "VX", "XSV"):
            i += 1
        return i

    # --- statements ---------------------------------------------------------------

    def _status(self, sent: Sentence, match: TriggerMatch) -> str | None:
        rule = match.rule
        if rule.status != "tense":
            decided, _ = tense_status(sent, match.stop, [
                r for r in self.rules.statuses if r.value == "NEGATED"])
            return None if decided == "NEGATED" else rule.status
        decided, _ = tense_status(sent, match.stop, self.rules.statuses, rule.manner)
        if decided == "NEGATED":
            return None
        status = decided or rule.default_status
        return rule.status_map.get(status, status)

    def _stake_percent(self, sent: Sentence, lo: int, head: int) -> float | None:
        """`지분 80%`, `주식 100%`: the stake named in the clause, if any (`지분 전량`, `주식
        전부`: 100 %)."""
        whole = self._whole_stake
        for i in range(max(lo, head - 24), head + 1):
            if sent.form(i) not in ("지분", "주식"):
                continue
            if sent.form(i + 1) in whole:
                return 100.0
            found, percent = self._percent_after(sent, i, 4 if sent.form(i) == "지분" else 2)
            if found:
                # (`지분 17.5%를 추가로 인수해 지분율을 67.5%로`: the stake the buyer ends with)
                reached = self._stake_reached(sent, head)
                return reached if reached is not None and percent is not None \
                    and reached > percent else percent
        return self._stake_reached(sent, head)

    @staticmethod
    def _percent_after(sent: Sentence, at: int, reach: int) -> tuple[bool, float | None]:
        """The percentage within `reach` units after `지분` at `at`: (found, value)."""
        for j in range(at + 1, min(at + 1 + reach, len(sent.units) - 1)):
            if sent.tag(j) == "SN" and sent.form(j + 1) in ("%", "퍼센트", "프로"):
                try:
                    return True, float(sent.form(j).replace(",", ""))
                except ValueError:
                    return True, None
        return False, None

    @staticmethod
    def _stake_reached(sent: Sentence, head: int) -> float | None:
        """`주식 95만주를 사들여 지분 7.17%를 확보했다`, `… 추가로 인수해 지분율을 67.5%로
        끌어올렸다`: the stake the purchase ends with, named right after the trigger in the
        same sentence."""
        dated = sent.date_units()
        for i in range(head + 1, min(head + 8, len(sent.units) - 1)):
            if sent.tag(i) in ("EF", "SF") or i in dated:
                return None   # (`22%를 사들인 데 이어 2020년 지분율을 67%로`: a later deal)
            if sent.form(i) in ("지분", "지분율"):
                return DealRules._percent_after(sent, i, 3)[1]
        return None

    def _shares_named(self, sent: Sentence, lo: int, match: TriggerMatch) -> bool:
        """Shares (`지분`, `주식`, `신주`) named in the clause up to the trigger."""
        return any(sent.form(i) in self._share_words for i in range(lo, match.stop))

    def _share_kind(self, sent: Sentence, lo: int, head: int, stop: int) -> str | None:
        """"old" for shares bought from their holders (`X가 보유한 지분`, `구주`, `지분 전량`,
        `B로부터 … 지분을`), "new" for newly issued ones (`신주`, `유상증자`, `새로 발행하는
        주식`) and for bonds however bought (`CB를 전량`, words `bonds`), else None."""
        first = max(lo, stop - 24)
        forms = [sent.form(i) for i in range(first, stop)]
        if not self._bonds.isdisjoint(forms):
            return "new"   # `B가 발행한 CB를 전량 인수했다`: a bond bought whole is new money
        for i, form in enumerate(forms):
            if form in self._old_shares and (
                    form not in ("보유", "가지", "갖")   # held: `보유한`, `가진`, `보유 지분`
                    or sent.tag(first + i + 1) == "ETM" or sent.tag(first + i + 2) == "ETM"
                    or sent.form(first + i + 1) in ("지분", "주식")
                    # `갖고 있던`, `보유하고 있는`
                    or any(sent.form(k) == "있" and sent.tag(k + 1) == "ETM"
                           for k in range(first + i + 1, min(first + i + 5, stop)))):
                return "old"
            if self._rest_of_shares(sent, first + i):
                return "old"   # `나머지 지분 49%를 사들였다`: bought from the other holders
        if any(form in self._new_shares for form in forms):
            return "new"
        if any(g.role == "FROM" and g.entities and lo <= g.first < head for g in sent.groups):
            return "old"  # `A는 B로부터 C 지분 17%를 사들였다`: bought from a named holder
        for i in range(first + 1, stop):
            # `창업주 일가로부터`, `최대주주 일가의 지분`: bought from a holder named by role
            if sent.form(i - 1) in self._holders and (
                    sent.form(i) in ("로부터", "으로부터", "에게서", "의")
                    or (sent.form(i) in ("로", "으로") and sent.form(i + 1) == "부터")):
                return "old"
        return None

    def _rights_bought(self, sent: Sentence, lo: int, match: TriggerMatch) -> bool:
        """The object bought is a right, a patent or a licence (words `rights`), and no
        stake or business is named with it."""
        window = range(max(lo, match.first - 8), match.first)
        # (`사업권`, `판권` as Kiwi cuts them, 사업/NNG 권/XSN: one word, a right)
        forms = [sent.form(i) + "권" if sent.form(i + 1) == "권" and sent.tag(i + 1) == "XSN"
                 else sent.form(i) for i in window
                 if not (sent.form(i) == "권" and sent.tag(i) == "XSN")]
        if sent.tag(match.stop) == "ETM" and sent.tag(match.stop + 2) == "VCP":
            forms.append(sent.form(match.stop + 1))   # `… 사들인 물질이다`: what was bought
        # (`원천기술 일체를`, `기술과 인력을`, `상표권을`: a technology or a mark as what is
        # bought, not a word describing a company bought, `기술 기업을`)
        # (not `기술을 가진 수퍼톤을 편입했다`: a relative clause after it describes a company)
        headed = any(sent.form(i) in self._rights_heads
                     and (sent.tag(i + 1) in ("JKO", "JC") or sent.form(i + 1) in _HEAD_ENDS)
                     and not any(sent.tag(k) == "ETM" for k in range(i + 1, match.first))
                     for i in range(max(lo, match.first - 12), match.first))
        return (headed or any(f in self._rights for f in forms)) and \
            not any(f in self._stakes or f in self._share_words for f in forms)

    def _type(self, sent: Sentence, match: TriggerMatch, lo: int) -> str:
        """A stake is an acquisition when bought from its holders or 50 % or more, an
        investment when newly issued or a minority (ANNOTATION.md §4)."""
        rule = match.rule
        if rule.type == "ACQUISITION" and self._rights_bought(sent, lo, match):
            return "CONTRACT"   # `B로부터 신약의 일본 권리를 사들였다`: rights, not a company
        if rule.minority is None and rule.majority is None:
            return rule.type
        percent = self._stake_percent(sent, lo, match.head)
        kind = self._share_kind(sent, lo, match.head, match.stop)
        if kind is None and rule.sells_topic_shares:
            kind = "old"  # `A는 B 지분 40%를 C에 넘겼다`: shares bought from their holder, A
        control = any(_control_at(sent, i) for i in range(max(lo, match.first - 8), match.stop)) \
            or self._made_subsidiary(sent, lo, match)
        if kind == "old" or control or (percent is not None and percent >= 50):
            # (`지분 약 30%와 경영권을 사들이면서`: control bought is an acquisition)
            return rule.majority or rule.type
        if kind == "new" or percent is not None or self._minor_holder(sent, lo, match) \
                or self._bare_shares(sent, lo, match):
            return rule.minority or rule.type
        return rule.type

    @staticmethod
    def _made_subsidiary(sent: Sentence, lo: int, match: TriggerMatch) -> bool:
        """`지분율을 44.64%로 끌어올려 연결 자회사로 편입했다`: the stake reached makes the
        company a subsidiary, so it is a takeover whatever its size."""
        return any(sent.form(i) == "자회사" and sent.form(i + 1) in ("로", "으로")
                   for i in range(max(lo, match.first - 3),
                                  min(match.stop + 8, len(sent.units) - 1)))

    @staticmethod
    def _object_ends(sent: Sentence, at: int, stop: int) -> bool:
        """The noun phrase at `at` is the object of the verb at `stop`: its first particle is
        `을/를` and no verb comes between (`자사 주식 4억유로어치를 주고 사들였다`: shares
        given, not bought)."""
        for j in range(at + 1, stop):
            tag = sent.tag(j)
            if tag == "JKO":
                return not any(sent.tag(k).startswith(("V", "E")) for k in range(j + 1, stop))
            if tag.startswith(("J", "E", "V")):
                return False
        return False

    def _bare_shares(self, sent: Sentence, lo: int, match: TriggerMatch) -> bool:
        """`워너브러더스 주식을 사들인 뒤`, `PTI 지분을 사들이며`: shares bought (`사들이다`,
        `매입하다`; `인수하다` is as often a takeover) with no size, seller or control named
        are a minority stake (GUIDELINES: market purchases), unless the sentence makes the
        company a subsidiary (`자회사로 편입했다`) or the shares are all that was left (`남은
        지분을 모두`)."""
        if not any(sent.form(i) in self._buy_verbs for i in range(match.first, match.stop)):
            return False
        # the shares are what is bought (`B 주식 20만주를`), not the means (`주식 교환 방식으로`)
        if not any(sent.form(i) in self._share_words and self._object_ends(sent, i, match.first)
                   for i in range(max(lo, match.first - 8), match.first)):
            return False
        return not any(sent.form(i) in self._control_words
                       or (sent.form(i) == "공개" and sent.form(i + 1) == "매수")  # a tender
                       for i in range(lo, len(sent.units)))

    def _minor_holder(self, sent: Sentence, lo: int, match: TriggerMatch) -> bool:
        """`지분 일부를 사들여`, `… 주식을 사들여 2대 주주에 올랐다`: with no share given, a part
        bought or a rank below the first reached makes the stake a minority one."""
        for i in range(max(lo, match.first - 6), min(match.stop + 8, len(sent.units))):
            form = sent.form(i)
            if form == "일부" and i > 0 and sent.form(i - 1) in self._share_words:
                return True
            if form == "주주" and i >= 2 and sent.tag(i - 1) in ("NNB", "NNG") \
                    and sent.form(i - 1) == "대" and sent.tag(i - 2) == "SN" \
                    and sent.form(i - 2) != "1":
                return True
        return False

    def _coordinated_date(self, sent: Sentence, match: TriggerMatch,
                          ctx: _Context) -> str | None:
        """`4700억원에 넘겨받기로 하고 지난 8월 … 합의서를 체결했다`: a trigger joined by `-고`/
        `-며` to a past-tense final clause takes the date of that clause."""
        coordinated = [i for i in range(match.stop, min(match.stop + 5, len(sent.units)))
                       if sent.tag(i) == "EC" and sent.form(i) in ("고", "며", "으며", "면서")]
        if not coordinated:
            return None
        end = next((i for i in range(coordinated[0], len(sent.units))
                    if sent.tag(i) == "EF"), None)
        if end is None or not any(sent.tag(i) == "EP" and sent.form(i) in ("었", "았", "였")
                                  for i in range(max(coordinated[0], end - 3), end)):
            return None
        dates = [d for d in usable_dates(sent, self.rules.date_skips, ctx.reference)
                 if coordinated[0] < d.first < end]
        return dates[0].value if dates else None

    def _each_partner(self, sent: Sentence, sides: _Sides) -> bool:
        """`부스터로이드, 유비투스와도 각각 … 계약을 맺었다`: one deal with each partner."""
        group = sides.partner_group
        if group is None or len(sides.partners) < 2:
            return False
        if group.role == "TO" and self._counted_each(sent, [group]):
            return True  # `B에 8척, C에 4척 발주`
        return any(sent.form(i) in self._each and not self._stake_each(sent, i)
                   for i in range(group.stop, group.stop + 4))

    def _signs_each(self, sent: Sentence, sides: _Sides, match: TriggerMatch,
                    matches: list[TriggerMatch], deal_type: str) -> bool:
        """`A는 B, C와 공급 계약을 맺었다`: each listed `와` partner signs its own contract —
        unless the sentence says they sign one together (`함께`, `3자 계약`, `컨소시엄`) or
        the contract is the paperwork of another deal told in it (`합작법인을 세우는 계약`)."""
        group = sides.partner_group
        return (deal_type in self._per_signer and match.rule.type == deal_type
                and group is not None and group.role == "WITH"
                and all(other.rule.type == deal_type for other in matches)
                and not any(sent.form(i) in self._joint_signing
                            or sent.form(i - 1) + sent.form(i) in self._joint_signing  # 3/SN 자
                            for i in range(1, len(sent.units))))

    @staticmethod
    def _stake_each(sent: Sentence, i: int) -> bool:
        """`A와 B의 지분을 각각 90%씩 … 인수`: `각각` tells the stake taken in each company,
        not a deal with each (one purchase of both)."""
        return DealRules._percent_after(sent, i, 1)[0]

    def _series(self, sent: Sentence, sides: _Sides, match: TriggerMatch, lo: int,
                asymmetric: bool = True) -> list[tuple[str, str | None, dict | None]]:
        """`A를 5억달러에, B를 4억달러에 잇달아 인수했다`, `2014년 A, 2015년 B를 차례로
        사들였다`, `A와 N억원, B와 M억원 규모의 계약을 각각 체결했다`: companies dealt with one
        after another are separate deals, each with the date before it and the amount after
        it. Empty unless a `series` word says so, or each company has a date of its own
        (`지난해 7월 A, 올해 8월 B와 협력 관계를 맺으며`)."""
        worded = any(sent.form(i) in self._series_words for i in range(lo, match.head))
        roles = ("OBJ",) if asymmetric else ("WITH", "ALONG")
        mentions = [m for g in sent.groups if g.role in roles and lo <= g.first < match.head
                    for m in g.mentions if m.entity and m.entity not in sides.company
                    and (asymmetric or m.entity in sides.partners)]
        if asymmetric and len({m.entity for m in mentions}) < 2:
            mentions = self._gapped_objects(sent, sides, lo, match.head) or mentions
        firsts: list[Mention] = []
        for mention in mentions:
            if all(mention.entity != m.entity for m in firsts):
                firsts.append(mention)
        if len(firsts) == 1 and worded and asymmetric:
            own = self._gapped_first(sent, firsts[0], match.head)
            if own is not None:
                return [(firsts[0].entity, own, None)]
        if len(firsts) < 2:
            return self._dated_series(sent, sides, lo, match.head) if worded else []
        out: list[tuple[str, str | None, dict | None]] = []
        for k, mention in enumerate(firsts):
            start = firsts[k - 1].stop if k else lo
            stop = firsts[k + 1].first if k + 1 < len(firsts) else match.head
            dates = [d.value for d in sent.dates if start <= d.first < mention.first
                     and isinstance(d.value, str)]
            if not dates and k and out and mention.first - start <= 1 \
                    and all(sent.form(i) in ("와", "과") for i in range(start, mention.first)):
                dates = [out[-1][1]] if out[-1][1] else []   # `2010년 A와 B, 2011년 C`: one date
            moneys = [m.value for m in sent.moneys if mention.stop <= m.first < stop
                      and isinstance(m.value, dict)]
            out.append((mention.entity, dates[-1] if dates else None,
                        moneys[0] if moneys else None))
        if not worded:
            dated = [date for _, date, _ in out]
            if None in dated or len(set(dated)) < len(dated):
                return []
        return out

    @staticmethod
    def _gapped_first(sent: Sentence, mention: Mention, head: int) -> str | None:
        """`2012년 A를, 2016년 B를 잇달아 인수해` where B is no company found: A is the
        first of objects bought one after another, each after its own date, and takes the
        date right before it; else None."""
        after = mention.stop
        if not (after + 1 < head and sent.tag(after) == "JKO" and sent.form(after + 1) == ","):
            return None
        if not any(d.first > after + 1 and d.first < head for d in sent.dates):
            return None  # the later objects have a date of their own
        dates = [d for d in sent.dates if d.first < mention.first]
        if not dates or mention.first - dates[-1].stop > 2 or not isinstance(dates[-1].value,
                                                                             str):
            return None
        return dates[-1].value

    @staticmethod
    def _gapped_objects(sent: Sentence, sides: _Sides, lo: int, head: int) -> list[Mention]:
        """`2017년에는 A의 경영권을, 올해 초에는 B의 경영권을 확보했다`, `A 지분 30%를, B 지분
        20%를 사들였다`: objects that end `을,` before the last one share its verb; the
        companies they name, then the partner of the last one."""
        conjuncts: list[Group] = []
        for group in sent.groups:
            if not lo <= group.first < head or not group.entities \
                    or set(group.entities) & set(sides.company):
                continue
            following = min((g.first for g in sent.groups if g.first > group.first), default=head)
            ending = next((j for j in range(group.first, min(following, head))
                           if sent.tag(j) == "JKO"), None)
            if ending is not None and ending - group.stop <= 6 and sent.form(ending + 1) == "," \
                    and not any(sent.tag(j) in ("JKS", "JX", "JKB")
                                for j in range(group.first, ending)):
                conjuncts.append(group)
        if not conjuncts:
            return []
        last = [m for g in sent.groups if conjuncts[-1].stop <= g.first < head
                for m in g.mentions if m.entity in sides.partners]
        if not last:
            return []
        return [g.mentions[0] for g in conjuncts] + last[-1:]

    @staticmethod
    def _dated_series(sent: Sentence, sides: _Sides, lo: int,
                      head: int) -> list[tuple[str, str | None, dict | None]]:
        """`7월 11일 77억원, 8월 25일 150억원 규모의 계약을 B와 차례로 맺었다`: one partner,
        one deal per date with the amount after it."""
        if len(sides.partners) != 1:
            return []
        dates = [d for d in sent.dates if lo <= d.first < head and isinstance(d.value, str)]
        out: list[tuple[str, str | None, dict | None]] = []
        for k, date in enumerate(dates):
            stop = dates[k + 1].first if k + 1 < len(dates) else head
            money = next((m.value for m in sent.moneys if date.stop <= m.first < stop
                          and isinstance(m.value, dict)), None)
            if money is None:
                return []
            out.append((sides.partners[0], date.value, money))
        return out if len(out) > 1 else []

    @staticmethod
    def _agreed_also(sent: Sentence, match: TriggerMatch) -> bool:
        """`같은 날 … 공급계약도 체결했다`: the agreement itself marked `도` (also) is one more
        deal of the pair, not the one told before; `… 파트너십도 함께 맺었다` signs it
        together with that one, as one package."""
        if any(form in ("함께", "동시에", "아울러") for form in sent.forms):
            return False
        return any(sent.form(i) == "도" and sent.tag(i) == "JX"
                   and sent.tag(i - 1).startswith("NN")
                   for i in range(match.first + 1, match.stop))

    @staticmethod
    def _consortium_side(sent: Sentence, sides: _Sides) -> bool:
        """The subject is a consortium its members name (`A와 B로 꾸려진 컨소시엄은`,
        `A·B 컨소시엄은`) and the other side is someone else."""
        group = sides.company_group
        if group is None or len(sides.company) < 2 or not sides.partners \
                or set(sides.partners) & set(sides.company):
            return False
        return DealRules._consortium_group(sent, group)

    @staticmethod
    def _consortium_group(sent: Sentence, group: Group | None) -> bool:
        """`A와 B로 꾸려진 컨소시엄은`, `A·B 컨소시엄은`: a consortium its members name."""
        return group is not None and (formed_consortium(sent, group) or (
            group.stop < len(sent.units) and sent.form(group.stop) in CONSORTIUM_NOUNS))

    def _each_company(self, sent: Sentence, sides: _Sides, match: TriggerMatch) -> bool:
        """`삼성E&A와 GS건설이 … 각각 … 따냈다`: one deal for each company of the subject."""
        group = sides.company_group
        if group is None or len(sides.company) < 2:
            return False
        return any(sent.form(i) in self._each for i in range(group.stop, match.head))

    @staticmethod
    def _amounts_each(sent: Sentence, lo: int, head: int, count: int) -> list[dict | None]:
        """The amounts listed for `각각` (`각각 약 60억달러, 12억2000만달러에`), when there is
        exactly one per deal, or the one amount told per deal (`각각 250억원씩 모두 500억원을`);
        else none."""
        if count < 2:
            return []
        moneys = [m for m in sent.moneys if lo <= m.first and m.stop <= head
                  and isinstance(m.value, dict)]
        each = [m.value for m in moneys if sent.form(m.stop) == "씩"]
        if len(each) == 1:
            return each * count
        return [m.value for m in moneys] if len(moneys) == count else []

    @staticmethod
    def _bracketed_amounts(sent: Sentence, group: Group | None) -> dict[str, dict]:
        """`A(200억원)과 B(200억원), C(100억원) 등이`: each listed company's own amount,
        written in brackets right after it — only when every company has one."""
        if group is None:
            return {}
        found: dict[str, dict] = {}
        for mention in group.mentions:
            if sent.form(mention.stop) != "(":
                continue
            money = next((m for m in sent.moneys if m.first == mention.stop + 1
                          and isinstance(m.value, dict) and sent.form(m.stop) == ")"), None)
            if money is not None and mention.entity:
                found.setdefault(mention.entity, money.value)
        return found if len(found) > 1 and set(found) == set(group.entities) else {}

    @staticmethod
    def _bracketed_after(sent: Sentence, match: TriggerMatch) -> dict | None:
        """`스플렁크 인수(280억달러)를 넘어서는`, `올무티닙 계약(7억3000만달러)보다`: an amount in
        brackets right after the deal's noun is its value."""
        if sent.form(match.stop) != "(" or sent.tag(match.stop) != "SSO":
            return None
        money = next((m for m in sent.moneys if m.first == match.stop + 1
                      and sent.form(m.stop) == ")"), None)
        return money.value if money is not None and isinstance(money.value, dict) else None

    def _upfront_after(self, sent: Sentence, match: TriggerMatch) -> dict | None:
        """`계약을 맺고 선급금 2225만달러를 냈다`, `… 맺으면서 8억달러를 선지급했다`: the upfront
        paid in the clause right after the deal, its value when the record gets no other
        amount (a total told later, `총 계약 규모는`, outranks it)."""
        start = self._joined_after(sent, match) if self._upfront else None
        # (none before: `5000만달러 규모의 … 계약을 맺고 선수금 500만달러를 받았다`)
        if start is None or any(m.first < start for m in sent.moneys):
            return None
        end = next((j for j in range(start, len(sent.units))
                    if sent.tag(j) in ("EC", "EF", "SF")), len(sent.units))
        clause = "".join(sent.form(j) for j in range(start, end))
        if not any(word in clause for word in self._upfront):
            return None
        # (one amount only: `계약금 2000만달러를 포함한 규모는 총 3억달러` tells the total)
        moneys = [m for m in sent.moneys if start <= m.first < end and isinstance(m.value, dict)]
        return moneys[0].value if len(moneys) == 1 else None

    @staticmethod
    def _joined_after(sent: Sentence, match: TriggerMatch) -> int | None:
        """The unit after a `-며`/`-면서`/`-고` that joins the trigger's verb to what it did
        with the deal (`인수하며 치른`, `계약을 맺고 선급금 … 냈다`)."""
        i = match.stop
        while sent.tag(i) == "EP":
            i += 1
        if sent.tag(i) != "EC" or sent.form(i) not in ("며", "으며", "면서", "으면서", "고"):
            return None
        return i + 1

    def _paid_after_trigger(self, sent: Sentence, match: TriggerMatch) -> dict | None:
        """`LG카드를 사들이며 치른 6조6765억원이었다`, `더페이스샵을 인수하며 낸 4667억원`: the
        money a paying verb right after the trigger names is the deal's."""
        i = self._joined_after(sent, match)
        if i is None:
            return None
        if sent.form(i) not in self._paid_after:
            return None
        while i < len(sent.units) and sent.tag(i) in ("VV", "XSV", "NNG", "EP"):
            i += 1
        if sent.tag(i) != "ETM":
            return None
        money = next((m for m in sent.moneys if m.first in (i + 1, i + 2)), None)
        return money.value if money is not None and isinstance(money.value, dict) else None

    def _capital_after(self, sent: Sentence, match: TriggerMatch) -> dict | None:
        """`합작법인을 세우기로 발표한 뒤 50억원의 설립 자본금으로 법인을 차렸다`: a venture's
        capital named after its trigger in the same sentence."""
        for money in sent.moneys:
            if money.first < match.stop or not isinstance(money.value, dict):
                continue
            i = money.stop
            if i < len(sent.units) and sent.form(i) == "의":
                i += 1
            for j in range(i, min(i + 3, len(sent.units))):
                if sent.form(j) in self._capital_nouns:
                    return money.value
                if normalize_tag(sent.tag(j)) not in NOUN_TAGS:
                    break
        return None

    def _sentence(self, k: int, ctx: _Context) -> list[Statement]:
        sent = ctx.sentences[k]
        formed: list[tuple[TriggerMatch, list[Statement]]] = []
        dangling: list[tuple[TriggerMatch, dict | None, str | None, bool]] = []
        lo = 0
        matches = self.find_triggers(sent)
        index = -1
        while index + 1 < len(matches):
            index += 1
            match = matches[index]
            if index + 1 < len(matches) and self._names_the_agreement(sent, match,
                                                                       matches[index + 1]):
                continue  # the MOU's window keeps this clause (its amount, its date)
            window = (lo, match.stop)
            lo = match.stop
            status = self._status(sent, match)
            if status is None or (status == "EXPLORED" and self._vetoed(sent, match)):
                continue
            deal_type = self._type(sent, match, window[0])
            amount = amount_in_window(sent, *window, self._skips_for[deal_type]) \
                or self._paid_after_trigger(sent, match) or self._bracketed_after(sent, match)
            if amount is None and deal_type == "JOINT_VENTURE":
                amount = self._capital_after(sent, match)
            upfront = None if amount is not None else self._upfront_after(sent, match)
            duration = duration_in_window(sent, *window)
            sides = self._sides(sent, match, window[0], ctx)
            if sides.members_only and deal_type == "CONTRACT":
                # `A·B·C로 이뤄진 컨소시엄이 사업을 따냈다`: no client named, only the members'
                # work together (GUIDELINES: a consortium partner on a won order)
                deal_type = "COOPERATION"
            if deal_type == "MERGER" and self._merges_what_was_bought(sent, match, sides,
                                                                      formed, window[0]):
                continue
            if (not sides.company or not sides.partners) and match.displaced:
                # the weaker readings it displaced get their turn, in the same window
                matches[index + 1:index + 1] = sorted(match.displaced, key=lambda m: m.stop)
                lo = window[0]
                continue
            if not sides.partners and formed:
                repeat = self._repeat(sent, match, formed, deal_type, status, sides, amount,
                                      duration, ctx)
                if repeat is not None:
                    formed.append((match, [repeat]))
                    continue
            if not sides.company or not sides.partners:
                dangling.append((match, amount, duration,
                                 status == "DONE" and deal_type == "CONTRACT"))
                if k == ctx.lead and sides.company and amount is not None:
                    ctx.lead_amounts.append((sides.company[0], deal_type, amount,
                                             match.rule.id))
                if sides.company and not sides.partners and self._counterparty_words:
                    ctx.unnamed = (k, match, status, sides.company[0], amount, duration)
                continue
            if self._pledge_to_public_body(sent, match, sides):
                continue
            # `A와 B가 함께 세운 합작사`: a deal named by a relative clause has the clause's date
            relative = any(sent.tag(i) == "ETM" for i in range(max(match.first, match.head - 2),
                                                              match.head))
            date_from = sides.company_group.first \
                if relative and sides.company_group is not None else 0
            # (`2020년 알테오젠이 머크와 맺은 계약`: a date right before that subject is the
            # clause's own)
            date_from = next((d.first for d in sent.dates if d.stop == date_from > 0),
                             date_from)
            # `블룸버그통신은 7월 A가 B와 … 논의하고 있다고 보도했다`: a date before the reported
            # clause's subject is the report's, not the deal's (nor is an earlier sentence's)
            reported = self._reported(sent, match)
            if reported and sides.company_group is not None:
                date_from = max(date_from, sides.company_group.first)
            # `최근 B를 인수했다`: told as recent, the deal has no date of its own before the
            # trigger nor from the sentences before (an announcement day after it still dates
            # it: `최근 … MOU를 체결했다고 27일 밝혔다`; GUIDELINES)
            # So is a deal told as coming later (`… 세웠고, 이 회사는 이후 B에 인수됐다`; not
            # `2019년 이후`, since a time)
            recent = next((i for i in range(date_from, match.head)
                           if self._undated_time(sent, i)), None)
            if recent is not None:
                date_from = recent + 1
            # a standing fact (`B의 최대주주다`, `A와 세운 합작법인`) is dated only by a date
            # before it in its own sentence: what follows and what came before tell other news
            standing = match.rule.standing
            if standing:
                # (`… 매출을 올렸고, 텐센트가 2대 주주로 있다`: a date of an earlier clause is
                # that clause's news, not the holding's)
                date_from = clause_start(sent, date_from, match.head)
                # (`A가 2014년 세운 회사로, A가 최대주주다`: nor a date of a description)
                date_from = next((k + 1 for k in range(match.head - 1, date_from - 1, -1)
                                  if sent.form(k) == ","
                                  and self._after_description(sent, k + 1)), date_from)
            # `B 지분 74%를 가진 최대주주다`: a holding stated as what is (not `주주가 됐다`,
            # the result of a purchase, nor `최대주주인 C`, a holder named in passing)
            holding = standing and sent.tag(match.stop) != "ETM" \
                and any(sent.tag(i) == "VCP" for i in range(match.first, match.stop))
            date, announced = sentence_date(sent, match.stop, self.rules.date_skips,
                                            self.rules.date_afters, ctx.reference, date_from,
                                            before_only=standing)
            if status == "EXPLORED":
                ended = self._ended_date(sent, match, date, ctx.reference)
                if ended is not None:
                    date, announced = ended, False
            date = date or (None if standing else self._coordinated_date(sent, match, ctx))
            if standing and date is not None and self._described_in_passing(sent, match):
                date = None
            stated = date is not None
            if date is None and sides.from_round and status == "DONE" and ctx.round_date:
                # `나머지 4억유로는 A와 B가 나눠 냈다`: the round's day, as stated for it
                date, stated = ctx.round_date, True
            # a relative clause is background; `세우는 데 합의했다` (ETM + 데) is no relative,
            # nor the contract that does it (`후보물질을 넘기는 계약을 맺었다`)
            background = sent.tag(match.stop) == "ETM" and sent.form(match.stop + 1) != "데" \
                and not self._contract_next(sent, match.stop + 1)
            if date is None and not self._earlier_time(sent, match.head) and not background \
                    and recent is None \
                    and not standing and not reported and not self._ongoing(sent, match):
                then = sent.form(0) in self._then or self._then_before(sent, match.head)
                continues = sides.from_context or sent.form(0) in self._continuation or then
                date = inherited_date(ctx.sentences, k, continues, self.rules.date_skips,
                                      ctx.reference, self.rules.date_afters)
                stated = date is not None and then
                if date is None and status in ("PLANNED", "DONE") and ctx.news_day and (
                        (ctx.lead >= 0 and sent.line == ctx.sentences[ctx.lead].line)
                        or self._part_of_this_deal(sent, match.head)):
                    # `A가 B를 손에 넣는다` opening the article, `A는 11일 … 밝혔다` below: a
                    # deal the lead paragraph reports is the news of the article's day; so
                    # is one told as part of it (`이번 거래의 하나로`)
                    date = ctx.news_day
            if date is None and ctx.digest is not None and sent.line > ctx.digest[0] \
                    and not background and status == "DONE" and not match.rule.standing:
                date = ctx.digest[1]   # an item of the day's digest
            if date is not None and after_reference(date, ctx.reference):
                date, stated = None, False   # `2026년 말 … 합병될 예정`: a target, not the deal
            if amount is None and sides.from_round:
                amount = ctx.round_amount
            asymmetric = deal_type in ("INVESTMENT", "ACQUISITION")
            # (`A, B, C로 꾸려진 컨소시엄은 D와 본계약을 맺었다`: each member signs its own
            # contract with the client; GUIDELINES)
            each_company = self._each_company(sent, sides, match) or (
                deal_type == "CONTRACT" and self._consortium_side(sent, sides))
            companies = sides.company if asymmetric or each_company else sides.company[:1]
            extra = [] if asymmetric or each_company else sides.company[1:]
            separate = any(sent.form(i) in self._separate for i in range(window[0], match.head)) \
                or self._agreed_also(sent, match)
            earlier = stated and status == "DONE" and (
                self._earlier_time(sent, match.head) or self._done_before(sent, match))
            # (shares of several companies bought together, `A, B, C 주식을 사들여`, are one
            # purchase: the minority typing of a purchase does not split it)
            each_partner = self._each_partner(sent, sides) or (
                ((deal_type in self._one_per_partner and match.rule.type == deal_type)
                 or match.rule.each_partner
                 or self._signs_each(sent, sides, match, matches, deal_type))
                and len(sides.partners) > 1)
            partner_sets = [[p] for p in sides.partners] if each_partner else [sides.partners]
            series = self._series(sent, sides, match, window[0], asymmetric)
            if series:
                partner_sets = [[partner] for partner, _, _ in series]
            # `A와 B가 … 각각 60억달러, 12억달러에 따냈다`: one amount per company, in order
            split = len(companies) if each_company else len(partner_sets) if each_partner else 0
            shares = self._amounts_each(sent, window[0], match.head, split)
            beside = self._bracketed_amounts(sent, sides.company_group) \
                if asymmetric and len(companies) > 1 else {}
            ended_talks = status == "EXPLORED" and self._talks_ended(sent, match)
            chunks = self._gapped_chunks(sent, sides, window[0], ctx) \
                if asymmetric and len(companies) > 1 else {}
            made = []
            for c_index, investor in enumerate(companies):
                for p_index, partners in enumerate(partner_sets):
                    own = amount
                    own_date, own_stated = date, stated
                    if investor in chunks:
                        # `2018년 A가, 2019년에는 B가 투자했다`: each with its own chunk's
                        own_date, own = chunks[investor]
                        own_stated = own_date is not None
                    if shares:
                        own = shares[c_index if each_company else p_index]
                    elif investor in beside:
                        own = beside[investor]
                    if series:
                        # `2014년 A, 2015년 B를 차례로`, `A를 5억달러에, B를 4억달러에 잇달아`
                        _, item_date, item_amount = series[p_index]
                        if item_amount is not None or not shares:
                            own = item_amount
                        if item_date is not None:
                            own_date, own_stated = item_date, True
                    if self._same_in_sentence(sent, formed, deal_type, investor, partners, match,
                                              own, duration, status, own_date, own_stated):
                        continue
                    ctx.order += 1
                    made.append(Statement(
                        match.rule.id, deal_type, status, investor, [*extra, *partners],
                        own_date, own_stated, own, duration, (sent.start, sent.end), sent.text,
                        sent.headline, ctx.order, [match.rule.id], match.rule.completes,
                        separate, earlier, holding,
                        announced=announced and own_date == date and own_stated,
                        ended=ended_talks))
            if asymmetric and len(companies) == 1 and made and not shares and not series:
                made += self._gapped_investors(sent, sides, window[0], made[0], ctx)
            for st in made:
                st.upfront = upfront
            formed.append((match, made))
        self._lend(formed, dangling)
        self._drop_consortium_of_deal(sent, formed)
        self._drop_merger_agreement_of_purchase(sent, formed)
        self._drop_merger_into_venture(formed)
        self._venture_of_mou(formed)
        for rule in self._bracket_rules:
            if any(pattern.may_match_all(sent.forms) and pattern.compiled.search(sent.code)
                   for pattern in rule.patterns):
                listed = self._bracket_holders(sent, rule, ctx)
                if listed:  # (first: the sentence's own deal stays the last one told)
                    formed.insert(0, (TriggerMatch(rule, 0, len(sent.units)), listed))
        if formed:
            self._tail_amount(sent, formed[-1])
        if not formed and dangling and ctx.statements and k > 0 \
                and self._pair_subject(sent, dangling[0][0].head) \
                and ctx.statements[-1].evidence[0] >= ctx.sentences[k - 1].start:
            # `두 회사는 5년간 2조4000억원을 함께 투자하기로 했다`: the pair's deal just stated
            self._lend([(dangling[0][0], list(ctx.last_made))], dangling)
        return [st for _, made in formed for st in made]

    def _gapped_chunks(self, sent: Sentence, sides: _Sides, lo: int, ctx: _Context,
                       ) -> dict[str, tuple[str | None, dict | None]]:
        """`B에는 2018년 100억원 규모의 시리즈B 때 C와 D가, 2019년에는 E가 돈을 댔다`: the
        subjects of a gapped list, each with the date and the amount told in its own chunk
        of the list (from the end of the subject before it); empty unless the chunks tell
        different ones."""
        group = sides.company_group
        if group is None:
            return {}
        gapped = self._gapped_subjects(sent, group, [])
        if not gapped:
            return {}
        dates = usable_dates(sent, self.rules.date_skips, ctx.reference)
        told: list[tuple[Group, str | None, dict | None]] = []
        start = lo
        for g in [*gapped, group]:
            date = next((d.value for d in reversed(dates)
                         if start <= d.first and d.stop <= g.first), None)
            money = next((m.value for m in reversed(sent.moneys) if start <= m.first
                          and m.stop <= g.first and isinstance(m.value, dict)), None)
            told.append((g, date, money))
            start = g.stop
        if len({(date, str(money)) for _, date, money in told}) < 2:
            return {}
        return {e: (date, money) for g, date, money in told for e in g.entities}

    def _gapped_investors(self, sent: Sentence, sides: _Sides, lo: int, last: Statement,
                          ctx: _Context) -> list[Statement]:
        """`A가 3000만달러, B가 2000만달러를 각각 댄다`, `2016년 A가 7억원을, 지난해에는 B가
        13억원을 투자했다`: the subjects of a gapped list before the clause's subject make the
        same deal, each with the amount (and the date) written beside it."""
        group = sides.company_group
        if group is None or group.role != "SUBJ":
            return []
        dates = usable_dates(sent, self.rules.date_skips, ctx.reference)

        def in_date(i: int) -> bool:
            return any(d.first <= i < d.stop for d in dates)

        found: list[tuple[str, dict | None, str | None]] = []
        grouped = {i for g in sent.groups for i in range(g.first, g.stop)}

        def describing(i: int) -> bool:  # `, 중국 B가 6%를`: a word describing the subject
            return sent.tag(i) in ("NNG", "NNP") and i not in grouped and not in_date(i)

        at = group.first
        while True:
            k = at - 1   # back over this chunk's date and its particles (and up to two
            described = 0  # describing words) to the comma
            while k > lo and (in_date(k) or sent.tag(k) in ("JX", "JKB")
                              or (described < 2 and describing(k))):
                described += describing(k)
                k -= 1
            if k <= lo or sent.form(k) != ",":
                break
            stop = k - 1 if sent.tag(k - 1) == "JKO" else k
            money = next((m for m in sent.moneys if m.stop == stop
                          and isinstance(m.value, dict)), None)
            if money is not None:
                amount, first = money.value, money.first
            elif sent.form(stop - 1) == "%" and sent.tag(stop - 2) == "SN":
                # `X 지분은 A가 68%, B가 32%를 갖고 있다`: a stake beside each, no amount
                amount, first = None, stop - 2
            else:
                break
            subject = next((g for g in sent.groups if g.role == "SUBJ" and len(g.entities) == 1
                            and g.first >= lo and g.stop <= first and (all(
                                sent.tag(i).startswith("J") for i in range(g.stop, first))
                                or g.stop + 2 == first and sent.tag(first - 1) == "JKS")),
                           None)   # (`A 쪽이 18.4%`: a noun the role read, and the particle)
            if subject is None or subject.entities[0] in (last.company, *last.partners):
                break
            own = next((d.value for d in reversed(dates) if d.stop <= subject.first
                        and all(sent.tag(i).startswith("J") for i in range(d.stop, subject.first))),
                       None)
            found.append((subject.entities[0], amount, own))
            at = subject.first
        made = []
        for company, amount, own in reversed(found):
            ctx.order += 1
            made.append(replace(last, company=company, amount=amount, order=ctx.order,
                                partners=list(last.partners), rules=list(last.rules),
                                date=own or last.date,
                                date_stated=last.date_stated or own is not None))
        return made

    @staticmethod
    def _names_the_agreement(sent: Sentence, match: TriggerMatch, nxt: TriggerMatch) -> bool:
        """`합작법인 설립을 검토하기 위한 양해각서를 맺었다`, `합작공장을 세우는 업무협약을 맺었다`:
        a trigger inside the clause that says what an MOU is for is the MOU's subject matter,
        not a deal of its own (ANNOTATION: an MOU is typed MOU whatever it is about)."""
        # (not a purchase: `경영권을 B에 넘기기 위한 양해각서` is the purchase, PLANNED —
        # corpus/GUIDELINES.md, an acquisition MOU)
        if nxt.rule.type != "MOU" or match.rule.type in ("MOU", "ACQUISITION"):
            return False
        return DealRules._modifies(sent, match, nxt)

    @staticmethod
    def _modifies(sent: Sentence, match: TriggerMatch, nxt: TriggerMatch) -> bool:
        """The clause of `match` ends in an adnominal ending that describes `nxt`'s noun: no
        clause ends between them, and after the last `-ㄴ/-는` only nouns (`업무 협약`, `최종
        합병 계약`)."""
        tags = [sent.tag(i) for i in range(match.stop, nxt.first)
                if sent.tag(i) not in ("SSO", "SSC", "SL", "SP")]
        if "ETM" not in tags or any(tag in ("EF", "EC", "SF") for tag in tags):
            return False
        after = tags[len(tags) - tags[::-1].index("ETM"):]
        return all(tag in NOUN_TAGS for tag in after)

    @staticmethod
    def _drop_merger_agreement_of_purchase(
            sent: Sentence, formed: list[tuple[TriggerMatch, list[Statement]]]) -> None:
        """`A가 B를 인수하는 (최종) 합병 계약을 맺었다`: the merger agreement is how the purchase
        its clause names is signed, one ACQUISITION, not a MERGER beside it."""
        for i, (match, _) in enumerate(formed):
            if match.rule.type != "MERGER":
                continue
            for earlier, bought in formed[:i]:
                if earlier.rule.type != "ACQUISITION" or not DealRules._modifies(sent, earlier,
                                                                                  match):
                    continue
                sides = [{st.company, *st.partners} for st in bought if st.type == "ACQUISITION"]
                formed[i] = (match, [st for st in formed[i][1]
                                     if not any({st.company, *st.partners} <= s for s in sides)])

    @staticmethod
    def _drop_consortium_of_deal(sent: Sentence,
                                 formed: list[tuple[TriggerMatch, list[Statement]]]) -> None:
        """`B와 컨소시엄을 꾸려 C를 인수했다`: a consortium formed for a deal the same sentence
        states is how its members make that deal (co-buyers), not a cooperation of its own."""
        buyers = {st.company for _, made in formed for st in made
                  if st.type in ("ACQUISITION", "INVESTMENT", "JOINT_VENTURE")}
        for i, (match, made) in enumerate(formed):
            if match.rule.type != "COOPERATION" or not (match.rule.manner or any(
                    sent.form(u) in CONSORTIUM_NOUNS for u in range(match.first, match.stop))):
                continue  # (`B와 손잡고 C를 인수했다`: how the co-buyers bought, too)
            kept = [st for st in made if not ({st.company, *st.partners} <= buyers)]
            formed[i] = (match, kept)

    def _bracket_holders(self, sent: Sentence, rule: TriggerRule,
                         ctx: _Context) -> list[Statement]:
        """`매각 대상은 최대주주 산업은행(31.26%)과 2대 주주 캠코(19.11%)가 가진 지분`, `주요 주주는
        A(19.94%), B(17.19%) 순이었다`: in a sentence about shareholders, each company with
        its stake in brackets holds one in the company whose shareholders they are (named
        before `의 … 주주` or `지분`, else the company being sold, else the text's company)."""
        holders = [m for m in sent.companies if m.entity
                   and _BRACKET_STAKE.match(sent.text, m.end - sent.start)]
        if not holders:
            return []
        held_ids = {m.entity for m in holders}
        held = None
        for m in sent.companies:
            if m.entity in held_ids or not m.entity:
                continue
            if sent.form(m.stop) == "지분" or (sent.form(m.stop) == "의" and any(
                    sent.form(j).endswith("주주") for j in range(m.stop + 1, m.stop + 4))):
                held = m.entity
                break
        if held is None:
            sold = ctx.target if not sent.forms.isdisjoint(self._sale_nouns) else None
            held = sold or ctx.main
        if held is None or held in held_ids:
            return []
        date, _ = sentence_date(sent, holders[0].first, self.rules.date_skips,
                                self.rules.date_afters, ctx.reference, 0, before_only=True)
        made = []
        for holder in dict.fromkeys(m.entity for m in holders):
            ctx.order += 1
            made.append(Statement(rule.id, rule.type, "DONE", holder, [held], date,
                                  date is not None, None, None, (sent.start, sent.end),
                                  sent.text, sent.headline, ctx.order, [rule.id],
                                  holding=True))
        return made

    @staticmethod
    def _drop_merger_into_venture(formed: list[tuple[TriggerMatch, list[Statement]]]) -> None:
        """`A와 B는 … 사업을 하나로 합치고 합작사를 세우기로 했다`: businesses put together in a
        joint venture the same sentence founds are how the pair forms it, not a merger."""
        ventures = [frozenset(st.participants) for _, made in formed for st in made
                    if st.type == "JOINT_VENTURE"]
        if not ventures:
            return
        for i, (match, made) in enumerate(formed):
            if match.rule.type == "MERGER":
                formed[i] = (match, [st for st in made if not any(
                    frozenset(st.participants) <= venture for venture in ventures)])

    @staticmethod
    def _venture_of_mou(formed: list[tuple[TriggerMatch, list[Statement]]]) -> None:
        """`합작법인을 세우기로 하고 업무협약(MOU)을 체결했다`: a joint venture not yet founded,
        agreed in the MOU the same sentence signs, is that MOU (GUIDELINES: a joint-venture
        MOU is one MOU record); the MOU's record takes the venture's amount."""
        mous = [st for _, made in formed for st in made if st.type == "MOU"]
        if not mous:
            return
        for i, (match, made) in enumerate(formed):
            kept = []
            for st in made:
                mou = next((m for m in mous if st.type == "JOINT_VENTURE"
                            and st.status != "DONE"
                            and frozenset(st.participants) == frozenset(m.participants)), None)
                if mou is None:
                    kept.append(st)
                    continue
                mou.amount = mou.amount or st.amount
                mou.date = mou.date or st.date
                if match.rule.id not in mou.rules:
                    mou.rules.append(match.rule.id)
            formed[i] = (match, kept)

    def _revealed_counterparty(self, k: int, ctx: _Context) -> list[Statement]:
        """`… 공급 계약을 체결했다고 공시했다. 계약 상대방은 B로 알려졌다`: the counterparty a
        following sentence names for a deal stated without one (`counterparty` words, then
        a company)."""
        sent = ctx.sentences[k]
        at = next((i for i in range(len(sent.units) - 1)
                   if sent.form(i) in self._counterparty_words
                   and sent.tag(i + 1) in ("JX", "JKS")
                   and sent.form(i + 1) in ("은", "는", "이", "가")), None)
        if at is None:
            return []
        first, match, status, company, amount, duration = ctx.unnamed or (0, None, "", "", None,
                                                                          None)
        partner = next((g.entities[0] for g in sent.groups if g.first > at and g.entities
                        and g.entities[0] != company), None)
        if partner is None or match is None or any(
                st.type == match.rule.type and st.participants == {company, partner}
                for st in ctx.statements):
            return []  # (a deal of these two already stated: the sentence only names it)
        ctx.unnamed = None
        origin = ctx.sentences[first]
        date = date_in_sentence(origin, match.stop, self.rules.date_skips,
                                self.rules.date_afters, ctx.reference, 0)
        ctx.order += 1
        return [Statement(match.rule.id, match.rule.type, status, company, [partner], date,
                          date is not None, amount, duration, (origin.start, origin.end),
                          origin.text, origin.headline, ctx.order,
                          [match.rule.id, "words.counterparty"])]

    def _co_investors(self, sent: Sentence, ctx: _Context) -> list[Statement]:
        """`… B의 유상증자에 참여했다. 당시 A가 300억원을 넣었고, C가 500억원, D가 300억원을
        각각 보탰다`: right after an investment in one company, a sentence that lists
        investors each with the money it put in (`member_pays`, `investor_puts_in` verbs) tells
        investors in the same company. Each one not yet told gets a record of its own with its
        amount and that investment's status and date, or a date the item names (`지난해에는 E가
        …`)."""
        previous = ctx.sentences[sent.index - 1]
        last = next((st for st in reversed(ctx.last_made) if st.type == "INVESTMENT"
                     and len(st.partners) == 1
                     and previous.start <= st.evidence[0] < previous.end), None)
        if last is None or not sent.moneys or not any(
                u.form in self._pay_verbs or u.form in self._put_in_verbs for u in sent.units
                if u.tag.startswith(("VV", "XSV", "NNG"))):
            return []
        investee = last.partners[0]
        items: list[tuple[str, dict, str | None]] = []
        since = 0
        for group in sent.groups:
            money = _money_after(sent, group)
            if group.role not in SUBJECT_GROUPS or len(group.entities) != 1 or money is None \
                    or group.entities[0] == investee:
                continue
            dated = [d for d in sent.dates if since <= d.first and d.stop <= group.first
                     and isinstance(d.value, str)]
            items.append((group.entities[0], money.value, dated[-1].value if dated else None))
            since = money.stop
        if len(items) < 2:
            return []
        made: list[Statement] = []
        for company, amount, date in items:
            if any(st.type == "INVESTMENT" and st.company == company
                   and investee in st.partners for st in ctx.statements):
                continue  # (its investment is told already; its share is the merge's to keep)
            ctx.order += 1
            made.append(Statement(last.rule, "INVESTMENT", last.status, company, [investee],
                                  date or last.date, date is not None, amount, None,
                                  (sent.start, sent.end), sent.text, sent.headline, ctx.order,
                                  [last.rule, "words.member_pays"]))
        return made

    def _persons_stake(self, sent: Sentence, lo: int, stop: int) -> bool:
        """`이 회장 지분`, `창업자 일가의 지분`: a stake named by its holder's title, in a
        clause that names no company for it."""
        for k in range(lo, stop):
            if sent.form(k) in self._stakes and any(
                    sent.form(j) in self._holders for j in range(max(lo, k - 5), k)):
                return True
        return False

    def _rest_of_shares(self, sent: Sentence, at: int) -> bool:
        """Unit `at` opens `나머지 지분`, `잔여 주식`, `남은 지분`: the rest of a stake."""
        if sent.form(at) not in self._remaining:
            return False
        return sent.form(at + 1 if sent.tag(at) != "VV" else at + 2) in self._stakes

    def _rest_of_stake(self, sent: Sentence, lo: int, stop: int, exclude_ids: tuple[str, ...],
                       ctx: _Context) -> list[str] | None:
        """`이어 5월 26일에는 나머지 지분을 … 사들이기로 했다`: the rest of a stake whose company
        the clause does not name, bought at a time the clause gives, is the rest of the
        company whose stake a statement of the last few sentences bought."""
        rest = next((k for k in range(lo, stop) if self._rest_of_shares(sent, k)), None)
        if rest is None or any(rest <= g.first < stop and g.entities for g in sent.groups):
            return None
        # (a purchase of its own time; undated, `남은 주식까지 사들인 뒤 흡수합병할 계획`, it is
        # the end of the deal already told)
        if not any(lo <= d.first < stop for d in usable_dates(sent, self.rules.date_skips,
                                                               ctx.reference)):
            return None
        since = ctx.sentences[max(0, _index_of(sent, ctx.sentences) - LOOKBACK)].start
        for st in reversed(ctx.statements):
            if st.evidence[0] < since:
                return None
            if st.type in _STAKE_TYPES and not st.holding and st.partners \
                    and not set(st.partners) & set(exclude_ids):
                return list(st.partners)
        return None

    def _pledge_to_public_body(self, sent: Sentence, match: TriggerMatch,
                               sides: _Sides) -> bool:
        """`경상북도와 포항시는 A, B와 투자협약을 맺었다`: companies that each pledge an
        investment to a public body agree nothing with each other (`pledge` words name the
        agreement; the body, not a company, is the subject)."""
        group = sides.company_group
        if match.rule.type != "MOU" or not self._pledge:
            return False
        if group is not None and group.role not in ("WITH", "TO"):
            return False  # a company is the subject
        covered = {i for m in sent.companies for i in range(m.first, m.stop)}
        for i in range(match.first, max(0, match.first - 3) - 1, -1):
            if i in covered:
                return False
            if sent.form(i) in self._pledge:
                return True
        return False

    def _vetoed(self, sent: Sentence, match: TriggerMatch) -> bool:
        """Talks at a meeting someone attended (`veto` rules) are no deal."""
        end = sent.offsets[match.first]
        return any(rule.pattern.compiled.search(sent.code, 0, end)
                   for rule in self.rules.vetoes)

    @staticmethod
    def _done_before(sent: Sentence, match: TriggerMatch) -> bool:
        """`맺은 바 있다`, `맺은 적이 있다`: the clause reports something done before."""
        for i in range(match.stop, min(len(sent.units), match.stop + 5)):
            if sent.tag(i) == "ETM" and sent.form(i + 1) in ("바", "적"):
                return True
        return False

    @staticmethod
    def _described_in_passing(sent: Sentence, match: TriggerMatch) -> bool:
        """`지난해에는 A와 B의 합작법인 C와도 계약을 맺었다`: a joint venture named by its owners
        with no verb of its own, in a phrase that is neither the sentence's subject nor its
        object (`와`, `로부터`, `에서`, `의`), only says who C is; the sentence's date is the
        other event's."""
        if any(sent.tag(i).startswith(("V", "XSV")) for i in range(match.first, match.stop)):
            return False
        # (`합작사인 ATR로부터`: past the `인` that names it)
        particle = next((i for i in range(match.stop, len(sent.units))
                         if sent.tag(i).startswith("J") or sent.tag(i) == "SF"
                         or (sent.tag(i) == "VCP" and sent.tag(i + 1) != "ETM")), None)
        return particle is not None and sent.tag(particle) in ("JKB", "JC", "JKG")

    def _undated_time(self, sent: Sentence, i: int) -> bool:
        """`최근`, `이후` (words `recent_time`, `later_time`) at unit i: a time that dates no
        deal (`2019년 이후`, since a date, is that date's)."""
        return sent.tag(i) == "NNG" and (sent.form(i) in self._recent or (
            sent.form(i) in self._later and not any(d.stop == i for d in sent.dates)))

    def _earlier_time(self, sent: Sentence, head: int) -> bool:
        """`앞서`, `과거`: the sentence is about an earlier time than the one before it."""
        return any(sent.form(i) in self._no_inherit for i in range(head))

    @staticmethod
    def _lend(formed: list[tuple[TriggerMatch, list[Statement]]],
              dangling: list[tuple[TriggerMatch, dict | None, str | None, bool]]) -> None:
        """A partnerless trigger's amount/duration go to the nearest deal of its sentence; a
        contract signed with an unnamed side after a stake deal agreed (`인수하기로 의결하고 같은
        날 매도인 측과 계약서에 서명했다`) makes that deal signed (DONE)."""
        if not formed:
            return
        for match, amount, duration, signed in dangling:
            before = [f for f in formed if f[0].stop <= match.first]
            _, made = before[-1] if before else formed[0]
            for st in made:
                if signed and before and st.status == "PLANNED" and st.type in _STAKE_TYPES:
                    st.status = "DONE"
                if amount is not None and st.amount is None:
                    st.amount = amount
                if duration is not None and st.duration is None:
                    st.duration = duration
                if match.rule.id not in st.rules:
                    st.rules.append(match.rule.id)

    def _repeat(self, sent: Sentence, match: TriggerMatch,
                formed: list[tuple[TriggerMatch, list[Statement]]], deal_type: str,
                status: str, sides: _Sides, amount: dict | None, duration: str | None,
                ctx: _Context) -> Statement | None:
        """`2019년 B에 지분 투자를 한 데 이어 올해 6월 추가로 지분을 사들여`: a partnerless
        stake or contract clause with a date of its own and a word of repetition (`추가로`,
        `다시`), later in the sentence than a deal of the same kind, is another transaction
        between the same parties."""
        last_match, made = formed[-1]
        if len(made) != 1 or match.rule.completes or deal_type not in _REPEATABLE:
            return None
        first = made[0]
        same_kind = first.type == deal_type or {first.type, deal_type} <= set(_STAKE_TYPES)
        if not same_kind or not first.date_stated:
            return None
        if sides.company and sides.company[0] != first.company:
            return None
        date = date_in_sentence(sent, match.head, self.rules.date_skips, self.rules.date_afters,
                                ctx.reference, last_match.stop, before_only=True)
        if date is None or dates_agree(first.date, date):
            return None
        if not any(sent.form(i) in self._repeat_words for i in range(last_match.stop, match.stop)):
            return None
        if any(last_match.stop <= m.first < match.first and m.entity not in first.participants
               for m in sent.companies):
            return None   # `… 12월에는 롤스로이스 본사에 … 공급하는`: another party's deal
        # (`소수 지분을 투자한 뒤 … 2019년 추가 투자로 경영권을 손에 넣었다`: control bought)
        kind = "ACQUISITION" if first.type == "INVESTMENT" and deal_type == "ACQUISITION" \
            and any(_control_at(sent, i) for i in range(last_match.stop, match.stop)) \
            else first.type
        ctx.order += 1
        return Statement(match.rule.id, kind, status, first.company, list(first.partners),
                         date, True, amount, duration, (sent.start, sent.end), sent.text,
                         sent.headline, ctx.order, [match.rule.id])

    def _same_in_sentence(self, sent: Sentence,
                          formed: list[tuple[TriggerMatch, list[Statement]]], deal_type: str,
                          company: str, partners: list[str], match: TriggerMatch,
                          amount: dict | None, duration: str | None, status: str,
                          date: str | None = None, stated: bool = False) -> bool:
        """`합자계약을 맺고 이듬해 합작법인을 세웠다`: one sentence, one deal of a type and its
        parties; the later step only adds its rule to the first statement (and its date,
        when the first is a standing fact: `2대 주주인 A는 2012년 4월 … 720억원을 넣고`).
        Not a later clause with a date of its own and a word of repetition (`2020년 12월 B와
        계약을 맺었고, 2022년 5월에는 … 계약을 다시 따냈다`) or the rest of the stake
        (`이듬해에는 나머지 지분까지 사들였다`): another transaction."""
        parties = frozenset([company, *partners])
        for first, made in formed:
            again = stated and date is not None and any(
                sent.form(i) in self._repeat_words or self._rest_of_shares(sent, i)
                for i in range(first.stop, match.stop))
            for st in made:
                if again and st.date_stated and st.date and not dates_agree(st.date, date):
                    continue
                if st.type == deal_type and st.participants == parties and \
                        (deal_type not in ("INVESTMENT", "ACQUISITION") or st.company == company):
                    if match.rule.id not in st.rules:
                        st.rules.append(match.rule.id)
                    if first.rule.standing and st.date is None and date is not None:
                        st.date, st.date_stated = date, stated
                    st.amount = st.amount or amount
                    st.duration = st.duration or duration
                    # the later predicate is the main one (`손잡고 … 나선다`), but a rule's fixed
                    # PLANNED (`합병 안건을 통과시켰다`) does not undo a contract signed before it
                    if not (st.status == "DONE" and match.rule.status == "PLANNED"):
                        st.status = status
                    return True
        return False

    def _tail_amount(self, sent: Sentence, last: tuple[TriggerMatch, list[Statement]]) -> None:
        """`… 계약을 체결했으며, … 규모는 총 3억달러다`: the amount after the last trigger."""
        match, made = last
        if not self.rules.amount_followups or all(st.amount is not None for st in made):
            return
        amount, _, rule_id, _ = followup_values(
            sent, self.rules.amount_followups, self._totals, match.stop, self._total_verbs,
            self._followup_skips(made))
        if amount is None or rule_id is None:
            return
        for st in made:
            if st.amount is None and self._gives_amount(rule_id, st):
                st.amount = amount
                st.rules.append(rule_id)

    def _followup_skips(self, made: list[Statement]) -> list[MarkerRule]:
        """The amount skips of the deal a follow-up speaks of (`자본금` is a JV's amount)."""
        return self._skips_for[made[0].type] if made else self.rules.amount_skips

    def _gives_amount(self, rule_id: str, st: Statement) -> bool:
        """An amount follow-up rule gives its amount to deals of its `types` (all, if none)."""
        types = self._followup_types[rule_id]
        return not types or st.type in types

    @staticmethod
    def _names_another_company(sent: Sentence, at: int, ours: list[Statement]) -> bool:
        """`하이브가 SM 주식을 사는 데 들인 돈은 …`: a company outside the deal named before unit
        `at` makes the money its own (a source, `A에 따르면`, is no such company)."""
        parties = {e for st in ours for e in (st.company, *st.partners)}
        return any(e not in parties for g in sent.groups if g.first < at
                   and not (sent.form(g.stop) == "에"
                            and sent.form(g.stop + 1) in ("따르", "의하"))
                   for e in g.entities)

    def _followup(self, k: int, ctx: _Context) -> None:
        """`인수 금액은 15억유로다` right after a deal: that deal's amount (and duration);
        `계약서에 서명한 날은 지난 15일이다`: its signing date. A sentence that followed a deal
        up lets the next one follow it up too."""
        sent = ctx.sentences[k]
        if not ctx.statements:
            return
        last = ctx.statements[-1]
        previous = ctx.sentences[k - 1]
        before = ctx.sentences[max(0, k - 2)]
        right_after = previous.start <= last.evidence[0] or ctx.followed == k - 1
        same_paragraph = before.start <= last.evidence[0] and before.line == sent.line
        if last.headline:
            return
        rules = self.rules.amount_followups
        far = not (right_after or same_paragraph)
        if far:
            # `총 계약 규모는 …` a few sentences on, with no other deal stated since
            origin = next((j for j in range(k - 1, -1, -1)
                           if ctx.sentences[j].start <= last.evidence[0]), 0)
            rules = [r for r in rules if r.reach >= k - origin - 1]
            if not rules:
                return
        ours = ctx.last_made
        signed = None if far else self._signing_date(sent, ctx)
        if signed is not None:
            date, rule_id = signed
            # (`15일 … 인수하기로 했다. 회사는 이달 안에 계약을 맺고`: the day is kept)
            for st in ours:
                if st.date and st.date != date and st.date.startswith(date):
                    continue
                st.date, st.date_stated = date, True
                st.rules.append(rule_id)
            ctx.followed = k
        # `매각 대금은 980억원이며, 계약은 2월 19일 맺었다`: the same sentence may give both
        amount, duration, rule_id, at = followup_values(
            sent, rules, self._totals, 0, self._total_verbs, self._followup_skips(ours))
        if rule_id is None:
            return
        ctx.followed = k
        if self._names_another_company(sent, at, ours):
            amount = None
        for st in ours:
            if amount is not None and st.amount is None and self._gives_amount(rule_id, st):
                st.amount = amount
                st.rules.append(rule_id)
            if duration is not None and st.duration is None:
                st.duration = duration

    def _member_shares(self, sent: Sentence, ctx: _Context) -> None:
        """`GS리테일 몫은 2400억원이고, 나머지 5600억원은 A와 B가 댄다`: each buyer's own part
        of a joint purchase replaces the joint total on its record (corpus/GUIDELINES.md),
        told in the next sentence or in the deal's own (`…, 현대차가 6400만유로를 맡았다`)."""
        if not ctx.last_made or not sent.moneys:
            return
        joint = ctx.last_made
        if len({st.company for st in joint}) < 2:
            return
        parts: dict[str, dict] = {}
        paying = any(u.form in self._pay_verbs for u in sent.units)
        # `몫은 현대차 8000만유로, 기아차 2000만유로다`: names with their amounts after the noun
        share_topic = next((i for i in range(len(sent.units) - 1)
                            if sent.form(i) in self._share_nouns and sent.tag(i + 1) == "JX"),
                           None)
        for group in sent.groups:
            after = group.stop
            if share_topic is not None and group.first > share_topic \
                    and len(group.entities) == 1:
                money = next((m for m in sent.moneys if m.first == after
                              and isinstance(m.value, dict)), None)
                if money is not None:
                    parts.setdefault(group.entities[0], money.value)
                    continue
            if sent.form(after) in self._share_nouns and sent.tag(after + 1) == "JX":
                money = next((m for m in sent.moneys if m.first > after and m.first - after <= 3
                              and isinstance(m.value, dict)), None)
                if money is not None:
                    parts.update({e: money.value for e in group.entities})
            elif group.role == "SUBJ" and sent.form(after + 1) in self._pay_verbs:
                money = next((m for m in reversed(sent.moneys) if m.stop <= group.first
                              and group.first - m.stop <= 2 and isinstance(m.value, dict)
                              and sent.tag(m.stop) == "JX"), None)
                if money is not None:
                    parts.update({e: money.value for e in group.entities})
            elif group.role in SUBJECT_GROUPS and paying:
                # `A가 1조원, B가 5000억원을 냈고`: each subject with the amount right after it
                money = _money_after(sent, group)
                if money is not None and len(group.entities) == 1:
                    parts.setdefault(group.entities[0], money.value)
        for st in joint:
            if st.company in parts and st.amount is not None:
                st.amount = parts[st.company]
                if "amount.member_share" not in st.rules:
                    st.rules.append("amount.member_share")

    def _signing_date(self, sent: Sentence, ctx: _Context) -> tuple[str, str] | None:
        """(date, rule id) when the sentence gives the signing day of the deal just stated
        (not a date after a subject of its own: `이번 계약은 두 회사가 2020년 맺은 계약을
        대체한다` dates another contract; but `계획이 처음 공개된 2022년 1월`, the date the
        clause describes, is the deal's)."""
        for rule in self.rules.date_followups:
            match = rule.pattern.compiled.search(sent.code)
            if match is None:
                continue
            at = sent.unit_of_offset(match.start())
            dates = [d for d in usable_dates(sent, self.rules.date_skips, ctx.reference)
                     if d.first >= at and (sent.tag(d.first - 1) == "ETM" or not any(
                         sent.tag(i) == "JKS" for i in range(at, d.first)))]
            if dates:
                return dates[0].value, rule.id
        return None

    @staticmethod
    def _update_consortium(sent: Sentence, ctx: _Context) -> None:
        """Remember the members of a consortium the sentence names (`A·B·C 컨소시엄`, `A와
        B가 컨소시엄을 꾸려`)."""
        n = len(sent.units)
        for group in sent.groups:
            if len(group.entities) < 2 or group.stop >= n:
                continue
            named = sent.form(group.stop) in CONSORTIUM_NOUNS
            formed = group.role in SUBJECT_GROUPS and any(
                sent.form(i) in CONSORTIUM_NOUNS and sent.tag(i + 1) == "JKO"
                and sent.form(i + 2) in FORMING_VERBS
                for i in range(group.stop + 1, min(group.stop + 4, n - 2)))
            if named or formed:
                ctx.consortium = list(group.entities)

    @staticmethod
    def _target_set(ctx: _Context, exclude_ids: tuple[str, ...]) -> list[str]:
        """The company being sold, with those sold together with it (`A와 B를 손에 넣는다`
        … `본입찰에는 C도 뛰어들었다`: C bid for both)."""
        together = [t for t in ctx.targets if t not in exclude_ids]
        return together if ctx.target in together else [ctx.target]

    @staticmethod
    def _finished_before(st: Statement, reference: dt.date | None) -> bool:
        """A done deal stated with a year before the reference year."""
        return st.status == "DONE" and st.date_stated and bool(st.date) \
            and reference is not None and st.date[:4].isdigit() \
            and int(st.date[:4]) < reference.year

    def _update_target(self, sent: Sentence, ctx: _Context) -> None:
        # `X 지분`, and `X를 매물로 내놨다`
        for_sale = any(u.form in self._for_sale for u in sent.units)
        # (not the adviser who runs the sale: `매각주관사 B가 진행한 예비입찰`)
        targets = [g for g in sent.groups if g.entities and (
            g.role == "OF" or (for_sale and g.role == "OBJ"))
            and not self._adviser_before(sent, g.first)]
        if targets:
            ctx.target, ctx.targets = targets[-1].entities[0], list(targets[-1].entities)
        owner_at = next((i for i, u in enumerate(sent.units)
                         if u.form in self._new_owner and u.tag == "NNG"), None)
        sold = [g for g in sent.groups if g.entities and g.role in ("TOPIC", "SUBJ", "GEN")
                and owner_at is not None and g.stop <= owner_at]
        if sold:
            ctx.target, ctx.targets = sold[-1].entities[0], list(sold[-1].entities)
        elif not targets and ctx.target is None:
            seller = self._named_seller(sent)
            if seller is not None:
                ctx.target, ctx.targets = seller.entities[0], list(seller.entities)

    def _named_seller(self, sent: Sentence) -> Group | None:
        """`매도자인 X와 …`, `매도자는 … X다`: the owner a sale names when no company is for
        sale; bids for its building or business are bids for what X owns."""
        for i in range(len(sent.units) - 2):
            two = sent.form(i) + sent.form(i + 1)
            if sent.form(i) in self._seller_nouns:
                after = i + 1
            elif two in self._seller_nouns and sent.tag(i + 1) == "XSN":
                after = i + 2
            else:
                continue
            later = [g for g in sent.groups if g.entities and g.first >= after]
            if sent.form(after).startswith("인") or sent.tag(after).startswith("VCP"):
                # `매도자인 X`: the company right after
                return later[0] if later and later[0].first <= after + 3 else None
            if sent.form(after) in ("는", "은"):
                # `매도자는 … X다`: the company the copula closes
                return next((g for g in later if g.stop < len(sent.units)
                             and sent.tag(g.stop).startswith("VCP")), None)
            return None
        return None

    def _reported(self, sent: Sentence, match: TriggerMatch) -> bool:
        """The deal is told inside a press report (`… 논의하고 있다고 보도했다`, `… 협상하고
        있다는 보도가 나왔다`): a report noun after the trigger."""
        return any(sent.form(i) in self._report_nouns
                   for i in range(match.stop, len(sent.units)))

    def _relation_of_next(self, sent: Sentence, group: Group, match: TriggerMatch) -> bool:
        """`하퍼콜린스의 모회사 뉴스코프`: a genitive company followed by a relation noun and
        another company only tells who that company is; it is no side of a deal (unless the
        noun is the deal's own trigger: `B와 C의 상용차 합작사 D`)."""
        # (`동화그룹의 화학·목질 자재 계열사 동화기업`: nouns saying what kind of relative may
        # stand between)
        for relation in range(group.stop + 1, min(group.stop + 7, len(sent.units))):
            if sent.form(relation).endswith(self._group_words.relation_nouns):
                return relation not in (match.first, match.head) \
                    and any(g.first == relation + 1 for g in sent.groups)
            if sent.tag(relation) not in ("NNG", "SP", "SL", "XSN"):
                return False
        return False

    def _adviser_before(self, sent: Sentence, first: int) -> bool:
        """`매각주관사 B가`, `매각 주관사인 B가` (Kiwi: 주관 + 사): B runs the sale for the
        seller."""
        before = "".join(sent.form(i) for i in range(max(0, first - 4), first))
        return any(word in before for word in self._advisers)

    def _progressive_at(self, sent: Sentence, i: int) -> bool:
        """`협의하고 있다`, `만들어 왔다`, `검토 중이다`: an aspect of a state going on."""
        form, follower = sent.form(i), sent.form(i + 1)
        if sent.tag(i) == "EC" and sent.tag(i + 1) == "VX":
            return (form == "고" and follower in self._ongoing_go) or \
                (form in ("어", "아", "여") and follower in self._ongoing_eo)
        return form in self._ongoing_nouns and sent.tag(i) == "NNB" and sent.tag(i + 1) == "VCP"

    def _ongoing(self, sent: Sentence, match: TriggerMatch) -> bool:
        """`B와 손잡고 … 진행해 왔다`, `B와 인수를 협의하고 있다`: a deal told as a state going
        on (its own verb, or the sentence's main one it leads into) is no event of the time the
        sentences before tell, so it takes no date from them. A deal the main clause follows
        from (`B를 손에 넣으며 … 속도를 내고 있다`) is the news itself."""
        ending = None
        for i in range(match.stop - 1, min(match.stop + 4, len(sent.units))):
            if self._progressive_at(sent, i):
                return True
            if sent.tag(i) in ("EC", "EF", "ETM", "ETN"):
                ending = i
                break
        if ending is None or sent.tag(ending) != "EC" or sent.form(ending) in self._simultaneous:
            return False
        final = max((i for i in range(ending + 1, len(sent.units)) if sent.tag(i) == "EF"),
                    default=None)
        if final is None:
            return False
        k = final - 1
        while sent.tag(k) == "EP":
            k -= 1
        return self._progressive_at(sent, k - 1)

    def _contract_next(self, sent: Sentence, i: int) -> bool:
        """The noun phrase from unit `i` is a contract, past its size (`12억5500만달러(약
        1조4030억원) 규모의 계약`)."""
        for j in range(i, min(len(sent.units), i + 16)):
            form, tag = sent.form(j), sent.tag(j)
            if form in self._contracts:
                return True
            if form not in ("규모", "약") and tag not in (
                    "SN", "NR", "NNB", "SSO", "SSC", "SW", "SP", "SL", "JKG", "MM"):
                return False
        return False

    def _part_of_this_deal(self, sent: Sentence, head: int) -> bool:
        """`이번 거래의 하나로`, `이번 제휴에 맞춰`, `이번 인수로`: before the trigger, the deal
        the article reports is named as `이번` and a deal noun, as what this one is part of
        (not `이번 거래는 …에 이은`, a topic, nor `이번 매각으로 투자금을 회수`, an exit)."""
        return any(sent.form(i) == "이번" and (
            (sent.form(i + 1) in self._this_deal and sent.form(i + 2) in ("에", "의"))
            or (sent.form(i + 1) in self._this_deal_means and sent.form(i + 2) in ("로", "으로")))
            for i in range(head - 2))

    def _then_before(self, sent: Sentence, head: int) -> bool:
        """`A는 당시 B의 유상증자에 참여해`: a word naming the time just told stands after
        the subject, before the trigger (not `당시 대표`, a title of that time)."""
        return any(sent.form(i) in self._then and sent.form(i + 1) not in self._titles
                   and sent.tag(i + 1) != "JKG" for i in range(1, head))

    def _update_topics(self, sent: Sentence, topics: list[str], main: str | None) -> str | None:
        """Push the topic the sentence names onto `topics`; return it (None: none named)."""
        if any(u.form in self._report_nouns for u in sent.units):
            # `WSJ는 오픈AI가 … 맺었다고 보도했다`: the outlet is no topic; the reported
            # event's subject is
            groups = [g for g in sent.groups if g.role == "SUBJ"]
            if groups and groups[0].entities:
                if groups[0].entities[0] not in topics[-1:]:
                    topics.append(groups[0].entities[0])
                return groups[0].entities[0]
            return None
        groups = [g for g in sent.groups if g.role == "TOPIC"] or \
            [g for g in sent.groups if g.role == "SUBJ" and not (
                self._relative_subject(sent, g) and g.entities
                and g.entities[0] not in (*topics, main))] or \
            [g for g in sent.groups[:1] if self._fronted(sent, g)] or \
            [g for g in sent.groups if g.role == "GEN" and self._fronted(sent, g, anywhere=True)]
        if groups and groups[0].entities:
            topic = groups[0].entities[0]
            # `A는 …이고, B는 …`: after a clause that only describes the first topic, the
            # later clause's topic is the one the text goes on with
            for later in [topic, *(g.entities[0] for g in groups[1:]
                                  if g.role == "TOPIC" and g.entities
                                  and self._after_description(sent, g.first))]:
                if later in topics:
                    topics.remove(later)
                topics.append(later)
            return topic
        return None

    @staticmethod
    def _after_description(sent: Sentence, first: int) -> bool:
        """The clause before unit `first` ends in a copula (`…은행이고,`, `…최대주주이며`) or
        in `…로,` (`…브랜드로, B는`): it said what its topic is, not what it did."""
        j = first - 1
        while j > 0 and sent.tag(j) == "SP":
            j -= 1
        return (sent.tag(j) == "EC" and sent.tag(j - 1) == "VCP") \
            or (sent.tag(j) == "JKB" and sent.form(j) in ("로", "으로") and j + 1 < first)

    @staticmethod
    def _relative_subject(sent: Sentence, group: Group) -> bool:
        """`… SSE가 조성하는 풍력단지에 타워를 공급하기로 했다`: a subject whose verb modifies
        a noun belongs to a relative clause; the text goes on about someone else. (Unlike
        `_in_relative_clause`, which looks for the trigger's subject, the first verb ending
        decides: `A가 B와 손잡고 세운 회사` leaves A the subject of its own clause.)"""
        for i in range(group.stop, len(sent.units)):
            tag = sent.tag(i)
            if tag == "ETM":
                return True
            if tag in ("EC", "EF", "ETN"):
                return False
        return False

    @staticmethod
    def _fronted(sent: Sentence, group: Group, anywhere: bool = False) -> bool:
        """`오리온의 바이오 진출은 …`, `SK텔레콤에는 …`: a sentence-initial company in front
        of the topic, which the following dropped subjects refer to; with `anywhere`, a
        company owning the topic later in the sentence (`… 낮추려는 KB금융의 M&A는`)."""
        if (group.first > 1 and not anywhere) or group.role not in ("GEN", "TO"):
            return False
        counted, depth = 0, 0
        for i in range(group.stop, len(sent.units)):
            tag = sent.tag(i)
            # (`CJ대한통운의 해외 인수합병(M&A)은`: a bracketed gloss is not counted)
            depth += (tag == "SSO") - (tag == "SSC" and depth > 0)
            counted += not depth and tag != "SSC"
            if counted > 8:
                return False
            if depth or tag == "SSC":
                continue
            if tag == "JX" and sent.form(i) in ("은", "는", "ᆫ", "도"):
                return True
            # (`구글의 모빌리티·플랫폼 투자는`: a middle dot joins the nouns; `매뉴라이프의
            # 몸집 불리기는`: a verb made a noun)
            if tag in ("VV", "VA", "XSV") and sent.tag(i + 1) == "ETN":
                continue
            if tag not in NOUN_TAGS and not tag.startswith("J") \
                    and tag not in ("SW", "SP", "ETN"):
                return False
        return False

    def _round_owner(self, sent: Sentence, at: int, sized: bool, ctx: _Context) -> str | None:
        """The company whose round the sentence names at unit `at` (`sized`: a total right
        before the round word), or None."""
        owners = [g for g in sent.groups if g.role in ("GEN", "OF") and g.stop <= at
                  and at - g.stop <= 8 and g.entities]
        if owners:
            return owners[-1].entities[0]
        raised = next((i for i in range(at, len(sent.units))
                       if sent.form(i) in self._raise_words), None)
        if raised is not None:
            # (the subject before the raising: `시드 투자를 받았고, … 시리즈A에 B가 참여했다`
            # has B as an investor, not as the raiser)
            subject = self._explicit_subject(sent, raised, [], investors=False)
            if subject is not None and subject.entities:
                return subject.entities[0]
            if subject is None and ctx.round_owner is not None:
                # `(A는 … 시드 투자를 받았다.) 지난해 11월에는 1040억원 규모의 시리즈A를
                # 마무리했다`: with its subject dropped, the next round of the same company
                return ctx.round_owner
        if ctx.round_owner is None and ctx.main is not None \
                and any(u.form in self._named_rounds for u in sent.units[at:at + 3]) and not any(
                ctx.main in g.entities for g in sent.groups if g.role in ("TOPIC", "SUBJ")):
            # `프리시리즈A 라운드에는 기아가 150억원을 투자했고`: the first round named with no
            # owner is the round of the company the article is mostly about
            return ctx.main
        if sized and ctx.round_owner is not None \
                and not any(m.first < at for m in sent.companies):
            # `같은 해 9월 300억원 규모로 진행된 프리시리즈A 라운드에는 …`: a round sized
            # with no company named before it is the next round of the same company
            return ctx.round_owner
        return None

    def _update_round(self, sent: Sentence, ctx: _Context) -> None:
        """Remember whose funding round the sentence names and its total.

        The owner is the company just before the round (`리벨리온의 자금 조달`, `엔파브리카가
        … 모은 시리즈B`), else the subject of a sentence that raises money (`리벨리온은 …
        시리즈C 투자 유치를 진행하고 있다`)."""
        rounds = [i for i, u in enumerate(sent.units) if u.form in self._round_words]
        if not rounds:
            # `워시스왓이 70억원 규모의 신규 투자를 유치했다`: a round told by its raising
            rounds = [i for i, u in enumerate(sent.units) if u.form in self._raised_nouns and any(
                v.form in self._raised_verbs for v in sent.units[i + 1:i + 3])]
            if not rounds:
                return
        at = rounds[0]
        if any(u.form in self._round_compared for u in sent.units[at + 1:at + 3]):
            return  # `2021년 시리즈B 이후 3년 만의 조달`: an earlier round, for comparison
        before = [m for m in sent.moneys if m.stop <= at and at - m.stop <= 4
                  and isinstance(m.value, dict)]
        owner = self._round_owner(sent, at, bool(before), ctx)
        if owner is None:
            return
        # (`시리즈D에서 360억원을 모았다`: the sum raised right after the round)
        after = [m for m in sent.moneys if 0 < m.first - at <= 5 and isinstance(m.value, dict)
                 and any(u.form in self._raise_words for u in sent.units[m.stop:m.stop + 3])]
        money = before[-1] if before else after[0] if after else None
        if money is None and owner == ctx.round_owner:
            # `800억원 규모의 시리즈B를 마무리했다` … `이번에 조달한 자금을 …`: the same round,
            # told again without its total
            money_value = ctx.round_amount
        else:
            money_value = money.value if money is not None else None
        ctx.round_owner = owner
        ctx.round_amount = money_value
        dates = usable_dates(sent, self.rules.date_skips, ctx.reference)
        ctx.round_date = dates[0].value if dates and isinstance(dates[0].value, str) else None

    def statements(self, doc: Doc) -> list[Statement]:
        """Every deal statement of the doc, before merging."""
        sentences = split_sentences(doc, self.compounds)
        attach_mentions(doc, sentences)
        for sent in sentences:
            build_groups(sent, self.role_of, self._group_words)
            mark_reporter(sent, self._report_nouns)
        reference = doc.user_data.get("kdeal_reference")
        ctx = _Context(sentences, reference if isinstance(reference, dt.date) else None)
        ctx.answer_lines = frozenset(i for i, line in enumerate(doc.text.split("\n"))
                                     if line.lstrip().startswith(ANSWER_OPENERS))
        ctx.interviewee = self._interviewee(sentences)
        ctx.digest = self._digest_day(sentences, ctx.reference)
        counts = Counter(m.entity for sent in sentences for m in sent.companies if m.entity)
        top = counts.most_common(2)
        if top and (len(top) == 1 or top[0][1] > top[1][1]):
            ctx.main = top[0][0]
        lead = next((k for k, sent in enumerate(sentences) if not sent.headline), -1)
        ctx.lead = lead
        ctx.news_day = self._news_day(sentences, ctx.reference)
        for k, sent in enumerate(sentences):
            self._update_round(sent, ctx)   # a round the sentence names is its own deals' round
            ctx.opening = ctx.paragraph_topic if _opens_paragraph(sent, ctx) else None
            ctx.opening_used = False
            made = self._sentence(k, ctx)
            for st in made:
                st.lead = k == lead
            if not made and ctx.unnamed is not None and 0 < k - ctx.unnamed[0] <= 2:
                made = self._revealed_counterparty(k, ctx)
            if not made and k > 0:
                self._followup(k, ctx)
                self._member_shares(sent, ctx)
                made = self._co_investors(sent, ctx)
            ctx.statements.extend(made)
            if made:
                ctx.last_made = made
                self._member_shares(sent, ctx)
                # the company being bought is what later bids and offers are for
                # (not a purchase finished in an earlier year: `2016년 AIG로부터 IFC를
                # 사들였던 브룩필드`, `지난해 샤프를 인수하며` is no sale now bid for)
                bought = [st.partners for st in made
                          if st.type == "ACQUISITION" and st.partners
                          and not self._finished_before(st, ctx.reference)]
                if bought:
                    ctx.target, ctx.targets = bought[-1][0], list(bought[-1])
            named = self._update_topics(sent, ctx.topics, ctx.main)
            if _opens_paragraph(sent, ctx):
                if named is None and ctx.opening is not None \
                        and (ctx.opening_used or not made):
                    # a paragraph that names no topic at its start goes on with the last
                    # one's company, also in its later sentences (not when its first deal
                    # found its subject otherwise: `필 스펜서 MS … CEO는`)
                    if ctx.opening in ctx.topics:
                        ctx.topics.remove(ctx.opening)
                    ctx.topics.append(ctx.opening)
                ctx.paragraph_topic = named or ctx.paragraph_topic or \
                    (ctx.topics[-1] if ctx.topics else None)
            self._update_round(sent, ctx)
            self._update_target(sent, ctx)
            self._update_consortium(sent, ctx)
            self._learn_persons(sent, ctx)
        self._lead_amounts(ctx)
        return ctx.statements

    @staticmethod
    def _lead_amounts(ctx: _Context) -> None:
        """`현대엔지니어링이 폴란드에서 9억9280만유로 규모의 플랜트 공사를 따냈다` opens the
        article, its counterparty told later (`… 발주처 PDH폴스카와 … 계약서에 서명했다`):
        the lead's amount is that deal's, the company's first of the type in the body."""
        for company, deal_type, amount, rule_id in ctx.lead_amounts:
            st = next((st for st in ctx.statements if not st.headline and st.type == deal_type
                       and company in st.participants), None)
            if st is not None and st.amount is None:
                st.amount = amount
                st.rules.append(rule_id)

    def _news_day(self, sentences: list[Sentence], reference: dt.date | None) -> str | None:
        """The first full day the body names that falls in the week before the reference
        date (the day of the news the article reports); None without one."""
        if reference is None:
            return None
        for sent in sentences:
            if sent.headline:
                continue
            for d in usable_dates(sent, self.rules.date_skips, reference):
                if len(d.value) != 10:
                    continue
                try:
                    day = dt.date.fromisoformat(d.value)
                except ValueError:
                    continue
                if 0 <= (reference - day).days <= NEWS_WEEK:
                    return d.value
        return None

    def _digest_day(self, sentences: list[Sentence],
                    reference: dt.date | None) -> tuple[int, str] | None:
        """`[이코노미공시] 20일 장 마감 뒤 … 주요 공시를 정리했다`, `11월 셋째 주 … 굵직한
        거래를 추렸다`: the day (or month) of a digest whose opening paragraph says it gathers
        the filings or deals of that time (words `digest`, `digest_items`)."""
        body = [s for s in sentences if not s.headline]
        if not body:
            return None
        opening = [s for s in body if s.line == body[0].line]
        # the items gathered are the verb's object (`주요 공시를 정리했다`), not any business
        # tidied up (`적자 사업을 정리하고 … 거래를 추진한다`)
        if not any(s.form(i) in self._digest_words and s.tag(i - 1) == "JKO"
                   and self._digest_object(s, i - 2)
                   for s in opening for i in range(2, len(s.units))):
            return None
        # the first day or month of the opening (`20일 …`, `11월 셋째 주 …`), not a year
        for sent in opening:
            for d in usable_dates(sent, self.rules.date_skips, reference):
                if isinstance(d.value, str) and len(d.value) in (7, 10):
                    return sent.line, d.value
        return None

    def _digest_object(self, sent: Sentence, last: int) -> bool:
        """The object noun phrase ending at `last` names filings or deals (`공시`,
        `공급계약 체결 내용`)."""
        for i in range(last, max(-1, last - 5), -1):
            if normalize_tag(sent.tag(i)) not in NOUN_TAGS:
                return False
            if sent.form(i) in self._digest_items:
                return True
        return False

    def _interviewee(self, sentences: list[Sentence]) -> str | None:
        """`[인터뷰] 서범석 루닛 대표 “…”`: the company of the person a headline names with
        a title; an answer in quotes with no subject is that company's."""
        for sent in sentences:
            if not sent.headline:
                return None
            for group in sent.groups:
                if group.entities and group.stop < len(sent.units) \
                        and sent.form(group.stop) in self._titles:
                    return group.entities[0]
        return None

    def assemble(self, doc: Doc) -> list[Deal]:
        """The doc's deals, one record per deal."""
        deals = merge_statements(self.statements(doc), self.rules.type_precedence,
                                 self._paperwork)
        return self._without_group_doubles(deals, _company_names(doc))

    def _without_group_doubles(self, deals: list[Deal],
                               names: dict[str, set[str]]) -> list[Deal]:
        """`웅진그룹이 코웨이를 되사들인다` over `웅진씽크빅은 … 코웨이 지분을 사들이는 SPA를
        맺었다`: the group named for the affiliate that makes the deal is no second buyer —
        its record goes when an affiliate (a name the group's name begins) makes the same
        deal with the same partners."""
        stems = {entity: {name[:-len(suffix)].strip() for name in forms
                          for suffix in self._group_suffixes
                          if name.endswith(suffix) and len(name) - len(suffix) >= 2}
                 for entity, forms in names.items()}

        def affiliate(entity: str, group_stems: set[str]) -> bool:
            return not stems.get(entity) and any(
                name.startswith(stem) for name in names.get(entity, ()) for stem in group_stems)

        kept = []
        for deal in deals:
            group_stems = stems.get(deal.company)
            if group_stems and deal.type not in _GROUP_AND_AFFILIATE and any(
                    other is not deal and other.type == deal.type
                    and set(other.partners) == set(deal.partners)
                    and affiliate(other.company, group_stems) for other in deals):
                continue
            kept.append(deal)
        return kept

    def check_examples(self) -> tuple[int, list[RuleProblem]]:
        """Run every rule example; returns how many ran and what failed."""
        from pipeline.deal_examples import check_example

        problems = []
        for example in self.rules.examples:
            problems.extend(check_example(self, example))
        return len(self.rules.examples), problems


def _company_names(doc: Doc) -> dict[str, set[str]]:
    """Each company entity's names as the text writes them."""
    names: dict[str, set[str]] = {}
    for span in mention_spans(doc, "COMPANY"):
        if span.kb_id_:
            names.setdefault(span.kb_id_, set()).add(span.text)
    return names


def load_deal_rules(dirs: list[Path]) -> tuple[DealRules, list[RuleProblem]]:
    """Load `deals.yaml` from every rules folder (later folders override by rule id)."""
    rules, problems = load_rule_set(dirs)
    return DealRules(rules), problems
