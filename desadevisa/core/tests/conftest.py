"""The fuzz's report: how many pages, forms, query strings, requests and command runs it
made, at the end of the run."""

import sys


def pytest_terminal_summary(terminalreporter) -> None:
    # Only when the fuzz ran: its helpers were imported by its tests.
    fuzz = sys.modules.get("desadevisa.core.tests.fuzz")
    if fuzz is not None and fuzz.cases:
        counts = ", ".join(f"{count} {kind}" for kind, count in sorted(fuzz.cases.items()))
        terminalreporter.write_line(f"fuzz: {counts}")
