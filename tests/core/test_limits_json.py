"""parse_json reads with orjson where orjson is sure to agree with json.loads: the values must be the same
(type, repr, key order) and every refusal must be the stdlib path's own MalformedBody."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emulators.core.errors import MalformedBody
from emulators.core.limits import parse_json

from .test_encoding import json_values


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and repr(a) == repr(b)


@pytest.mark.deep
@settings(max_examples=400, deadline=None)
@given(json_values, st.booleans())
def test_parse_json_generated_documents_equal_stdlib(value: Any, ascii_only: bool) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only)
    assert _same(parse_json(text), json.loads(text))


@pytest.mark.parametrize(
    "text",
    [
        "123456789012345678901234567890",  # past 64 bits: an int, never a float
        "-9223372036854775809",
        "18446744073709551616",
        '{"id": 99999999999999999999, "n": [1, 2]}',
        '{"a":1,"b":2,"a":3}',  # a repeated key: the last value, the first position
        "-0",
        "-0.0",
        "1e-400",
        '"\\ud83d\\ude00"',
        " \r\n\t{}\n",
    ],
)
def test_parse_json_edge_values_equal_stdlib(text: str) -> None:
    assert _same(parse_json(text), json.loads(text))


@pytest.mark.parametrize("text", ["NaN", "[Infinity, -Infinity]", "1e400"])
def test_parse_json_stdlib_only_literals_still_read(text: str) -> None:
    """What json.loads reads and orjson refuses still reads as before (the stdlib path answers)."""
    assert repr(parse_json(text)) == repr(json.loads(text))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"a": 1,}', "Invalid property identifier character: }. Path '', line 1, position 8."),
        ("[1, 2", "Unexpected end when reading JSON. Path '', line 1, position 5."),
        ('"\\ud800"', "Invalid Unicode in JSON string: a lone surrogate escape cannot be decoded."),
    ],
)
def test_parse_json_refusals_keep_their_messages(text: str, message: str) -> None:
    with pytest.raises(MalformedBody) as info:
        parse_json(text)
    assert info.value.message == message


def test_parse_json_mutated_documents_agree_with_stdlib() -> None:
    """Seeded mutation fuzz: byte edits of valid documents; accepted alike, refused alike, equal values."""
    rng = random.Random(11)
    seeds = ['{"a":1,"b":[1,2.5,-3e5,"x\\u00e9",null,true,false],"c":{"d":""}}', "[1, 2 ,3 ]", '"abc"', "-1.5E+3"]
    alphabet = '{}[]":,.-+eE0123456789 \t\r\nabcdeflnrstu\\/\x00\x7fé'
    for _ in range(20_000):
        chars = list(rng.choice(seeds))
        for _ in range(rng.randint(1, 3)):
            pos = rng.randint(0, len(chars))
            if rng.random() < 0.5 and chars:
                del chars[min(pos, len(chars) - 1)]
            else:
                chars.insert(pos, rng.choice(alphabet))
        text = "".join(chars)
        try:
            expected: Any = json.loads(text)
        except ValueError:
            expected = MalformedBody
        try:
            got: Any = parse_json(text)
        except MalformedBody:
            got = MalformedBody
        assert got is expected or _same(got, expected), text
