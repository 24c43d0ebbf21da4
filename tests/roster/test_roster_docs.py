"""The column mapping is written once (licensing/roster_columns.py); the README's table and --help must show it."""
from __future__ import annotations

from pathlib import Path

from clinic_finder.licensing.roster_columns import COLUMNS

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_lists_every_accepted_header_spelling():
    lines = {line.split(":")[0]: line for line in README.read_text(encoding="utf-8").splitlines()
             if line.startswith("| `")}
    for column in COLUMNS:
        assert ", ".join(column.spellings) in lines[f"| `{column.key}`"], column.key


def test_help_shows_the_mapping_and_the_statuses(runner):
    result = runner.invoke(args=["import", "roster", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    for column in COLUMNS:
        assert f"{column.key} ({'required' if column.required else 'optional'})" in text
        assert column.spellings[-1] in text
    assert "lapsed: expired, lapsed, inactive" in text
