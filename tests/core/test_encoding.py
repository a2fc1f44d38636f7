"""The JSON writer (orjson, issue 11) answers the same bytes as the stdlib encoder it replaced: for every
answer the shipped scenarios (all documented samples of the four seeds) produce, for every example in
the contracts, and for generated values. The same for Aktion's Newtonsoft-style writer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import emulators.core.pipeline as pipeline
from emulators import registry
from emulators.aktion import formats as aktion_formats
from emulators.core.negotiation import encode_json
from emulators.scenarios.runner import Runner

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((ROOT / "fixtures" / "scenarios").glob("*.yaml"))


def reference(value: Any) -> bytes:
    """What the emulators wrote before issue 11 (the stdlib encoder, compact, UTF-8)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _examples(node: Any) -> list[Any]:
    out: list[Any] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "example":
                out.append(value)
            elif key == "examples" and isinstance(value, dict):
                out.extend(v["value"] for v in value.values() if isinstance(v, dict) and "value" in v)
            else:
                out.extend(_examples(value))
    elif isinstance(node, list):
        for item in node:
            out.extend(_examples(item))
    return out


CONTRACT_EXAMPLES = [
    (api, ex)
    for api in registry.available()
    for ex in _examples(yaml.safe_load((ROOT / "contracts" / api / "openapi.yaml").read_text()))
]


def test_encode_json_contract_examples_byte_identical() -> None:
    assert len(CONTRACT_EXAMPLES) > 50
    for api, example in CONTRACT_EXAMPLES:
        assert encode_json(example) == reference(example), api


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_encode_json_scenario_answers_byte_identical(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every JSON answer of every shipped scenario, as the pipeline wrote it, equals the old bytes."""
    seen: list[tuple[Any, bytes]] = []

    def recording(body: Any) -> bytes:
        data = encode_json(body)
        seen.append((body, data))
        return data

    def recording_aktion(body: Any, reply: Any, call: Any) -> bytes:
        data = aktion_formats.encode_json(body, reply, call)
        seen.append((("aktion", body), data))
        return data

    monkeypatch.setattr(pipeline, "encode_json", recording)
    monkeypatch.setitem(registry.get("aktion").encoders, aktion_formats.JSON, recording_aktion)
    result = Runner(out=lambda _line: None).run_file(path)
    assert result.outcome == "passed", result.message
    assert seen
    for body, data in seen:
        if isinstance(body, tuple) and body[:1] == ("aktion",):
            assert data == aktion_formats._dump(body[1], None).encode("utf-8")
        else:
            assert data == reference(body)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@pytest.mark.deep
@settings(max_examples=400, deadline=None)
@given(json_values)
def test_encode_json_generated_values_byte_identical(value: Any) -> None:
    try:
        expected = reference(value)
    except UnicodeEncodeError:  # a lone surrogate: neither writer can produce UTF-8
        with pytest.raises(UnicodeEncodeError):
            encode_json(value)
        return
    assert encode_json(value) == expected


dates = st.integers(min_value=-(10**14), max_value=10**14).map(lambda ms: f"/Date({ms})/")
aktion_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**40), max_value=2**40) | st.text() | dates,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["PlannedFrom", "Closed", "Name", "Code", "ExpireDate", "x"]), inner, max_size=4
        )
    ),
    max_leaves=15,
)


@pytest.mark.deep
@settings(max_examples=400, deadline=None)
@given(aktion_values)
def test_aktion_encode_json_generated_values_byte_identical(value: Any) -> None:
    try:
        expected = aktion_formats._dump(value, None).encode("utf-8")
    except UnicodeEncodeError:
        return
    assert aktion_formats.encode_json(value, None, None) == expected  # type: ignore[arg-type]


def test_encode_json_small_float_written_as_python_does() -> None:
    assert encode_json({"a": 1e-05, "b": 0.0001}) == b'{"a":1e-05,"b":0.0001}'
    assert encode_json({"n": 2**80}) == b'{"n":1208925819614629174706176}'


def test_encode_json_every_decimal_exponent_written_as_python_does() -> None:
    """The hot path only falls back to the stdlib encoder when orjson's bytes hold "0.0000" or "e-": every
    power of ten a double can hold, with assorted mantissas and both signs, must come out as Python writes it."""
    mantissas = (1.0, 1.5, 2.5, 9.999, 7.123456789)
    values = [sign * m * 10.0**e for e in range(-323, 308) for m in mantissas for sign in (1, -1)]
    values += [5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 123456789012345678.0]
    for v in values:
        assert encode_json([v]) == json.dumps([v], separators=(",", ":")).encode(), v


def test_encode_json_float_lookalike_text_and_floats_written_as_python_does() -> None:
    """Text that looks like a risky float ("e-mail", "v0.00001", "10.00001") next to real ones."""
    cases = [
        {"a": "e-mail 1e-7 v0.00001"},
        {"a": 10.00001, "b": "x"},
        {"note": "re-sent", "n": 3e-7},
        [1.5e-10, -0.00002, "0.00001"],
        {"k": 12e-3},
    ]
    for value in cases:
        assert encode_json(value) == json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode(), value


def test_encode_json_nan_written_as_null_assumption() -> None:
    """Assumption (docs/fidelity.md kernel table, SOURCE.md): NaN/Infinity, which JSON cannot carry, are null."""
    assert encode_json({"a": float("nan"), "b": float("inf")}) == b'{"a":null,"b":null}'
