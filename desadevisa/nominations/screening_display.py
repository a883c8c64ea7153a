"""The screening of a nomination as the nomination page shows it: each criterion's verdict,
its explanation in the page's language, and its evidence."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class CriterionDisplay:
    title: str
    verdict: str
    verdict_label: str
    explanation: str
    evidence: list[str]


@dataclass(frozen=True)
class ScreeningDisplay:
    overall: str
    overall_label: str
    criteria: list[CriterionDisplay]


def _evidence_lines(evidence: Any) -> list[str]:
    if evidence is None:
        return []
    if isinstance(evidence, dict):
        return [f"{key}: {_evidence_text(value)}" for key, value in evidence.items()]
    if isinstance(evidence, list | tuple | set | frozenset):
        return [_evidence_text(item) for item in evidence]
    return [str(evidence)]


def _evidence_text(value: Any) -> str:
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(str(item) for item in value)
    return str(value)


CRITERION_TITLES = {
    1: _("1. Unique product"),
    2: _("2. Made in the village"),
    3: _("3. Several craft units"),
    4: _("4. Members of a cooperative or association"),
}


def screening_for_page(nomination) -> ScreeningDisplay | None:
    """The screening of ``nomination`` now, or None when screening is not available."""
    try:
        from desadevisa.nominations.screening import nomination_screen
    except ImportError:
        return None
    result = nomination_screen(nomination=nomination)
    english = (get_language() or "id").startswith("en")
    return ScreeningDisplay(
        overall=str(result.overall),
        overall_label=_label_of(result.overall),
        criteria=[
            CriterionDisplay(
                title=str(CRITERION_TITLES.get(criterion.criterion, criterion.criterion)),
                verdict=str(criterion.verdict),
                verdict_label=_label_of(criterion.verdict),
                explanation=criterion.explanation_en if english else criterion.explanation_id,
                evidence=_evidence_lines(criterion.evidence),
            )
            for criterion in result.criteria
        ],
    )


def _label_of(verdict: Any) -> str:
    from desadevisa.nominations.screening import Verdict

    return str(Verdict(str(verdict)).label)
