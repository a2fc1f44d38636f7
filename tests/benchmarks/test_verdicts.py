"""Issue 26's targets as verdict lines (benchmarks/verdicts.py), and what builds them from the rounds."""

from __future__ import annotations

import pytest

from benchmarks.__main__ import PARTS, parse_parts
from benchmarks.targets import TARGETS, Req
from benchmarks.throughput import Side, verdicts
from benchmarks.verdicts import Verdict, ratios, summary
from benchmarks.wrk import script


def test_verdict_line_held_with_median_and_spread() -> None:
    v = Verdict("superoffice PUT req/s vs WireMock", (1.1, 0.9, 1.3), ">=", 1.0)
    assert v.held
    assert v.line() == "held      superoffice PUT req/s vs WireMock: 1.10x (0.90-1.30); target >= 1x"


def test_verdict_line_not_held_at_most_target() -> None:
    v = Verdict("reset + request, aktion", (0.61, 0.55, 0.7), "<=", 0.5, " ms", 3)
    assert not v.held
    assert v.line() == "NOT HELD  reset + request, aktion: 0.610 ms (0.550-0.700); target <= 0.5 ms"


def test_verdict_line_single_value_has_no_spread() -> None:
    assert Verdict("RSS", (61.7,), "<=", 64, " MB", 1).line() == "held      RSS: 61.7 MB; target <= 64 MB"


def test_verdict_exactly_on_target_is_held() -> None:
    assert Verdict("p99/p50", (2.0,), "<=", 2.0).held and Verdict("ratio", (1.5,), ">=", 1.5).held


def test_verdict_unknown_operator_raises() -> None:
    with pytest.raises(ValueError, match="op must be >= or <="):
        Verdict("x", (1.0,), ">", 1.0)


def test_verdict_no_values_raises() -> None:
    with pytest.raises(ValueError, match="x: no values"):
        Verdict("x", (), ">=", 1.0)


def test_ratios_per_round_and_mismatched_rounds_raise() -> None:
    assert ratios([2.0, 3.0], [1.0, 2.0]) == (2.0, 1.5)
    with pytest.raises(ValueError, match="different round counts"):
        ratios([1.0], [1.0, 2.0])


def test_summary_counts_held_and_lists_not_measured() -> None:
    measured = [Verdict("a", (1.0,), ">=", 1.0), Verdict("b", (3.0,), "<=", 2.0)]
    lines = summary(measured, ["the WireMock targets (no java)"])
    assert lines[-2:] == ["not measured  the WireMock targets (no java)", "1 of 2 measured targets held"]


def _side(rps: float, per_cpu: float, p50: float = 10.0, p99: float = 15.0) -> Side:
    run = {"rps": rps, "per_cpu_s": per_cpu, "p50": p50, "p99": p99}
    return Side((run, dict(run, rps=rps * 1.1)), 50.0)


def test_throughput_verdicts_superoffice_put_against_wiremock_and_baseline() -> None:
    so_put, so_get = TARGETS[0], TARGETS[1]
    result = {"api": _side(3000, 3000, p99=25), "base": _side(3000, 3000), "wm": _side(4000, 1500)}
    vs = verdicts([(so_put, result), (so_get, {"api": _side(900, 900), "base": _side(1000, 1000)})])
    assert [(v.name, round(v.median, 3), v.held) for v in vs] == [
        ("superoffice PUT Project/{id} req/s vs WireMock", 0.75, False),
        ("superoffice PUT Project/{id} req/CPU-s vs WireMock", 2.0, True),
        ("superoffice PUT Project/{id} req/s vs Starlette baseline", 1.0, False),
        ("superoffice PUT Project/{id} p99/p50 at -c32", 2.5, False),
        ("superoffice GET Project/{id} req/s vs Starlette baseline", 0.9, False),
    ]


def test_throughput_verdicts_without_wiremock_leave_its_targets_out() -> None:
    result = {"api": _side(3000, 3000), "base": _side(2000, 2000)}
    assert [v.name for v in verdicts([(TARGETS[0], result)])] == [
        "superoffice PUT Project/{id} req/s vs Starlette baseline",
        "superoffice PUT Project/{id} p99/p50 at -c32",
    ]


def test_parse_parts_empty_is_all_in_run_order() -> None:
    assert parse_parts("") == list(PARTS)
    assert parse_parts("startup, wiremock,inprocess") == ["wiremock", "inprocess", "startup"]


def test_parse_parts_unknown_name_raises_naming_the_known() -> None:
    with pytest.raises(ValueError, match=r"BENCH_PARTS: unknown wirmock \(known: latency, webhooks, throughput"):
        parse_parts("wirmock")


def test_wrk_script_formats_requests_in_init_after_host_is_set() -> None:
    lua = script([Req("PUT", "/p/1", {"Content-Type": "application/json"}, b'{"a": "]]"}')])
    init, rest = lua.split("init = function(args)\n", 1)
    assert "wrk.format" not in init  # at load time wrk.headers has no Host yet
    assert rest.index("wrk.format([[PUT]], [[/p/1]]") < rest.index("end")
    assert '[=[{"a": "]]"}]=]' in rest  # a body holding ]] keeps its bytes
