"""The fleet for real: `emulators serve --workers 2` on this host behind Debian's nginx running the
shipped deploy/nginx/emulators.conf (its upstream section swapped for the file --nginx-conf wrote,
its listen ports moved to free ones). Tests run in file order: the last ones kill a member and stop
the fleet."""

from __future__ import annotations

import collections
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from emulators import fleet, registry

from .conftest import ROOT, Figures, free_block, wait_for_port

NAMESPACES = [f"ci-run-{i:03d}" for i in range(200)]
APIS = list(registry.APIS)
TEN_YEARS = 10 * 365 * 86400


@dataclass
class Fleet:
    dir: Path
    proc: subprocess.Popen[bytes]
    nginx: subprocess.Popen[bytes]
    members: dict[str, list[int]]
    fronts: dict[str, int]
    owner: dict[tuple[str, str], str] = field(default_factory=dict)  # (api, namespace) -> "127.0.0.1:port"
    killed: str = ""

    def front(self, api: str) -> str:
        return f"http://127.0.0.1:{self.fronts[api]}"


def _nginx() -> str:
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.path.exists(found):
        pytest.fail("nginx is not installed (deploy/ci/prepare.sh installs it)")
    return found


def _main_conf(d: Path) -> str:
    return f"""daemon off;
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {d}/body;
    proxy_temp_path {d}/proxy;
    fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi;
    scgi_temp_path {d}/scgi;
    include {d}/emulators.conf;
}}
"""


@pytest.fixture(scope="module")
def fleet_up(tmp_path_factory: pytest.TempPathFactory, figures: Figures) -> Iterator[Fleet]:
    d = tmp_path_factory.mktemp("fleet")
    base, front = free_block(8, prefer=fleet.DEFAULT_WORKER_BASE), free_block(4, prefer=18701)
    upstreams = d / "upstreams.conf"
    t0 = time.monotonic()
    out, err = (d / "fleet.out").open("wb"), (d / "fleet.err").open("wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "emulators",
            "serve",
            "--workers",
            "2",
            "--base-port",
            str(base),
            "--nginx-conf",
            str(upstreams),
        ],
        stdout=out,
        stderr=err,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 90
    while "fleet:" not in (d / "fleet.out").read_text() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "fleet:" in (d / "fleet.out").read_text(), (d / "fleet.err").read_text()
    figures.timed("fleet: 8 workers (2 per API) up", t0)
    # the documented recipe: the shipped file with its upstream section swapped for the written one
    site = subprocess.run(
        [
            "sed",
            "-e",
            f"/^# BEGIN upstreams/,/^# END upstreams/{{/^# END upstreams/r {upstreams}",
            "-e",
            "d}",
            str(ROOT / "deploy/nginx/emulators.conf"),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert site == fleet.replace_upstreams((ROOT / "deploy/nginx/emulators.conf").read_text(), upstreams.read_text())
    fronts = {}
    for i, name in enumerate(APIS):
        fronts[name] = front + i
        site = site.replace(f"listen {registry.APIS[name][1]};", f"listen 127.0.0.1:{front + i};")
    (d / "emulators.conf").write_text(site)
    (d / "nginx.conf").write_text(_main_conf(d))
    check = subprocess.run([_nginx(), "-t", "-p", str(d), "-c", str(d / "nginx.conf")], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    t1 = time.monotonic()
    nginx = subprocess.Popen([_nginx(), "-p", str(d), "-c", str(d / "nginx.conf")])
    for port in fronts.values():
        wait_for_port(port)
    figures.timed("fleet: nginx up", t1)
    up = Fleet(d, proc, nginx, fleet.layout(APIS, 2, base), fronts)
    yield up
    nginx.send_signal(signal.SIGQUIT)
    nginx.wait(10)
    if proc.poll() is None:
        proc.terminate()
        proc.wait(10)
    out.close()
    err.close()


def _member(resp: httpx.Response) -> str:
    return resp.headers["x-emulator-member"]


def test_serve_workers_prints_each_worker_in_port_order(fleet_up: Fleet) -> None:
    lines = (fleet_up.dir / "fleet.out").read_text().splitlines()
    expected = [f"{name} http://127.0.0.1:{port}" for name, ports in fleet_up.members.items() for port in ports]
    assert lines[:-1] == expected
    assert lines[-1] == f"fleet: 8 worker(s) ready, 2 per API; nginx upstreams in {fleet_up.dir / 'upstreams.conf'}"


def test_nginx_accepts_the_shipped_conf_as_it_is(tmp_path: Path) -> None:
    shutil.copy(ROOT / "deploy/nginx/emulators.conf", tmp_path / "emulators.conf")
    (tmp_path / "nginx.conf").write_text(_main_conf(tmp_path))
    check = subprocess.run(
        [_nginx(), "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr


def test_namespaces_spread_over_both_members(fleet_up: Fleet, figures: Figures) -> None:
    for api in APIS:
        with httpx.Client(base_url=fleet_up.front(api), timeout=10) as client:
            for ns in NAMESPACES:
                resp = client.get(f"/__ns/{ns}/__emulator/health")
                assert resp.status_code == 200 and resp.json() == {"status": "ok", "emulator": api}
                fleet_up.owner[(api, ns)] = _member(resp)
        counts = collections.Counter(fleet_up.owner[(api, ns)] for ns in NAMESPACES)
        members = [f"127.0.0.1:{p}" for p in fleet_up.members[api]]
        assert set(counts) == set(members)
        shares = [100 * counts[m] / len(NAMESPACES) for m in members]
        figures.add(
            f"fleet spread {api}: "
            + " / ".join(f"{counts[m]} ({s:.1f} %)" for m, s in zip(members, shares, strict=True))
            + f" of {len(NAMESPACES)} namespaces"
        )
        assert all(30 <= s <= 70 for s in shares), shares


def test_every_request_of_a_namespace_lands_on_one_member(fleet_up: Fleet) -> None:
    """Control plane and API calls through nginx, checked by nginx's header and by each member's own
    clock and journal, asked directly."""
    for api in APIS:
        with httpx.Client(base_url=fleet_up.front(api), timeout=10) as client:
            for ns in NAMESPACES:
                seen = {
                    _member(client.get(f"/__ns/{ns}/__emulator/clock")),
                    _member(client.post(f"/__ns/{ns}/__emulator/clock", json={"advance_seconds": TEN_YEARS})),
                    _member(client.get(f"/__ns/{ns}/no-such-route-{ns}")),
                    _member(client.get(f"/__ns/{ns}/__emulator/requests")),
                }
                assert seen == {fleet_up.owner[(api, ns)]}, (api, ns, seen)
        year = datetime.now().year
        for ns in NAMESPACES[:40]:
            for port in fleet_up.members[api]:
                direct = f"http://127.0.0.1:{port}/__ns/{ns}/__emulator"
                clock = httpx.get(f"{direct}/clock", timeout=10).json()
                journal = httpx.get(f"{direct}/requests", timeout=10).json()["requests"]
                mine = fleet_up.owner[(api, ns)] == f"127.0.0.1:{port}"
                assert (int(clock["now"][:4]) >= year + 9) is mine, (api, ns, port, clock)
                assert [e["path"] for e in journal] == ([f"/no-such-route-{ns}"] if mine else [])


def test_state_written_through_the_proxy_reads_back_through_it(fleet_up: Fleet, figures: Figures) -> None:
    with httpx.Client(base_url=fleet_up.front("bouwsoft"), timeout=10) as client:
        for ns in NAMESPACES[:50]:
            made = client.post(f"/__ns/{ns}/__emulator/faults", json={"path": f"/only-{ns}", "status": 503})
            assert made.status_code == 201, made.text
            rules = client.get(f"/__ns/{ns}/__emulator/faults").json()
            assert [r["id"] for r in rules["faults"]] == [made.json()["id"]]
            state = client.get(f"/__ns/{ns}/__emulator/state")
            assert client.put(f"/__ns/{ns}/__emulator/state", json=state.json()).status_code == 200
    # the scenarios write records and read them back, each in a fresh namespace, through nginx
    scenarios = sorted((ROOT / "fixtures" / "scenarios").glob("*.scenario.yaml"))
    targets = [a for api in APIS for a in ("--target", f"{api}={fleet_up.front(api)}")]
    t0 = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-m", "emulators", "replay", "-q", *map(str, scenarios), *targets],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    figures.timed(f"fleet: {len(scenarios)} scenarios replayed through nginx", t0)
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"{len(scenarios)} passed" in run.stdout.splitlines()[-1]


def test_default_namespace_is_stable(fleet_up: Fleet) -> None:
    for api in APIS:
        with httpx.Client(base_url=fleet_up.front(api), timeout=10) as client:
            seen = {_member(client.get("/__emulator/health")) for _ in range(25)}
            seen |= {_member(client.get("/no-such-route")) for _ in range(25)}
            seen |= {_member(client.get("/__emulator/requests")) for _ in range(5)}
            assert len(seen) == 1, (api, seen)
            fleet_up.owner[(api, "")] = seen.pop()


def _children(pid: int) -> dict[int, str]:
    out = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                    out[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except (OSError, ValueError, IndexError):
                continue
    return out


def test_killed_member_gets_502_for_its_namespaces_and_the_rest_keep_working(fleet_up: Fleet, figures: Figures) -> None:
    port = fleet_up.members["bouwsoft"][1]
    victim = [pid for pid, cmd in _children(fleet_up.proc.pid).items() if f"--port {port} " in cmd + " "]
    assert len(victim) == 1, _children(fleet_up.proc.pid)
    os.kill(victim[0], signal.SIGKILL)
    dead = f"127.0.0.1:{port}"
    deadline = time.monotonic() + 10
    while "exited" not in (fleet_up.dir / "fleet.err").read_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    # the workers' own stderr lines (`<api> dashboard <url>`) come first; the fleet's report is one line of its own
    fleet_lines = [line for line in (fleet_up.dir / "fleet.err").read_text().splitlines() if " dashboard " not in line]
    assert fleet_lines == [f"fleet: bouwsoft worker on port {port} exited (code -9); not restarted"]
    statuses: collections.Counter[int] = collections.Counter()
    slowest = 0.0
    with httpx.Client(base_url=fleet_up.front("bouwsoft"), timeout=10) as client:
        for ns in [*NAMESPACES, ""]:
            path = f"/__ns/{ns}/__emulator/clock" if ns else "/__emulator/clock"
            t0 = time.monotonic()
            resp = client.get(path)
            slowest = max(slowest, time.monotonic() - t0)
            statuses[resp.status_code] += 1
            if fleet_up.owner[("bouwsoft", ns)] == dead:
                assert resp.status_code == 502
                assert resp.headers["content-type"] == "application/json"
                assert resp.json() == {"error": "emulator fleet member unavailable", "api": "bouwsoft", "member": dead}
            else:
                assert resp.status_code == 200, (ns, resp.text)
                assert _member(resp) == fleet_up.owner[("bouwsoft", ns)]
                if ns:  # its state survived: the clock advanced earlier is still ahead
                    assert int(resp.json()["now"][:4]) >= datetime.now().year + 9
    figures.add(
        f"fleet: bouwsoft member {dead} killed: {statuses[502]} namespaces answer 502, "
        f"{statuses[200]} keep working; slowest answer {slowest * 1000:.0f} ms"
    )
    with httpx.Client(base_url=fleet_up.front("superoffice"), timeout=10) as client:
        assert all(client.get(f"/__ns/{ns}/__emulator/health").status_code == 200 for ns in NAMESPACES)


def test_fleet_stops_all_workers_on_sigterm(fleet_up: Fleet, figures: Figures) -> None:
    workers = list(_children(fleet_up.proc.pid))
    assert len(workers) == 7
    t0 = time.monotonic()
    fleet_up.proc.send_signal(signal.SIGTERM)
    assert fleet_up.proc.wait(10) == 0
    took = figures.timed("fleet: stopped by SIGTERM", t0)
    assert took < 5
    assert not [
        pid
        for pid in workers
        if Path(f"/proc/{pid}").exists()
        and "Z" not in (Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[:1])
    ]
