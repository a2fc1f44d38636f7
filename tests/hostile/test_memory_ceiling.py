"""Issue 24 item 13: memory with a ceiling. Every journal in the process together stays under
`journal_total_budget` (the oldest entries of the least recently used namespaces go first), and Bouwsoft keeps
at most TOKENS_PER_CLIENT minted access tokens per client (the oldest go first; the newest stay valid)."""

from __future__ import annotations

import gc

import pytest

from emulators import build_app
from emulators.bouwsoft.auth import TOKENS_PER_CLIENT
from emulators.core import journal_budget
from emulators.core.journal import Journal
from emulators.core.sockets import Limits
from emulators.testing.transport import client_for
from tests.properties.recipes import RECIPES

MIB = 1024 * 1024
JSON = {"Content-Type": "application/json"}


@pytest.fixture
def budget(monkeypatch: pytest.MonkeyPatch) -> journal_budget.JournalBudget:
    fresh = journal_budget.JournalBudget()
    monkeypatch.setattr(journal_budget, "PROCESS", fresh)  # this test's journals only
    return fresh


def test_namespaces_journals_stay_under_process_budget_lru_first(budget: journal_budget.JournalBudget) -> None:
    app = build_app("twelvebuild", limits=Limits(journal_total_budget=2 * MIB))
    body = b"x" * 60_000  # each entry ~60 KB kept: ten per namespace ~600 KB
    with client_for(app) as c:
        for ns in range(8):
            for _ in range(10):
                c.post(f"/__ns/n{ns}/project", content=body, headers={"Content-Type": "text/plain"})
            if ns == 3:
                c.post("/__ns/n0/project", content=body, headers={"Content-Type": "text/plain"})  # n0 used again
        assert budget.total <= 2 * MIB
        lengths = {ns: len(app.worlds[f"n{ns}"].journal) for ns in range(8)}
        assert lengths[7] == 10  # the most recently written keeps everything
        assert lengths[1] <= 1 and lengths[2] <= 1  # least recently used: only their newest entry is left
        assert lengths[0] >= lengths[1]  # n0 was used after n1 and n2
        assert sum(app.worlds[f"n{ns}"].journal.bytes_kept for ns in range(8)) == budget.total
        assert c.get("/__ns/n7/__emulator/requests").json()["requests"][-1]["status"] == 401


def test_journal_dropped_gives_its_bytes_back(budget: journal_budget.JournalBudget) -> None:
    j = Journal(100)
    e = j.open("GET", "/", "", 0.0)
    e.req_body = b"y" * 10_000
    j.seal(e)
    assert budget.total == j.bytes_kept > 10_000
    j.clear()
    assert budget.total == 0
    e = j.open("GET", "/", "", 0.0)
    j.seal(e)
    del j, e
    gc.collect()
    assert budget.total == 0


def test_getAccessToken_minted_tokens_bounded_per_client_bouwsoft() -> None:
    app = build_app("bouwsoft")
    with client_for(app) as c:
        creds = RECIPES["bouwsoft"].creds(c)
        headers = {"Clientnr": creds["Clientnr"][2], "RefreshToken": creds["RefreshToken"][2]}
        minted = [c.get("/api/v1/Authorize/AccessToken", headers=headers).json()["AccessToken"] for _ in range(500)]
        tokens = app.default_world.store(None).table("access_tokens")
        clientnr = int(creds["Clientnr"][2])
        assert sum(1 for t in tokens.values() if t["clientnr"] == clientnr) <= TOKENS_PER_CLIENT + 1
        newest = minted[-1]
        assert newest in tokens and minted[0] not in tokens
        fixture_token = app.fixtures["credentials"]["access_token"]
        assert fixture_token in tokens  # the fixtures' own token is never forgotten
