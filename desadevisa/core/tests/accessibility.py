"""The automated accessibility check of the browser tests: axe-core run in the page under test.

axe-core is vendored in ``vendor/axe-core`` (see its SOURCE.md). The site's Content Security
Policy allows scripts from its own origin only (``script-src 'self'``), so the usual way of
adding a script to a page, a ``<script>`` element with the file's text (Playwright's
``add_script_tag``), is refused by the browser. The file's text is instead evaluated through
the DevTools protocol (``page.evaluate``), which a page's policy does not govern: the page keeps
its real policy, and the check sees the site exactly as visitors do.

``axe_check`` returns every violation of the WCAG 2.0 and 2.1 rules of levels A and AA;
``assert_no_serious_violations`` fails on those of impact serious or critical, naming each rule
and the elements that break it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Page

AXE_PATH = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
SERIOUS_IMPACTS = frozenset({"serious", "critical"})

# Runs axe on the whole document or on the selector given, the WCAG A/AA rules only, and
# returns the violations alone (passes and incomplete results are large and unused here).
# Finite animations (a fade-in) are let finish first: colours are checked as the page rests,
# not halfway through a transition.
AXE_RUN = """
async ({context, tags}) => {
    await Promise.all(
        document.getAnimations()
            .filter((animation) => animation.effect
                && animation.effect.getComputedTiming().endTime !== Infinity)
            .map((animation) => animation.finished.catch(() => null))
    );
    const results = await window.axe.run(context === null ? document : context, {
        runOnly: {type: "tag", values: tags},
        resultTypes: ["violations"],
    });
    return results.violations.map((violation) => ({
        rule: violation.id,
        impact: violation.impact,
        help: violation.help,
        help_url: violation.helpUrl,
        nodes: violation.nodes.map((node) => ({
            target: node.target.map(String).join(" "),
            html: node.html,
            summary: node.failureSummary || "",
        })),
    }));
}
"""


@dataclass(frozen=True)
class ViolationNode:
    """One element breaking a rule: its CSS selector, its markup and what is wrong with it."""

    target: str
    html: str
    summary: str


@dataclass(frozen=True)
class Violation:
    """An axe-core rule the page breaks, with every element that breaks it."""

    rule: str
    impact: str | None
    help: str
    help_url: str
    nodes: tuple[ViolationNode, ...]

    @property
    def targets(self) -> list[str]:
        return [node.target for node in self.nodes]

    @property
    def is_serious(self) -> bool:
        return self.impact in SERIOUS_IMPACTS

    def describe(self) -> str:
        lines = [f"{self.rule} ({self.impact}): {self.help} <{self.help_url}>"]
        for node in self.nodes:
            lines.append(f"  - {node.target}: {node.html}")
            lines.extend(
                f"      {line.strip()}" for line in node.summary.splitlines() if line.strip()
            )
        return "\n".join(lines)


@cache
def axe_source() -> str:
    return AXE_PATH.read_text(encoding="utf-8")


def axe_inject(page: Page) -> None:
    """Make ``window.axe`` available in the page, once per document, whatever its CSP says."""
    if page.evaluate("() => typeof window.axe === 'object' && window.axe !== null"):
        return
    # A string that is not a function is evaluated as a script in the page's main world.
    page.evaluate(axe_source())


def axe_check(page: Page, *, context: str | None = None) -> list[Violation]:
    """The WCAG 2.0/2.1 A and AA violations axe-core finds in ``page`` (or in the part of it
    that the CSS selector ``context`` names), after the page has loaded."""
    page.wait_for_load_state("load")
    axe_inject(page)
    found: list[dict[str, Any]] = page.evaluate(AXE_RUN, {"context": context, "tags": WCAG_TAGS})
    return [
        Violation(
            rule=each["rule"],
            impact=each["impact"],
            help=each["help"],
            help_url=each["help_url"],
            nodes=tuple(ViolationNode(**node) for node in each["nodes"]),
        )
        for each in found
    ]


def serious_violations(page: Page, *, context: str | None = None) -> list[Violation]:
    return [violation for violation in axe_check(page, context=context) if violation.is_serious]


def assert_no_serious_violations(page: Page, *, context: str | None = None) -> None:
    """Fail, naming each rule, its impact, its help and the offending elements, when axe-core
    finds a violation of impact serious or critical in the page."""
    serious = serious_violations(page, context=context)
    if serious:
        report = "\n".join(violation.describe() for violation in serious)
        raise AssertionError(
            f"{len(serious)} serious or critical accessibility violation(s) on {page.url}:\n"
            f"{report}"
        )
