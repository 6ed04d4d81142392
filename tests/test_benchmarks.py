"""Smoke runs of the benchmarks, so they keep working as the code changes.

They check that a benchmark runs and reports, not how fast anything is: speed is
measured by running the benchmarks themselves (docs/search.md, docs/speed.md).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def run(script: str, *arguments: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    """Run a benchmark script with the interpreter running the tests."""
    return subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *arguments],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_search_benchmark_quick_run_reports_percentiles() -> None:
    done = run("search_benchmark.py", "--quick")
    assert done.returncode == 0, done.stderr
    assert "p95" in done.stdout and "build" in done.stdout
    assert "Traceback" not in done.stderr


def test_speed_benchmark_answers_help() -> None:
    done = run("speed_benchmark.py", "--help", timeout=60)
    assert done.returncode == 0, done.stderr
    assert "--runs" in done.stdout and "--quick" in done.stdout


def test_relevance_benchmark_scores_the_engine_and_the_baseline() -> None:
    done = run("relevance_benchmark.py", "--misses", timeout=120)
    assert done.returncode == 0, done.stderr
    assert "| ketaguide |" in done.stdout and "| FTS5 BM25 baseline |" in done.stdout
    assert "nDCG@5" in done.stdout and "Traceback" not in done.stderr
