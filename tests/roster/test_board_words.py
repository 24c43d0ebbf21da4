"""Boards' words: statuses, disciplinary actions, names and dates as rosters write them."""
from __future__ import annotations

from datetime import date

import pytest

from clinic_finder.inputs.dates import file_date
from clinic_finder.inputs.problems import InvalidInput
from clinic_finder.licensing.board_words import Standing, actions_in_cell, actions_in_status, standing_of
from clinic_finder.licensing.person_names import same_person
from clinic_finder.models import DisciplineKind


@pytest.mark.parametrize("status, standing", [
    ("Active", Standing.ACTIVE), ("CLEAR/ACTIVE", Standing.ACTIVE), ("Active in good standing", Standing.ACTIVE),
    ("Active - Probation", Standing.ACTIVE), ("Probation", Standing.ACTIVE), ("Inactive", Standing.LAPSED),
    ("Expired - Not Renewed", Standing.LAPSED), ("Null and Void", Standing.LAPSED), ("Deceased", Standing.LAPSED),
    ("Active - Suspended", Standing.SUSPENDED), ("Voluntary Surrender", Standing.REVOKED), ("Surrendered", Standing.REVOKED),
    ("Revoked by board order", Standing.REVOKED),
    # A word we do not know makes the status a question, never a guess.
    ("Not active", None), ("Active?? see notes", None), ("Pending", None), ("", None),
])
def test_roster_statuses_mean_what_boards_mean(status, standing):
    assert standing_of(status) == standing


def test_a_status_that_carries_a_sanction_lists_it():
    assert [a.kind for a in actions_in_status("Active - Probation")] == [DisciplineKind.PROBATION]
    assert actions_in_status("Active") == []


def test_a_discipline_cell_lists_each_action_in_the_boards_words():
    actions = actions_in_cell("Consent Order | Probation; Public Reprimand;Letter of guidance", date(2025, 1, 2))
    assert [(a.kind, a.wording, a.action_on) for a in actions] == [
        (DisciplineKind.CONSENT_ORDER, "Consent Order", date(2025, 1, 2)),
        (DisciplineKind.PROBATION, "Probation", date(2025, 1, 2)),
        (DisciplineKind.REPRIMAND, "Public Reprimand", date(2025, 1, 2)),
        (DisciplineKind.OTHER, "Letter of guidance", date(2025, 1, 2)),
    ]
    for nothing in ("", "None", "N/A", "no action", "  0 "):
        assert actions_in_cell(nothing, None) == []
    assert len(actions_in_cell("x" * 5000, None)[0].wording) == 200


@pytest.mark.parametrize("roster, ours, same", [
    ("SMITH, JANE A", "Dr. Jane Smith, MD", True), ("Jane A. Smith MD", "Jane Smith", True),
    ("SMITH JANE A", "Jane Smith", True), ("GARCIA LOPEZ, MARIA", "Maria Garcia-Lopez", True),
    ("SMITH, J", "Jane Smith", True), ("NÚÑEZ, JOSÉ", "Jose Nunez, NP", True),
    ("SMITH, JOHN", "Jane Smith", False), ("DOE, JANE", "Dr. John Doe, MD", False),
    ("Bob Jones", "Robert Jones", False), ("", "Jane Smith", False), ("MD", "Jane Smith", False),
])
def test_a_roster_name_is_our_clinician_only_when_family_and_given_names_agree(roster, ours, same):
    assert same_person(roster, ours) is same


@pytest.mark.parametrize("text, expected", [
    ("2026-05-31", date(2026, 5, 31)), ("5/31/2026", date(2026, 5, 31)), ("31-MAY-2026", date(2026, 5, 31)),
    ("May 31, 2026", date(2026, 5, 31)), ("20260531", date(2026, 5, 31)), ("2026-05-31 00:00:00", date(2026, 5, 31)),
    ("", None), ("  ", None),
])
def test_file_dates_are_read_in_the_ways_files_write_them(text, expected):
    assert file_date(text, "expiry", "expiry date") == expected


@pytest.mark.parametrize("text", ["05/31/26", "31/05/2026", "2026-02-30", "0202-05-01", "9" * 100, "tomorrow"])
def test_ambiguous_impossible_or_absurd_file_dates_are_refused(text):
    with pytest.raises(InvalidInput) as err:
        file_date(text, "expiry", "expiry date")
    assert err.value.field == "expiry" and "expiry date" in err.value.message
