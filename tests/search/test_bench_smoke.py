"""The search benchmark still runs and prints its one-line summary in the documented form (tiny size)."""
from __future__ import annotations

import re

import pytest

pytest.importorskip("scipy")


@pytest.mark.slow
def test_the_benchmark_prints_its_summary_line(tmp_path, capsys):
    from bench import search_bench

    url = "sqlite:///" + str(tmp_path / "bench.sqlite")
    assert search_bench.main(["--sizes", "400", "--queries", "8", "--naive-queries", "4",
                              "--database-url", url]) == 0  # 0: every total matched the exact count
    out = capsys.readouterr().out
    assert re.search(r"^search N=400 p50_ms=[\d.]+ p95_ms=[\d.]+ naive_p95_ms=[\d.]+ kdtree_p95_ms=[\d.]+ "
                     r"speedup=\d+x$", out, re.M), out
