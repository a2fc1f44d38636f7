"""Substitution, JSON-subset matching with matchers, and diffs."""

from __future__ import annotations

import pytest

from emulators.scenarios.matching import MISSING, UnresolvedVariable, json_diff, lookup, match, resolver, substitute


def test_substitute_keeps_types_for_whole_strings_and_formats_inside_strings() -> None:
    r = resolver({"n": 3, "s": "x", "d": {"a": [1, {"b": "deep"}]}})
    assert substitute("${n}", r) == 3
    assert substitute("n=${n} s=${s}", r) == "n=3 s=x"
    assert substitute({"k${s}": ["${d.a[1].b}", "${d.a.0}"]}, r) == {"kx": ["deep", 1]}
    assert substitute("$${n}", r) == "${n}"
    assert substitute("${d}", r) == {"a": [1, {"b": "deep"}]}
    assert substitute("j=${d}", r) == 'j={"a": [1, {"b": "deep"}]}'


def test_substitute_lazy_roots_are_fetched_once() -> None:
    calls = []

    def creds() -> dict[str, str]:
        calls.append(1)
        return {"token": "t"}

    r = resolver({}, {"credentials": creds})
    assert substitute(["${credentials.token}", "${credentials.token}"], r) == ["t", "t"]
    assert calls == [1]


def test_substitute_unknown_names_raise() -> None:
    r = resolver({"d": {"a": 1}})
    with pytest.raises(UnresolvedVariable, match="not defined"):
        substitute("${x}", r)
    with pytest.raises(UnresolvedVariable, match="b is not in d"):
        substitute("${d.b}", r)
    with pytest.raises(UnresolvedVariable, match="NOPE_NOT_SET"):
        substitute("${env:NOPE_NOT_SET}", r)


def test_lookup_paths() -> None:
    doc = {"a": [{"b": 1}], "c": None}
    assert lookup(doc, "$.a[0].b") == 1
    assert lookup(doc, "a.0.b") == 1
    assert lookup(doc, "$.a[-1]") == {"b": 1}
    assert lookup(doc, "$.c") is None
    assert lookup(doc, "$.a[5]") is MISSING and lookup(doc, "$.x") is MISSING and lookup(doc, "$.c.d") is MISSING
    assert lookup([1, 2], "$[1]") == 2


def test_match_subset_semantics() -> None:
    actual = {"a": 1, "b": [1, 2], "c": {"d": "x", "e": True}}
    assert match({"a": 1, "c": {"d": "x"}}, actual) == []
    assert match({"b": [1, 2]}, actual) == []
    assert match({"b": [1]}, actual) == ["$.b: expected 1 items, got 2"]
    assert match({"a": 1.0}, actual) == []
    assert match({"c": {"e": 1}}, actual) == ["$.c.e: expected 1, got true"]
    assert match({"z": 1}, actual) == ["$.z: expected 1, but it is missing"]
    assert match({"a": {"x": 1}}, actual) == ["$.a: expected an object, got 1"]
    assert match([1], {"a": 1}) == ['$: expected an array, got {"a": 1}']


def test_match_matchers() -> None:
    actual = {"s": "abc-123", "n": 5, "l": [{"k": 1}, {"k": 2}], "dotnet": {"$type": "Foo, Bar"}}
    ok = {
        "s": {"$regex": r"\d+$"},
        "n": {"$type": "integer"},
        "l": {"$contains": {"k": 2}},
        "x": {"$absent": True},
        "dotnet": {"$type": "Foo, Bar"},
    }
    assert match(ok, actual) == []
    assert match({"l": {"$len": 2}, "s": {"$contains": "c-1"}, "n": {"$any": True}}, actual) == []
    assert match({"l": {"$exact": [{"k": 1}, {"k": 2}]}}, actual) == []
    bad = match(
        {
            "s": {"$regex": "^x"},
            "n": {"$type": "string"},
            "l": {"$contains": {"k": 3}},
            "x": {"$any": True},
            "dotnet": {"$type": "Other"},
            "n2": {"$absent": True},
        },
        {**actual, "n2": 1},
    )
    assert bad == [
        '$.s: expected to match /^x/, got "abc-123"',
        "$.n: expected a string, got 5",
        '$.l: expected to contain {"k": 3}, got [{"k": 1}, {"k": 2}]',
        "$.x: expected ($any true), but it is missing",
        '$.dotnet.$type: expected "Other", got "Foo, Bar"',
        "$.n2: expected to be absent, got 1",
    ]


def test_json_diff_shows_only_the_asserted_shape() -> None:
    diff = json_diff({"a": 1, "t": {"$type": "string"}}, {"a": 2, "t": "x", "noise": "ignored"})
    assert "noise" not in diff
    assert '-  "a": 1,' in diff and '+  "a": 2,' in diff
    assert '"t": "x"' in diff  # a matcher that matched shows the actual value on both sides
