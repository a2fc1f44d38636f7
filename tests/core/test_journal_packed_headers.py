"""The journal keeps an entry's headers packed (one string or bytes joined by NUL) and reads them back
exactly; pairs it cannot pack exactly are kept as given."""

from __future__ import annotations

from emulators.core.journal import Journal, PackedPairs


def test_packed_pairs_str_and_bytes_read_back_exactly() -> None:
    req = [("host", "x"), ("authorization", "Basic dGplMDpUamUw"), ("x-empty", ""), ("host", "dup")]
    resp = [(b"content-type", b"application/json"), (b"last-modified", b"Tue, 01 Dec 2026 10:00:00 GMT")]
    for pairs in (req, resp):
        packed = PackedPairs.pack(pairs)
        assert isinstance(packed, PackedPairs)
        assert list(packed) == pairs and len(packed) == len(pairs) and packed[1] == pairs[1]
        assert packed == pairs


def test_packed_pairs_nul_in_a_value_kept_as_given() -> None:
    pairs = [("x-evil", "a\x00b"), ("host", "x")]
    assert PackedPairs.pack(pairs) is pairs
    assert PackedPairs.pack([]) == []


def test_journal_seal_packs_headers_and_charges_them() -> None:
    journal = Journal(10, body_budget=10_000)
    entry = journal.open("GET", "/p", "", 0.0)
    entry.req_headers = [("host", "x"), ("accept", "application/json")]
    entry.resp_headers_raw = [(b"content-type", b"application/json")]
    entry.resp_body = b"{}"
    journal.seal(entry)
    assert isinstance(entry.req_headers, PackedPairs)
    assert list(entry.req_headers) == [("host", "x"), ("accept", "application/json")]
    assert entry.resp_headers == [("content-type", "application/json")]
    assert (
        entry.cost
        == 2 + len("host\x00x\x00accept\x00application/json") + len(b"content-type\x00application/json") + 512
    )


def test_journal_seal_headers_of_mixed_types_kept_as_given() -> None:
    journal = Journal(10)
    entry = journal.open("GET", "/p", "", 0.0)
    entry.req_headers = [("host", b"x")]  # type: ignore[list-item]
    entry.resp_headers_raw = [(b"a", "b")]  # type: ignore[list-item]
    journal.seal(entry)
    assert entry.req_headers == [("host", b"x")] and entry.resp_headers_raw == [(b"a", "b")]
