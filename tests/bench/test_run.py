"""bench/run.py: how the report judges the targets (the measuring itself needs gunicorn and wrk: `make bench`)."""

from bench.run import check_targets, median_run


def stats(p50_ms, p95_ms=None, queries=5):
    return {"p50_us": p50_ms * 1000, "p95_us": (p95_ms or p50_ms) * 1000, "queries": queries}


def test_the_baseline_is_the_median_of_its_three_runs():
    chosen = median_run([stats(2.0), stats(1.4), stats(1.3)])
    assert chosen["p50_us"] == 1400
    assert chosen["runs_p50_us"] == [2000, 1400, 1300]


def test_targets_are_ratios_to_the_baseline_and_growth_is_normalised():
    measured = {
        "small": {"results": {"baseline": stats(2.0), "home": stats(4.0), "edit": stats(10.0, queries=9)}},
        "full": {"results": {"baseline": stats(1.0), "home": stats(2.4), "edit": stats(9.0, 13.0, queries=10)}},
    }
    verdicts = "\n".join(check_targets(measured))
    assert "✅ home: median 2.4× (≤ 8), p95 2.4× (≤ 12)" in verdicts
    assert "❌ edit: median 9.0× (≤ 8), p95 13.0× (≤ 12)" in verdicts
    # home: (2.4 / 1.0) / (4.0 / 2.0) = 1.2, within 1.3 although its raw median did not shrink with the baseline
    assert "✅ home: growth full/small 1.20 (≤ 1.3), queries 5 → 5" in verdicts
    # edit: (9 / 1) / (10 / 2) = 1.8, and a query more at full size
    assert "❌ edit: growth full/small 1.80 (≤ 1.3), queries 9 → 10" in verdicts
