"""`import json` streams our seed-format files one provider at a time: memory does not grow with the file, values
cut by the reader's chunks read whole, and a truncated file is refused whole with nothing changed."""
from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest
import sqlalchemy as sa

from clinic_finder.interchange import json_reading
from clinic_finder.interchange.json_reading import SEED_FORMAT, seed_providers
from clinic_finder.models import Provider

SEED = Path(__file__).resolve().parents[2] / "seed_data"


def _provider(n: int) -> dict:
    return {"slug": f"streamed-clinic-{n}", "name": f"Streamed Clinic {n}", "modes": ["in_clinic"],
            "price_min_usd": 400, "price_max_usd": 600, "conditions": ["depression"],
            "locations": [{"address_line1": f"{n} Main St", "city": "Austin", "state": "TX", "zip_code": "78701"}]}


def _write(path: Path, count: int) -> Path:
    with path.open("w", encoding="utf-8") as out:
        out.write(f'{{"format": "{SEED_FORMAT}", "note": "generated", "providers": [\n')
        for n in range(count):
            out.write(("" if n == 0 else ",\n") + json.dumps(_provider(n), indent=1))
        out.write("\n]}\n")
    return path


def test_every_provider_reads_as_the_standard_library_reads_it_whatever_the_chunks(monkeypatch):
    [demo] = sorted(SEED.glob("*.json"))[:1]
    expected = json.loads(demo.read_text(encoding="utf-8"))["providers"]
    for chunk in (7, 4096):  # values and numbers cut anywhere by the chunk boundaries
        monkeypatch.setattr(json_reading, "CHUNK_CHARS", chunk)
        assert [p for _, p in seed_providers(demo)] == expected
    assert [i for i, _ in seed_providers(demo)] == list(range(1, len(expected) + 1))


def test_memory_does_not_grow_with_the_file(tmp_path):
    def peak(count: int) -> int:
        path = _write(tmp_path / f"{count}.json", count)
        tracemalloc.start()
        read = sum(1 for _ in seed_providers(path))
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert read == count
        return top

    small, large = peak(2_000), peak(20_000)
    assert large < small * 1.5 + 64 * 1024, (small, large)


@pytest.mark.parametrize("text, problem", [
    ("", "line 1: not valid JSON: Expecting value; the file ends before the JSON does"),
    ('[{"slug": "x"}]', 'not a seed file (expected "format": "clinic_finder-seed/1")'),
    ('{"format": "other/1", "providers": []}', "not a seed file"),
    ('{"providers": [], "note": "no format"}', "not a seed file"),
    (f'{{"format": "{SEED_FORMAT}", "providers": {{}}}}', '"providers" must be a list'),
    (f'{{"format": "{SEED_FORMAT}"}}', '"providers" must be a list'),
    (f'{{"format": "{SEED_FORMAT}", "providers": [{{"slug": "a"}} {{"slug": "b"}}]}}',
     "line 1: not valid JSON: Expecting ',' delimiter"),
    (f'{{"format": "{SEED_FORMAT}", "providers": []}} trailing', "line 1: not valid JSON: Extra data"),
    (f'{{"format": "{SEED_FORMAT}",\n"providers": [\n{{"slug": "a"}},\n{{"slug": "b", "na',
     "line 4: not valid JSON: Unterminated string"),
])
def test_a_file_that_is_not_a_whole_seed_file_is_refused_with_where(tmp_path, text, problem):
    path = tmp_path / "f.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError) as refused:
        list(seed_providers(path))
    assert problem in str(refused.value)


def test_the_format_may_follow_the_providers(tmp_path):
    path = tmp_path / "late.json"
    path.write_text(json.dumps({"providers": [{"slug": "a"}], "format": SEED_FORMAT}), encoding="utf-8")
    assert list(seed_providers(path)) == [(1, {"slug": "a"})]


def test_a_truncated_file_is_refused_whole_and_changes_nothing(runner, db, tmp_path):
    whole = _write(tmp_path / "whole.json", 1_200)  # more than the engine's batch of 1,000 rows
    data = whole.read_bytes()
    cut = tmp_path / "cut.json"
    cut.write_bytes(data[: len(data) - 300])  # cut inside the last provider
    result = runner.invoke(args=["import", "json", str(cut)])
    assert result.exit_code == 1
    assert "Refused: nothing was imported. cut.json: line" in result.output
    assert "the file ends before the JSON does (was it cut off?)" in result.output
    assert db.session.scalar(sa.select(sa.func.count(Provider.id))) == 0
    result = runner.invoke(args=["import", "json", str(whole)])
    assert result.exit_code == 0, result.output
    assert "read=1200 selected=1200 added=1200" in result.output
