"""Eligibility screening of a nominated village against the programme's criteria (SPEC.md §4).

The rules live in one pure function, :func:`screening_evaluate`, over plain data
(:class:`ScreeningFacts`); :func:`nomination_screen` reads those facts for one nomination with a
constant number of queries. :func:`screening_batch` screens every village of a cycle in one pass
with set-based queries, and :func:`screening_batch_sql_floor` computes the same verdicts in one
hand-written SQL statement, the floor the benchmark compares the batch with.

Criteria, in the programme's numbering:

1. **Unique**: the flagship product has a uniqueness statement, and the programme officer's
   latest review of it (``nominations.uniqueness``) confirmed it: *pass*; refused it: *fail*; none
   yet: *needs review*. The reviewer is helped by the list of "similar" products, those of
   villages already designated (a nomination in state designated, or a designation) in the same
   province with the same HS heading (first four digits of the HS code). The nominated village's
   own products are never listed. No statement: *fail*, whatever the review.
2. **Made in the village**: the product has an origin statement, at least one active craft unit is
   listed for it, and every active unit listed for it lies in the village; otherwise *fail*. Then
   the finding on criterion 2 of the latest submitted verification visit decides: confirmed in
   the village, *pass*; not confirmed, *fail*. Before the visit the verdict is *pass* "to be
   confirmed on the visit" (the explanation says so).
3. **Several craft units**: the active units of the village listed for the product number at
   least the cycle's ``min_craft_units``.
4. **Membership**: of those units, the share that are current members (on the screening day,
   today by default) of a cooperative or association is at least the cycle's
   ``min_membership_share`` per cent. The share is compared exactly, in integers
   (``members * 100 >= share * units``). With no such unit there is no share to speak of: *fail*,
   whatever the threshold.

Edge cases decided here: inactive craft units count for nothing (neither as makers, nor as units
made elsewhere); a statement made only of blanks (spaces, tabs, line breaks) is missing; a
membership of a village-owned enterprise (BUMDes) does not count for criterion 4.

The overall verdict is *fail* if any criterion fails, else *needs review* if any needs review,
else *pass*: a village passes once the programme officer has confirmed its product's uniqueness
and the registry (and the visit) bear out the other three.

Batch screening: every village with a profile is screened, with as candidate the product of the
village that has the most active makers in the village (ties: lowest product id). A village with
a profile and no product at all fails the four criteria (row with ``product_id`` ``None``). The
batch reads the registry only: it does not list similar products, nor read reviews or visits
(criterion 1 is "statement present", criterion 2 the registry's facts).
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    FilteredRelation,
    Func,
    IntegerField,
    OuterRef,
    Q,
    TextChoices,
    TextField,
    Value,
    Window,
)
from django.db.models.functions import Length, RowNumber
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from desadevisa.catalog.models import Product
from desadevisa.nominations.models import (
    UNIQUENESS_REVIEW_KINDS,
    Nomination,
    NominationEvent,
    NominationEventKind,
    NominationState,
    ProgrammeCycle,
)
from desadevisa.registry.models import (
    CraftUnit,
    Membership,
    OrganisationKind,
    VillageProfile,
)

# Kinds of organisation whose membership counts for criterion 4.
MEMBERSHIP_KINDS = (OrganisationKind.COOPERATIVE, OrganisationKind.ASSOCIATION)
# Characters that do not make a statement: one made only of these is missing.
BLANKS = " \t\r\n"
# At most this many similar products are listed as evidence (the total is always given).
SIMILAR_PRODUCTS_LISTED = 50
# The languages every explanation is written in.
EXPLANATION_LANGUAGES = ("id", "en")


class Verdict(TextChoices):
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")
    NEEDS_REVIEW = "needs_review", _("Needs review")


def _verdict_of(*verdicts: str) -> Verdict:
    """The overall verdict: fail if any fails, else needs review if any does, else pass."""
    if Verdict.FAIL in verdicts:
        return Verdict.FAIL
    if Verdict.NEEDS_REVIEW in verdicts:
        return Verdict.NEEDS_REVIEW
    return Verdict.PASS


def statement_present(text: str | None) -> bool:
    """Whether a statement says something: not empty once the surrounding blanks are removed."""
    return bool(text and text.strip(BLANKS))


# Verdicts from counts: shared by the single screening and the batch so they cannot disagree.


def uniqueness_verdict(*, has_uniqueness_statement: bool) -> Verdict:
    return Verdict.NEEDS_REVIEW if has_uniqueness_statement else Verdict.FAIL


def origin_verdict(*, has_origin_statement: bool, listed_active: int, elsewhere: int) -> Verdict:
    complete = has_origin_statement and listed_active > 0 and elsewhere == 0
    return Verdict.PASS if complete else Verdict.FAIL


def units_verdict(*, makers: int, min_craft_units: int) -> Verdict:
    return Verdict.PASS if makers >= min_craft_units else Verdict.FAIL


def membership_verdict(*, makers: int, members: int, min_membership_share: int) -> Verdict:
    if makers == 0:
        return Verdict.FAIL
    return Verdict.PASS if members * 100 >= min_membership_share * makers else Verdict.FAIL


@dataclass(frozen=True)
class CriterionResult:
    """The verdict on one criterion, why in one sentence per language, and the evidence."""

    criterion: int
    verdict: str
    explanation_id: str
    explanation_en: str
    evidence: Mapping[str, Any] = field(default_factory=dict)

    @property
    def verdict_label(self) -> str:
        return str(Verdict(self.verdict).label)

    @property
    def explanation(self) -> str:
        """The explanation in the active language (Indonesian unless English is active)."""
        language = translation.get_language() or "id"
        return self.explanation_en if language.startswith("en") else self.explanation_id

    def as_json(self) -> dict[str, Any]:
        return {
            "criterion": self.criterion,
            "verdict": str(self.verdict),
            "explanation_id": self.explanation_id,
            "explanation_en": self.explanation_en,
            "evidence": dict(self.evidence),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CriterionResult:
        return cls(
            criterion=int(data["criterion"]),
            verdict=Verdict(data["verdict"]),
            explanation_id=str(data["explanation_id"]),
            explanation_en=str(data["explanation_en"]),
            evidence=dict(data.get("evidence") or {}),
        )


@dataclass(frozen=True)
class ScreeningResult:
    """The four criteria in order 1..4 and the overall verdict."""

    criteria: tuple[CriterionResult, ...]
    overall: str

    @classmethod
    def of(cls, criteria: tuple[CriterionResult, ...]) -> ScreeningResult:
        return cls(criteria=criteria, overall=_verdict_of(*(c.verdict for c in criteria)))

    def criterion(self, number: int) -> CriterionResult:
        return self.criteria[number - 1]

    @property
    def overall_label(self) -> str:
        return str(Verdict(self.overall).label)

    def as_json(self) -> dict[str, Any]:
        """A plain, stable dictionary to store as the snapshot of a transition."""
        return {
            "version": 1,
            "overall": str(self.overall),
            "criteria": [c.as_json() for c in self.criteria],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ScreeningResult:
        criteria = tuple(CriterionResult.from_json(item) for item in data["criteria"])
        return cls(criteria=criteria, overall=Verdict(data["overall"]))


# Facts: plain data read from the registry.


@dataclass(frozen=True)
class UnitFact:
    """A craft unit listed for the product, and its current memberships that count."""

    id: int
    name: str
    village_id: str
    is_active: bool
    # Memberships running on the screening day in a cooperative or an association:
    # (membership id, organisation id, organisation name).
    memberships: tuple[tuple[int, int, str], ...] = ()


@dataclass(frozen=True)
class UniquenessReview:
    """The programme officer's latest review of the product's uniqueness (criterion 1)."""

    is_confirmed: bool
    reviewer: str
    at: str
    comment: str

    def as_json(self) -> dict[str, Any]:
        return {
            "confirmed": self.is_confirmed,
            "reviewer": self.reviewer,
            "at": self.at,
            "comment": self.comment,
        }


@dataclass(frozen=True)
class OriginFinding:
    """The finding on criterion 2 (made in the village) of the latest submitted visit."""

    is_confirmed: bool
    visited_on: str
    note: str

    def as_json(self) -> dict[str, Any]:
        return {"confirmed": self.is_confirmed, "visited_on": self.visited_on, "note": self.note}


@dataclass(frozen=True)
class ScreeningFacts:
    """Everything the screening rules look at, read from the registry."""

    village_id: str
    village_name: str
    product_id: int
    product_name: str
    hs_code: str
    has_uniqueness_statement: bool
    has_origin_statement: bool
    units: tuple[UnitFact, ...] = ()
    # Products of designated villages of the same province and HS heading: (id, name), and how
    # many there are in all (the list may be cut short).
    similar_products: tuple[tuple[int, str], ...] = ()
    similar_total: int = 0
    uniqueness_review: UniquenessReview | None = None
    origin_finding: OriginFinding | None = None


def _explain(message, **figures: Any) -> tuple[str, str]:
    """The sentence ``message`` with its figures, in Indonesian and in English."""
    sentences = []
    for language in EXPLANATION_LANGUAGES:
        with translation.override(language):
            # The lazy message turns into the active language's sentence when made a string.
            sentences.append(str(message) % figures)
    return sentences[0], sentences[1]


def _units_json(units) -> list[dict[str, Any]]:
    return [{"id": unit.id, "name": unit.name} for unit in units]


def _criterion_uniqueness(facts: ScreeningFacts) -> CriterionResult:
    verdict = uniqueness_verdict(has_uniqueness_statement=facts.has_uniqueness_statement)
    evidence = {
        "product": {"id": facts.product_id, "name": facts.product_name},
        "hs_heading": facts.hs_code[:4],
        "similar_products": [{"id": pk, "name": name} for pk, name in facts.similar_products],
        "similar_total": facts.similar_total,
    }
    review = facts.uniqueness_review
    if verdict == Verdict.FAIL:
        texts = _explain(
            UNIQUENESS_MISSING,
            product=facts.product_name,
        )
    else:
        message = UNIQUENESS_TO_REVIEW
        if review is not None:
            evidence["review"] = review.as_json()
            verdict = Verdict.PASS if review.is_confirmed else Verdict.FAIL
            message = UNIQUENESS_CONFIRMED if review.is_confirmed else UNIQUENESS_REFUSED
        texts = _explain(
            message,
            product=facts.product_name,
            similar=facts.similar_total,
            heading=facts.hs_code[:4],
        )
    return CriterionResult(1, verdict, *texts, evidence=evidence)


def _criterion_origin(facts: ScreeningFacts) -> CriterionResult:
    active = [unit for unit in facts.units if unit.is_active]
    elsewhere = [unit for unit in active if unit.village_id != facts.village_id]
    verdict = origin_verdict(
        has_origin_statement=facts.has_origin_statement,
        listed_active=len(active),
        elsewhere=len(elsewhere),
    )
    evidence = {
        "units": _units_json(active),
        "units_elsewhere": [
            {"id": unit.id, "name": unit.name, "village_id": unit.village_id} for unit in elsewhere
        ],
        "has_origin_statement": facts.has_origin_statement,
    }
    figures = {"product": facts.product_name, "village": facts.village_name}
    if not facts.has_origin_statement:
        texts = _explain(ORIGIN_STATEMENT_MISSING, **figures)
    elif not active:
        texts = _explain(ORIGIN_NO_UNIT, **figures)
    elif elsewhere:
        texts = _explain(
            ORIGIN_UNITS_ELSEWHERE, elsewhere=len(elsewhere), listed=len(active), **figures
        )
    elif facts.origin_finding is None:
        texts = _explain(ORIGIN_TO_CONFIRM, listed=len(active), **figures)
    else:
        evidence["visit_finding"] = facts.origin_finding.as_json()
        if facts.origin_finding.is_confirmed:
            texts = _explain(ORIGIN_CONFIRMED, listed=len(active), **figures)
        else:
            verdict = Verdict.FAIL
            texts = _explain(ORIGIN_NOT_CONFIRMED, **figures)
    return CriterionResult(2, verdict, *texts, evidence=evidence)


def _makers(facts: ScreeningFacts) -> list[UnitFact]:
    return [u for u in facts.units if u.is_active and u.village_id == facts.village_id]


def _criterion_units(facts: ScreeningFacts, *, min_craft_units: int) -> CriterionResult:
    makers = _makers(facts)
    verdict = units_verdict(makers=len(makers), min_craft_units=min_craft_units)
    message = UNITS_ENOUGH if verdict == Verdict.PASS else UNITS_TOO_FEW
    texts = _explain(
        message, count=len(makers), required=min_craft_units, village=facts.village_name
    )
    evidence = {"units": _units_json(makers), "count": len(makers), "required": min_craft_units}
    return CriterionResult(3, verdict, *texts, evidence=evidence)


def _criterion_membership(facts: ScreeningFacts, *, min_membership_share: int) -> CriterionResult:
    makers = _makers(facts)
    members = [unit for unit in makers if unit.memberships]
    verdict = membership_verdict(
        makers=len(makers), members=len(members), min_membership_share=min_membership_share
    )
    share = (len(members) * 100 // len(makers)) if makers else 0
    evidence = {
        "units": _units_json(makers),
        "member_units": _units_json(members),
        "non_member_units": _units_json(unit for unit in makers if not unit.memberships),
        "memberships": [
            {"id": pk, "craft_unit_id": unit.id, "organisation_id": org_id, "organisation": org}
            for unit in members
            for pk, org_id, org in unit.memberships
        ],
        "share": share,
        "required": min_membership_share,
    }
    if not makers:
        texts = _explain(MEMBERSHIP_NO_UNIT, required=min_membership_share)
    else:
        message = MEMBERSHIP_ENOUGH if verdict == Verdict.PASS else MEMBERSHIP_TOO_LOW
        texts = _explain(
            message,
            members=len(members),
            count=len(makers),
            share=share,
            required=min_membership_share,
        )
    return CriterionResult(4, verdict, *texts, evidence=evidence)


def screening_evaluate(
    facts: ScreeningFacts, *, min_craft_units: int, min_membership_share: int
) -> ScreeningResult:
    """Apply the four criteria to ``facts`` (no database access)."""
    return ScreeningResult.of(
        (
            _criterion_uniqueness(facts),
            _criterion_origin(facts),
            _criterion_units(facts, min_craft_units=min_craft_units),
            _criterion_membership(facts, min_membership_share=min_membership_share),
        )
    )


# The explanations. Each is one sentence with its figures; %(name)s placeholders are filled in.
UNIQUENESS_MISSING = _(
    "The product %(product)s has no uniqueness statement, so its uniqueness cannot be assessed."
)
UNIQUENESS_TO_REVIEW = _(
    "The product %(product)s has a uniqueness statement, to be confirmed by the programme "
    "officer against %(similar)s similar products of designated villages of the province in HS "
    "heading %(heading)s."
)
UNIQUENESS_CONFIRMED = _(
    "The programme officer confirmed that the product %(product)s is unique, against "
    "%(similar)s similar products of designated villages of the province in HS heading "
    "%(heading)s."
)
UNIQUENESS_REFUSED = _(
    "The programme officer found that the product %(product)s is not unique, against "
    "%(similar)s similar products of designated villages of the province in HS heading "
    "%(heading)s."
)
ORIGIN_STATEMENT_MISSING = _(
    "The product %(product)s has no origin statement, so it cannot be shown to be made in "
    "%(village)s."
)
ORIGIN_NO_UNIT = _("No active craft unit is listed as making the product %(product)s.")
ORIGIN_UNITS_ELSEWHERE = _(
    "%(elsewhere)s of the %(listed)s active craft units listed for the product %(product)s lie "
    "outside %(village)s."
)
ORIGIN_TO_CONFIRM = _(
    "All %(listed)s active craft units listed for the product %(product)s lie in %(village)s and "
    "it has an origin statement; to be confirmed on the visit."
)
ORIGIN_CONFIRMED = _(
    "All %(listed)s active craft units listed for the product %(product)s lie in %(village)s, it "
    "has an origin statement, and the verification visit confirmed it is made there."
)
ORIGIN_NOT_CONFIRMED = _(
    "The verification visit did not confirm that the product %(product)s is made in %(village)s."
)
UNITS_ENOUGH = _(
    "%(count)s active craft units in %(village)s make the product, at least the %(required)s the "
    "cycle requires."
)
UNITS_TOO_FEW = _(
    "Only %(count)s active craft units in %(village)s make the product, fewer than the "
    "%(required)s the cycle requires."
)
MEMBERSHIP_NO_UNIT = _(
    "No active craft unit of the village makes the product, so no membership share can be "
    "computed against the required %(required)s%%."
)
MEMBERSHIP_ENOUGH = _(
    "%(members)s of the %(count)s craft units making the product are current members of a "
    "cooperative or association (%(share)s%%), meeting the required %(required)s%%."
)
MEMBERSHIP_TOO_LOW = _(
    "Only %(members)s of the %(count)s craft units making the product are current members of a "
    "cooperative or association (%(share)s%%), below the required %(required)s%%."
)


# Reading the facts of one nomination.


def _current_memberships(on: datetime.date):
    return Membership.objects.current(on=on).filter(organisation__kind__in=list(MEMBERSHIP_KINDS))


def _designated_villages():
    """Villages with a nomination designated, or a designation, in any cycle."""
    return Nomination.objects.filter(
        Q(state=NominationState.DESIGNATED) | Q(designation__isnull=False)
    ).values("village_id")


def uniqueness_review_latest(nomination: Nomination) -> UniquenessReview | None:
    """The programme officer's latest review of the uniqueness of ``nomination``'s product."""
    event = (
        NominationEvent.objects.filter(
            nomination_id=nomination.pk, kind__in=UNIQUENESS_REVIEW_KINDS
        )
        .order_by("-at", "-pk")
        .first()
    )
    return None if event is None else uniqueness_review_of(event)


def uniqueness_review_of(event: NominationEvent) -> UniquenessReview:
    return UniquenessReview(
        is_confirmed=event.kind == NominationEventKind.UNIQUENESS_CONFIRMED,
        reviewer=event.actor_label,
        at=event.at.isoformat(),
        comment=event.comment,
    )


def _origin_finding(nomination: Nomination) -> OriginFinding | None:
    # Through the visits' reverse relation: verification builds on nominations, not the reverse.
    visits = Nomination._meta.get_field("visits").related_model
    findings = visits._meta.get_field("criterion_findings").related_model
    row = (
        findings.objects.filter(
            visit__nomination_id=nomination.pk, visit__state="submitted", criterion=2
        )
        .exclude(finding="")
        .order_by("-visit__submitted_at", "-visit_id")
        .values_list("finding", "note", "visit__planned_on")
        .first()
    )
    if row is None:
        return None
    finding, note, visited_on = row
    return OriginFinding(
        is_confirmed=finding == "confirmed", visited_on=visited_on.isoformat(), note=note
    )


def similar_products(*, village, hs_code: str):
    """Products of villages already designated in ``village``'s province with the HS heading of
    ``hs_code``, except ``village``'s own: the evidence the uniqueness reviewer weighs."""
    return Product.objects.filter(
        village__province_id=village.province_id,
        hs_code__code__startswith=hs_code[:4],
        village_id__in=_designated_villages(),
    ).exclude(village_id=village.pk)


def screening_facts(
    *,
    nomination: Nomination,
    on: datetime.date | None = None,
    uniqueness_review: UniquenessReview | None = None,
) -> ScreeningFacts:
    """Read what the screening of ``nomination`` looks at: six queries, whatever the data
    (product with its village, listed units, their current memberships, similar products, the
    uniqueness review, the visit's finding on criterion 2). ``uniqueness_review`` stands for
    the latest review when given (one being written)."""
    day = on or timezone.localdate()
    product = Product.objects.select_related("village").get(pk=nomination.flagship_product_id)
    same = nomination.village_id in (None, product.village_id)
    village = product.village if same else nomination.village
    units = list(
        CraftUnit.objects.filter(products=product)
        .order_by("id")
        .values_list("id", "name", "village_id", "is_active")
    )
    memberships: dict[int, list[tuple[int, int, str]]] = {}
    for pk, unit_id, org_id, org_name in (
        _current_memberships(day)
        .filter(craft_unit__products=product)
        .order_by("craft_unit_id", "id")
        .values_list("id", "craft_unit_id", "organisation_id", "organisation__legal_name")
    ):
        memberships.setdefault(unit_id, []).append((pk, org_id, org_name))
    similar = (
        similar_products(village=village, hs_code=product.hs_code_id)
        .annotate(total=Window(Count("id")))
        .order_by("name_en", "id")
        .values_list("id", "name_en", "total")[:SIMILAR_PRODUCTS_LISTED]
    )
    similar = list(similar)
    return ScreeningFacts(
        village_id=village.pk,
        village_name=village.name,
        product_id=product.pk,
        product_name=product.name_en,
        hs_code=product.hs_code_id,
        has_uniqueness_statement=statement_present(product.uniqueness_statement),
        has_origin_statement=statement_present(product.origin_statement),
        units=tuple(
            UnitFact(
                id=pk,
                name=name,
                village_id=village_id,
                is_active=is_active,
                memberships=tuple(memberships.get(pk, ())),
            )
            for pk, name, village_id, is_active in units
        ),
        similar_products=tuple((pk, name) for pk, name, _total in similar),
        similar_total=similar[0][2] if similar else 0,
        uniqueness_review=uniqueness_review or uniqueness_review_latest(nomination),
        origin_finding=_origin_finding(nomination),
    )


def nomination_screen(
    *,
    nomination: Nomination,
    on: datetime.date | None = None,
    uniqueness_review: UniquenessReview | None = None,
) -> ScreeningResult:
    """Screen ``nomination`` against its cycle's thresholds, on ``on`` (today by default)."""
    cycle = nomination.cycle
    return screening_evaluate(
        screening_facts(nomination=nomination, on=on, uniqueness_review=uniqueness_review),
        min_craft_units=cycle.min_craft_units,
        min_membership_share=cycle.min_membership_share,
    )


# Batch screening of every village of a cycle.


class BatchRow(NamedTuple):
    """One village's screening in the batch: its candidate product, the counts and verdicts.

    A named tuple: immutable like a frozen dataclass, and built several times faster, which
    counts when a batch makes one per village of the country.
    """

    village_id: str
    product_id: int | None
    makers: int
    members: int
    listed_active: int
    has_uniqueness_statement: bool
    has_origin_statement: bool
    verdicts: tuple[str, str, str, str]
    overall: str


@dataclass(frozen=True)
class BatchCounts:
    """How many villages got each verdict, overall and per criterion (every verdict present)."""

    villages: int
    overall: Mapping[str, int]
    criteria: Mapping[int, Mapping[str, int]]

    @classmethod
    def of(cls, verdict_rows: Iterator[tuple[tuple[str, str, str, str], int]]) -> BatchCounts:
        """Sum ``((c1, c2, c3, c4), how many)`` pairs."""
        overall: Counter[str] = Counter()
        criteria: dict[int, Counter[str]] = {number: Counter() for number in range(1, 5)}
        for verdicts, many in verdict_rows:
            overall[_verdict_of(*verdicts)] += many
            for number, verdict in enumerate(verdicts, start=1):
                criteria[number][verdict] += many
        return cls(
            villages=sum(overall.values()),
            overall={str(v): overall[v] for v in Verdict.values},
            criteria={n: {str(v): c[v] for v in Verdict.values} for n, c in criteria.items()},
        )


@dataclass(frozen=True)
class BatchScreening:
    """Every village of the cycle screened: one row per village (by village code) and counts."""

    cycle_id: int
    screened_on: datetime.date
    rows: tuple[BatchRow, ...]
    counts: BatchCounts


def batch_verdicts(
    *,
    makers: int,
    members: int,
    listed_active: int,
    has_uniqueness_statement: bool,
    has_origin_statement: bool,
    min_craft_units: int,
    min_membership_share: int,
) -> tuple[Verdict, Verdict, Verdict, Verdict]:
    """The four verdicts from a product's counts, by the rules of :func:`screening_evaluate`."""
    return (
        uniqueness_verdict(has_uniqueness_statement=has_uniqueness_statement),
        origin_verdict(
            has_origin_statement=has_origin_statement,
            listed_active=listed_active,
            elsewhere=listed_active - makers,
        ),
        units_verdict(makers=makers, min_craft_units=min_craft_units),
        membership_verdict(
            makers=makers, members=members, min_membership_share=min_membership_share
        ),
    )


class StripBlanks(Func):
    """The text without its surrounding blanks (spaces, tabs, line breaks)."""

    function = "TRIM"
    output_field = TextField()

    def __init__(self, expression, **extra):
        super().__init__(expression, Value(BLANKS), **extra)

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="BTRIM", **extra_context)


def _batch_candidates(day: datetime.date):
    """Per village with a profile, its candidate product with the counts the verdicts need.

    Only active units are joined (inactive ones count for nothing), and their current
    memberships are joined too (not tested with ``IN (subquery)``, which PostgreSQL cannot hash
    at national scale and then scans once per row); a unit may have several memberships, so the
    counts are distinct.
    """
    made_here = Q(active_unit__village_id=F("village_id"))
    member = Q(current_membership__organisation__kind__in=MEMBERSHIP_KINDS)
    return (
        Product.objects.filter(village_id__in=VillageProfile.objects.values("village_id"))
        .alias(
            active_unit=FilteredRelation("craft_units", condition=Q(craft_units__is_active=True)),
            current_membership=FilteredRelation(
                "active_unit__memberships",
                condition=Q(active_unit__memberships__started_on__lte=day)
                & (
                    Q(active_unit__memberships__ended_on__isnull=True)
                    | Q(active_unit__memberships__ended_on__gte=day)
                ),
            ),
        )
        .annotate(
            # Before the counts, so that they are grouping keys (determined by the product id):
            # PostgreSQL computes them under the join, and the statements' text does not go
            # through the sort and the aggregate (half the width, half the spilling).
            uniqueness_length=Length(StripBlanks("uniqueness_statement")),
            origin_length=Length(StripBlanks("origin_statement")),
        )
        .annotate(
            listed_active=Count("active_unit", distinct=True),
            makers=Count("active_unit", filter=made_here, distinct=True),
            members=Count("active_unit", filter=made_here & member, distinct=True),
            rank=Window(
                RowNumber(),
                partition_by=F("village_id"),
                order_by=(F("makers").desc(), F("id").asc()),
                output_field=IntegerField(),
            ),
        )
        .filter(rank=1)
        .order_by()
        .values_list(
            "village_id",
            "id",
            "makers",
            "members",
            "listed_active",
            "uniqueness_length",
            "origin_length",
        )
    )


def screening_batch(*, cycle: ProgrammeCycle, on: datetime.date | None = None) -> BatchScreening:
    """Screen every village with a profile in ``cycle`` in one pass (two set-based queries).

    The candidate of a village is its product with the most active makers in the village (ties:
    lowest id). Counts are aggregated in the database, grouped by product, and only one row per
    village comes back.

    Both queries are read whole through an ordinary cursor, not with ``.iterator()``: on
    PostgreSQL that declares a server-side cursor, which PostgreSQL never plans in parallel, and
    the candidates' joins and aggregates then take a third to a half longer at national scale.
    The rows are small (a village code and six figures): holding them all costs a few megabytes.
    """
    day = on or timezone.localdate()
    without_product = (
        VillageProfile.objects.filter(
            ~Exists(Product.objects.filter(village_id=OuterRef("village_id")))
        )
        .order_by()
        .values_list("village_id", flat=True)
    )
    thresholds = {
        "min_craft_units": cycle.min_craft_units,
        "min_membership_share": cycle.min_membership_share,
    }
    # The verdicts depend on a few small figures only: work each combination out once.
    outcomes: dict[tuple[int, int, int, bool, bool], tuple[tuple[Verdict, ...], Verdict]] = {}
    tally: Counter[tuple[str, str, str, str]] = Counter()
    rows = []
    # The compiled statement runs on a plain cursor: Django's per-value converters (int() on
    # every count) would cost more than the verdicts, and the driver already returns integers.
    candidates, params = _batch_candidates(day).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(candidates, params)
        found = cursor.fetchall()
    for village_id, product_id, makers, members, listed, uniqueness, origin in found:
        facts = (makers, members, listed, bool(uniqueness), bool(origin))
        outcome = outcomes.get(facts)
        if outcome is None:
            verdicts = batch_verdicts(
                makers=makers,
                members=members,
                listed_active=listed,
                has_uniqueness_statement=facts[3],
                has_origin_statement=facts[4],
                **thresholds,
            )
            outcome = outcomes[facts] = (verdicts, _verdict_of(*verdicts))
        tally[outcome[0]] += 1
        rows.append(BatchRow(village_id, product_id, *facts, *outcome))
    nothing = (Verdict.FAIL,) * 4
    before = len(rows)
    rows.extend(
        BatchRow(village_id, None, 0, 0, 0, False, False, nothing, Verdict.FAIL)
        for village_id in without_product
    )
    tally[nothing] += len(rows) - before
    rows.sort(key=_village_of)
    return BatchScreening(
        cycle_id=cycle.pk,
        screened_on=day,
        rows=tuple(rows),
        counts=BatchCounts.of(iter(tally.items())),
    )


_village_of = attrgetter("village_id")


# The floor: the same verdicts in one hand-written statement, counted in the database.

_FLOOR_SQL = """
WITH member_units AS (
    SELECT DISTINCT m.craft_unit_id
    FROM {membership} m
    JOIN {organisation} o ON o.id = m.organisation_id
    WHERE o.kind IN (%(kind_1)s, %(kind_2)s)
      AND m.started_on <= %(day)s
      AND (m.ended_on IS NULL OR m.ended_on >= %(day)s)
),
product_counts AS (
    SELECT p.id, p.village_id,
           COUNT(cu.id) AS listed_active,
           COUNT(CASE WHEN cu.village_id = p.village_id THEN 1 END) AS makers,
           COUNT(CASE WHEN cu.village_id = p.village_id AND mu.craft_unit_id IS NOT NULL
                      THEN 1 END) AS members
    FROM {product} p
    LEFT JOIN {product_units} pu ON pu.product_id = p.id
    LEFT JOIN {craft_unit} cu ON cu.id = pu.craftunit_id AND cu.is_active = %(true)s
    LEFT JOIN member_units mu ON mu.craft_unit_id = cu.id
    WHERE p.village_id IN (SELECT village_id FROM {profile})
    GROUP BY p.id, p.village_id
),
ranked AS (
    SELECT pc.*,
           ROW_NUMBER() OVER (PARTITION BY pc.village_id ORDER BY pc.makers DESC, pc.id) AS rank
    FROM product_counts pc
),
screened AS (
    SELECT
        CASE WHEN LENGTH({trim}(p.uniqueness_statement, %(blanks)s)) > 0
             THEN 'needs_review' ELSE 'fail' END AS c1,
        CASE WHEN LENGTH({trim}(p.origin_statement, %(blanks)s)) > 0
                  AND r.listed_active > 0 AND r.listed_active = r.makers
             THEN 'pass' ELSE 'fail' END AS c2,
        CASE WHEN r.makers >= %(min_units)s THEN 'pass' ELSE 'fail' END AS c3,
        CASE WHEN r.makers > 0 AND r.members * 100 >= %(min_share)s * r.makers
             THEN 'pass' ELSE 'fail' END AS c4
    FROM {profile} vp
    LEFT JOIN ranked r ON r.village_id = vp.village_id AND r.rank = 1
    LEFT JOIN {product} p ON p.id = r.id
)
SELECT c1, c2, c3, c4, COUNT(*) FROM screened GROUP BY c1, c2, c3, c4
"""


def _floor_sql() -> str:
    product_units = Product.craft_units.through._meta
    return _FLOOR_SQL.format(
        membership=Membership._meta.db_table,
        organisation=Membership._meta.get_field("organisation").related_model._meta.db_table,
        product=Product._meta.db_table,
        product_units=product_units.db_table,
        craft_unit=CraftUnit._meta.db_table,
        profile=VillageProfile._meta.db_table,
        trim="BTRIM" if connection.vendor == "postgresql" else "TRIM",
    )


def screening_batch_sql_floor(
    *, cycle: ProgrammeCycle, on: datetime.date | None = None
) -> BatchCounts:
    """The counts of :func:`screening_batch`, from one hand-written SQL statement."""
    day = on or timezone.localdate()
    params = {
        "kind_1": MEMBERSHIP_KINDS[0].value,
        "kind_2": MEMBERSHIP_KINDS[1].value,
        "day": day,
        "true": True,
        "blanks": BLANKS,
        "min_units": cycle.min_craft_units,
        "min_share": cycle.min_membership_share,
    }
    with connection.cursor() as cursor:
        cursor.execute(_floor_sql(), params)
        return BatchCounts.of(((c1, c2, c3, c4), many) for c1, c2, c3, c4, many in cursor)
