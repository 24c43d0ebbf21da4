"""A license board's roster through the one import engine (interchange/engine.py).

Each row is decided (roster.decide_row) and written (roster_apply.apply) in the name of the admin the import
policy names; once the file is read, our current licenses the roster leaves out become mismatches too. The engine
counts rows (read, selected, updated = verified, unchanged, flagged = mismatched, refused); this module keeps only
the roster's own breakdown of them (which kind of mismatch, board actions recorded, why a row was not ours).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from clinic_finder.interchange.engine import ImportCounts, ImportPolicy, Outcome, RowRefused
from clinic_finder.licensing import roster_columns
from clinic_finder.licensing.roster import (
    RosterIndex,
    RosterSource,
    RowOutcome,
    RunState,
    Verdict,
    decide_row,
    not_found,
)
from clinic_finder.licensing.roster_apply import apply
from clinic_finder.licensing.roster_file import RawRow
from clinic_finder.models import MismatchKind

# What each verdict is in the engine's counts. A license already as the roster says (or checked more recently) is
# unchanged even when the row adds a board action: the actions have their own line.
_OUTCOMES = {
    Verdict.VERIFY: Outcome.UPDATED,
    Verdict.CONFIRMED: Outcome.UNCHANGED,
    Verdict.STALE: Outcome.UNCHANGED,
    Verdict.MISMATCH: Outcome.FLAGGED,
    Verdict.NOT_OURS: Outcome.SKIPPED,
    Verdict.OTHER_STATE: Outcome.SKIPPED,
}


@dataclass
class RosterBreakdown:
    """What the engine's counts do not tell apart."""

    stale: int = 0
    not_ours: int = 0
    other_state: int = 0
    mismatch_kinds: Counter = field(default_factory=Counter)
    actions: int = 0

    def add(self, outcome: RowOutcome) -> None:
        self.stale += outcome.verdict is Verdict.STALE
        self.not_ours += outcome.verdict is Verdict.NOT_OURS
        self.other_state += outcome.verdict is Verdict.OTHER_STATE
        self.mismatch_kinds.update(m.kind for m in outcome.mismatches)
        self.actions += len(outcome.actions)

    def lines(self, counts: ImportCounts) -> list[str]:
        kinds = self.mismatch_kinds
        missing = kinds[MismatchKind.NOT_FOUND]
        mismatched = counts.flagged - missing
        by_kind = ", ".join(f"{kind.label.lower()} {kinds[kind]}" for kind in MismatchKind
                            if kinds[kind] and kind != MismatchKind.NOT_FOUND) or "none"
        return [
            f"matched: {counts.updated + counts.unchanged + mismatched:,} of our licenses — verified "
            f"{counts.updated:,}, already as the roster says {counts.unchanged - self.stale:,}, checked more recently "
            f"than the roster {self.stale:,}",
            f"mismatched: {mismatched:,} rows ({by_kind})",
            f"not found: {missing:,} of our current licenses are not on the roster",
            f"disciplinary actions recorded: {self.actions:,}",
            f"not in our directory: {self.not_ours:,} rows; for other states: {self.other_state:,}",
        ]


class RosterImport:
    """handle_row for roster rows (RawRow); see the module docstring."""

    def __init__(self, positions: dict[str, int], index: RosterIndex, source: RosterSource, policy: ImportPolicy,
                 now: datetime):
        self.positions, self.index, self.source, self.policy, self.now = positions, index, source, policy, now
        self.today = now.date()
        self.state = RunState()
        self.breakdown = RosterBreakdown()

    def __call__(self, number: int, row: RawRow) -> Outcome:
        outcome = decide_row(row, self.positions, self.index, self.source, self.state, self.today)
        if outcome.verdict is Verdict.NOT_OURS:  # most rows of any roster: kept to the fewest steps
            self.breakdown.not_ours += 1
            return Outcome.SKIPPED
        key = roster_columns.value(row.cells, self.positions, "license_number")[:60]
        return self._settle(outcome, key, row.cells)

    def after_last_row(self) -> Iterator[Outcome]:
        for outcome in not_found(self.index, self.state, self.source):
            yield self._settle(outcome)

    def _settle(self, outcome: RowOutcome, key: str = "", cells: Sequence[str] = ()) -> Outcome:
        if outcome.verdict is Verdict.REFUSED:
            raise RowRefused(outcome.reason or "refused", key, cells)
        try:
            apply(outcome, self.source, self.policy, self.now, key)
        except RowRefused as refused:
            refused.cells = cells
            raise
        self.breakdown.add(outcome)
        return _OUTCOMES[outcome.verdict]
