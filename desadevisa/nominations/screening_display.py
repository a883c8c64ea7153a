"""The screening of a nomination as the nomination page shows it: each criterion's verdict,
its explanation in the page's language, and its evidence as named lists."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from desadevisa.nominations.screening import CriterionResult, Verdict, nomination_screen

CRITERION_TITLES = {
    1: _("1. Unique product"),
    2: _("2. Made in the village"),
    3: _("3. Several craft units"),
    4: _("4. Members of a cooperative or association"),
}
# The evidence lists shown under a criterion, each a list of {"id", "name"}; the figures are
# in the explanation already.
EVIDENCE_LISTS = {
    "similar_products": _("Similar products of designated villages"),
    "units_elsewhere": _("Craft units outside the village"),
    "member_units": _("Members of a cooperative or association"),
    "non_member_units": _("Not members"),
    "units": _("Craft units"),
}


@dataclass(frozen=True)
class EvidenceLine:
    label: str
    names: list[str]


@dataclass(frozen=True)
class CriterionDisplay:
    title: str
    verdict: str
    verdict_label: str
    explanation: str
    evidence: list[EvidenceLine]


@dataclass(frozen=True)
class ScreeningDisplay:
    overall: str
    overall_label: str
    criteria: list[CriterionDisplay]


def screening_for_page(nomination) -> ScreeningDisplay:
    """The screening of ``nomination`` now, in the active language."""
    result = nomination_screen(nomination=nomination)
    english = (get_language() or "id").startswith("en")
    return ScreeningDisplay(
        overall=str(result.overall),
        overall_label=str(Verdict(result.overall).label),
        criteria=[_criterion(criterion, english=english) for criterion in result.criteria],
    )


def _criterion(criterion: CriterionResult, *, english: bool) -> CriterionDisplay:
    # Members and non-members say more than the list of all makers under criterion 4.
    shown = [name for name in EVIDENCE_LISTS if criterion.evidence.get(name)]
    if "member_units" in shown or "non_member_units" in shown:
        shown.remove("units")
    return CriterionDisplay(
        title=str(CRITERION_TITLES[criterion.criterion]),
        verdict=str(criterion.verdict),
        verdict_label=str(Verdict(criterion.verdict).label),
        explanation=criterion.explanation_en if english else criterion.explanation_id,
        evidence=[
            EvidenceLine(
                label=str(EVIDENCE_LISTS[name]),
                names=[item["name"] for item in criterion.evidence[name]],
            )
            for name in shown
        ],
    )
