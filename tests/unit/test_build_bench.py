"""benchmarks/build_bench.py's repeated builds: interleaved, and reported by their medians."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _bench():
    spec = importlib.util.spec_from_file_location(
        "build_bench", ROOT / "benchmarks" / "build_bench.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_bench", module)
    spec.loader.exec_module(module)
    return module


def test_repeated_builds_alternate_in_abba_order() -> None:
    bench = _bench()
    steps = bench.interleaved(("material", "kb"), 4)
    assert [b for b, _ in steps] == ["material", "kb", "kb", "material"] * 2
    assert not any(warm for _, warm in steps)
    assert bench.interleaved(("material", "kb"), 1) == [("material", False), ("kb", False)]


def test_the_row_of_repeated_builds_holds_their_medians() -> None:
    bench = _bench()
    runs = [
        bench.Result("c", "kb", 10, ok=True, cpu=cpu, wall=cpu + 1, rss_mb=rss, html_pages=10)
        for cpu, rss in [(12.0, 100.0), (10.0, 104.0), (15.0, 101.0)]
    ]
    middle = bench.median_of(runs)
    assert (middle.cpu, middle.wall, middle.rss_mb) == (12.0, 13.0, 101.0)
    assert middle.builder == "kb" and middle.ok
    assert runs[-1].cpu == 15.0  # the builds themselves are left as they were
    runs[0].ok = False
    assert not bench.median_of(runs).ok
