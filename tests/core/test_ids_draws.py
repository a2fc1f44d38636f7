"""Ids.token / Ids.hex draw exactly what `random.choice` per character drew: the same tokens for a seed."""

from __future__ import annotations

import random

import pytest

from emulators.core.ids import ALNUM, Ids


def _choice_token(rng: random.Random, length: int, alphabet: str) -> str:
    return "".join(rng.choice(alphabet) for _ in range(length))


@pytest.mark.parametrize("seed", [0, 7, "0/ns1"])
def test_token_same_as_random_choice_for_the_seed(seed: int | str) -> None:
    ids, rng = Ids(seed), random.Random(seed)
    for length, alphabet in [
        (32, ALNUM),
        (128, "0123456789abcdef"),
        (5, "a"),
        (40, "ab"),
        (64, ALNUM + "-_"),
        (0, "x"),
    ]:
        assert ids.token(length, alphabet) == _choice_token(rng, length, alphabet)
        assert ids.hex(length) == _choice_token(rng, length, "0123456789abcdef")
    assert ids.random() == rng.random()  # no draw skipped or added: the streams go on together


def test_token_empty_alphabet_raises_index_error() -> None:
    with pytest.raises(IndexError):
        Ids(0).token(3, "")
