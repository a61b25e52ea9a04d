"""Deal statements and their merging into one record per deal (ANNOTATION.md §4).

A `Statement` is what one trigger in one sentence says. Statements with the
same participants whose dates do not disagree are one deal: the KT–Microsoft
partnership sentence, its headline and a later sentence about it become one
`Deal`. Two stated dates that differ (a partnership in February, a joint
venture in October) keep deals apart; a date only inherited from an earlier
sentence never does. A headline statement only adds to a body record.

A completion (`인수를 마무리했다`) or a withdrawal (`인수를 포기했다`) is the end of a
deal stated earlier: it joins the record of that deal whatever its date, a
completion makes it DONE, and the record keeps the date of the agreement
(corpus/GUIDELINES.md: a completed acquisition takes the date of its signing or
announcement). A merger, a joint venture and a stake deal (investment or
acquisition) between the same companies are never one record (`…을 인수한 뒤
2026년 말 흡수합병할 예정`), except a merger agreement signed on the day a purchase
of the same company is told, the form that purchase takes; other kinds of joint work
join whichever deal they are part of. A record takes the kind and status of a signed
(DONE) statement before those of plans about it. A holding stated as what is (`B 지분 74%를 가진
최대주주다`) stays apart from a purchase of another kind told in another sentence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipeline.deal_rules import ASYMMETRIC, STATUSES


@dataclass
class Statement:
    """One trigger match turned into participants and attributes."""

    rule: str
    type: str
    status: str
    company: str
    partners: list[str]
    date: str | None
    date_stated: bool          # False when the date was inherited from an earlier sentence
    amount: dict | None
    duration: str | None
    evidence: tuple[int, int]
    evidence_text: str
    headline: bool
    order: int
    rules: list[str] = field(default_factory=list)
    completes: bool = False    # the statement reports the completion of an agreed deal
    separate: bool = False     # `이와 별도로`: not the same deal as another type's
    earlier: bool = False      # `앞서 … 맺은 바 있다`: an earlier deal of the same parties
    holding: bool = False      # `B 지분 74%를 가진 최대주주다`: a holding, not a transaction
    lead: bool = False         # stated in the article's first body sentence
    announced: bool = False    # dated only by its announcement (`… 맺었다고 5일 밝혔다`)
    upfront: dict | None = None  # an upfront paid (`선급금 … 냈다`): the amount if no other
    ended: bool = False        # talks told as ended (`검토하다 … 논의를 멈췄다`)

    @property
    def participants(self) -> frozenset[str]:
        return frozenset([self.company, *self.partners])


@dataclass
class Deal:
    """One deal record; `to_json` gives the `kdeal.doc/1` form plus provenance."""

    type: str
    status: str
    company: str
    partners: list[str]
    date: str | None
    amount: dict | None
    duration: str | None
    evidence: tuple[int, int]
    evidence_text: str
    rules: list[str]

    def to_json(self) -> dict[str, Any]:
        return {"type": self.type, "status": self.status, "company": self.company,
                "partners": list(self.partners), "date": self.date, "amount": self.amount,
                "duration": self.duration,
                "evidence": {"start": self.evidence[0], "end": self.evidence[1]},
                "evidence_text": self.evidence_text, "rule": "+".join(self.rules)}


def dates_agree(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a.startswith(b) or b.startswith(a)


# deal types whose talks are a stage of the deal they lead to
STAGED = ("ACQUISITION", "INVESTMENT")

STRUCTURAL = {"INVESTMENT": "stake", "ACQUISITION": "stake", "MERGER": "merger",
              "JOINT_VENTURE": "jv"}


class _Cluster:
    """Statements of one deal; what every member shares is kept so a check costs O(1)."""

    def __init__(self, first: Statement, paperwork: tuple[str, ...] = ()):
        self.items = [first]
        self.paperwork = paperwork
        self.kind = STRUCTURAL.get(first.type)
        self.buyer = first.company if first.type in ASYMMETRIC else None

    def add(self, st: Statement) -> None:
        self.items.append(st)
        self.kind = self.kind or STRUCTURAL.get(st.type)
        if self.buyer is None and st.type in ASYMMETRIC:
            self.buyer = st.company

    def stated_date(self, agreements_only: bool = False) -> str | None:
        """The most precise stated date; an agreement's date before a completion's, and
        before the date of the talks that led to it."""
        settled = [s for s in self.items if s.status != "EXPLORED"] or self.items
        for items in ([s for s in settled if not s.completes], settled):
            # (a deal's own day outranks the day it was announced, stated elsewhere)
            dates = [s.date for s in items if s.date_stated and s.date and not s.announced] \
                + [s.date for s in items if s.date_stated and s.date and s.announced]
            if dates or agreements_only:
                best = max(dates, key=len) if dates else None
                if best is not None and not agreements_only \
                        and all(s.announced for s in items if s.date == best):
                    # (`인수했다고 20일 밝혔다 … 19일 … 인수를 마무리했다`: the completion's
                    # own day, as precise, outranks a day the agreement was only announced)
                    own = [s.date for s in settled if s.date_stated and s.date
                           and not s.announced and len(s.date) >= len(best)]
                    best = max(own, key=len) if own else best
                return best
        return None

    def accepts(self, st: Statement) -> bool:
        if st.participants != self.items[0].participants:
            return False
        kind = STRUCTURAL.get(st.type)
        if kind is not None and self.kind is not None and kind != self.kind \
                and not self._merger_of_purchase(st, kind):
            return False
        if st.type in ASYMMETRIC and self.buyer is not None and st.company != self.buyer:
            return False
        if st.separate and all(s.type != st.type for s in self.items):
            return False
        if any(s.holding != st.holding and s.type != st.type and s.evidence != st.evidence
               for s in self.items):
            return False  # a holding is not the purchase of more shares told in another sentence
        completed = st.completes or any(s.completes for s in self.items)
        if not completed and (st.earlier or any(s.earlier for s in self.items)) and not any(
                s.date_stated and st.date_stated and s.date == st.date for s in self.items):
            # an earlier deal joins only a statement of its own date, or the completion that
            # ends it (`인수를 끝냈다` … `앞서 … SPA를 맺었다`)
            return False
        if (st.completes or all(s.completes for s in self.items)) \
                and all(s.evidence != st.evidence for s in self.items):
            # (a completion told in the sentence of the deal it ends is read as that deal:
            # `495억원을 투자받으며 최대주주가 지멘스로 바뀌었다`)
            return any(s.type == st.type for s in self.items)
        if self._stage_of_same_deal(st):
            return True
        if st.type == "CONTRACT" and any(s.type in ("ACQUISITION", "MERGER") for s in self.items) \
                and all(s.type != "CONTRACT" for s in self.items) \
                and any(w in st.evidence_text for w in self.paperwork):
            # `두 회사는 10월 비율을 고친 변경 계약을 맺었다`: the paperwork of the merger or
            # purchase the pair agreed, whatever its date
            return True
        return not st.date_stated or dates_agree(self.stated_date(True), st.date)

    def _merger_of_purchase(self, st: Statement, kind: str) -> bool:
        """`B를 34억달러에 사들인다` … `B와 합병 계약을 18일 체결했다`: a merger agreement
        signed on the very day a purchase of the same company is stated is the form that
        purchase takes, one deal."""
        if kind != "merger" or self.kind != "stake" or not st.date_stated or not st.date \
                or len(st.date) != 10 or not any(w in st.evidence_text for w in self.paperwork):
            return False
        return any(s.date == st.date and STRUCTURAL.get(s.type) == self.kind
                   for s in self.items)

    def _stage_of_same_deal(self, st: Statement) -> bool:
        """Talks or a bid by the buyer that later agrees to buy (or bought) the same company
        are a stage of that deal, whatever their dates (GUIDELINES: a preferred bidder is a
        stage of the later acquisition); so are an investor's talks of the investment it
        then makes."""
        if st.type not in STAGED or any(s.type != st.type for s in self.items):
            return False
        explored = [s.status == "EXPLORED" for s in self.items]
        if st.ended or any(s.ended for s in self.items):
            return False  # talks that ended are no stage of a later agreement (GUIDELINES)
        if st.status == "EXPLORED":
            if explored and all(explored):
                # `지난달 예비입찰에 참여` … `우선협상대상자로 정했다`: rounds of one sale in one
                # year are one record (GUIDELINES: a preferred bidder with no SPA is one
                # ACQUISITION EXPLORED)
                own = self.stated_date()
                return not st.date_stated or not st.date or own is None \
                    or own[:4] == st.date[:4]
            return not any(explored)  # talks joining the agreement already stated
        return all(explored)  # the agreement joining the talks stated before it


# statement types that stand for signing the deal they merge into, and the deal types for
# which an MOU is only a preliminary agreement (a JV it prepares stays PLANNED, guide §4)
SIGNED_TYPES = ("CONTRACT", "MOU")
# an MOU signed for these is their preliminary agreement, not their signing (corpus/
# GUIDELINES.md: an acquisition MOU is ACQUISITION PLANNED)
PRELIMINARY_MOU = ("JOINT_VENTURE", "ACQUISITION")


def _primary(items: list[Statement], precedence: list[str]) -> Statement:
    """The statement whose kind the record takes: by type precedence, except that a plan
    stated in a later sentence than a signed deal does not change that deal's kind
    (`컨소시엄 합의서에 서명했다. … 이행계약을 맺는 데 힘을 모으기로 했다`)."""
    rank = {t: i for i, t in enumerate(precedence)}
    signed = [s.evidence[0] for s in items if s.status == "DONE" and not s.headline]
    if signed:
        first = min(signed)
        kept = [s for s in items if s.status == "DONE" or s.evidence[0] <= first]
        items = kept or items
    return min(items, key=lambda s: (s.headline, rank.get(s.type, len(rank)), s.order))


def _to_deal(cluster: _Cluster, precedence: list[str]) -> Deal:
    items = sorted(cluster.items, key=lambda s: (s.headline, s.order))
    primary = _primary(items, precedence)
    date = cluster.stated_date()
    if date is None:
        inherited = [s.date for s in items if s.date]
        date = max(inherited, key=len) if inherited else None
    amount = primary.amount or next((s.amount for s in items if s.amount), None) \
        or next((s.upfront for s in items if s.upfront), None)
    duration = primary.duration or next((s.duration for s in items if s.duration), None)
    rules: list[str] = []
    for st in [primary, *items]:
        for rule in st.rules or [st.rule]:
            if rule not in rules:
                rules.append(rule)
    status = primary.status if primary.status in STATUSES else "DONE"
    signing = tuple(t for t in SIGNED_TYPES
                    if not (t == "MOU" and primary.type in PRELIMINARY_MOU))
    if any(s.status == "DONE" and (s.completes or (s.type in (primary.type, *signing)
                                                   and not s.headline))
           for s in items):
        # `짓는다` in the lead, `계약을 맺었다` below: the deal is signed (also when the
        # signing is told as a contract or an MOU: `… 품에 안긴다` … `M&A 계약을 맺었다`)
        status = "DONE"
    return Deal(primary.type, status, primary.company, list(primary.partners), date, amount,
                duration, primary.evidence, primary.evidence_text, rules)


def _merger_told_by_lead(cluster: _Cluster, clusters: list[_Cluster]) -> _Cluster | None:
    """`이마트가 이마트에브리데이를 품는다` in the lead, `흡수합병하기로 결정했다` below: an
    undated purchase told only by the lead is the merger of the same buyer and company the
    body states; that merger's cluster, else None."""
    items = cluster.items
    if not all(s.lead and s.type == "ACQUISITION" and not s.date_stated for s in items):
        return None
    first = items[0]
    return next((other for other in clusters
                 if other is not cluster and other.kind == "merger"
                 and other.items[0].participants == first.participants
                 and any(s.type == "MERGER" and s.company == first.company
                         for s in other.items)), None)


def merge_statements(statements: list[Statement], precedence: list[str],
                     paperwork: tuple[str, ...] = ()) -> list[Deal]:
    """One deal per group of statements about the same deal, in text order; `paperwork`
    names the contracts that belong to a merger or purchase (deals.yaml words)."""
    clusters: list[_Cluster] = []
    by_participants: dict[frozenset[str], list[_Cluster]] = {}  # only these can accept
    body = [s for s in statements if not s.headline]
    heads = [s for s in statements if s.headline]
    for st in sorted(body, key=lambda s: s.order):
        bucket = by_participants.setdefault(st.participants, [])
        target = next((c for c in bucket if c.accepts(st)), None)
        if target is None:
            clusters.append(_Cluster(st, paperwork))
            bucket.append(clusters[-1])
        else:
            target.add(st)
    for st in heads:
        target = next((c for c in by_participants.get(st.participants, []) if c.accepts(st)),
                      None)
        if target is not None:
            target.add(st)
    kept: list[_Cluster] = []
    for cluster in clusters:
        merger = _merger_told_by_lead(cluster, clusters)
        if merger is None:
            kept.append(cluster)
            continue
        for st in merger.items:   # the lead lends the merger its amount when it has none
            st.amount = st.amount or cluster.items[0].amount
    deals = [_to_deal(c, precedence) for c in kept]
    return sorted(deals, key=lambda d: d.evidence)
