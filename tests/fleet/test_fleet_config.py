"""The fleet's port layout, the nginx file it writes, the shipped nginx file and the CLI's flag errors.
The fleet itself (processes, nginx, a member killed) runs in tests/deploy (`make test-container`)."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from emulators import cli, fleet, registry

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "deploy" / "nginx" / "emulators.conf"


def test_layout_gives_each_api_a_block_of_consecutive_ports() -> None:
    lay = fleet.layout(list(registry.APIS), 3, base=9000)
    assert lay == {
        "bouwsoft": [9000, 9001, 9002],
        "superoffice": [9003, 9004, 9005],
        "aktion": [9006, 9007, 9008],
        "twelvebuild": [9009, 9010, 9011],
    }


def test_layout_keeps_an_apis_ports_when_others_are_left_out() -> None:
    assert fleet.layout(["aktion"], 2) == {"aktion": [9705, 9706]}


def test_render_upstreams_hashes_on_the_namespace_consistently() -> None:
    text = fleet.render_upstreams(fleet.layout(["bouwsoft"], 2, base=9100), host="0.0.0.0")
    block = re.search(r"upstream emulators_bouwsoft \{(.*?)\}", text, re.S)
    assert block is not None
    body = block.group(1)
    assert "hash $emulator_namespace consistent;" in body
    assert re.findall(r"server (\S+) max_fails=0;", body) == ["127.0.0.1:9100", "127.0.0.1:9101"]
    assert body.index("hash") < body.index("keepalive")  # nginx wants the method before keepalive
    assert text.startswith(fleet.BEGIN) and text.rstrip().endswith(fleet.END)


def test_render_upstreams_brackets_an_ipv6_host() -> None:
    assert "server [::1]:9701 max_fails=0;" in fleet.render_upstreams(fleet.layout(["bouwsoft"], 1), host="::1")


def test_shipped_nginx_conf_is_the_generated_two_worker_file() -> None:
    expected = fleet.render_site(fleet.layout(list(registry.APIS), 2))
    assert SHIPPED.read_text(encoding="utf-8") == expected, (
        "deploy/nginx/emulators.conf is stale: regenerate it with "
        "python -c 'from emulators import fleet, registry; "
        'print(fleet.render_site(fleet.layout(list(registry.APIS), 2)), end="")\' > deploy/nginx/emulators.conf'
    )


def test_shipped_nginx_conf_keys_the_default_namespace_to_one_fixed_member() -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    assert re.search(r'map \$uri \$emulator_namespace \{\s*"~\^/__ns/\(\[\^/\]\+\)"\s+\$1;\s*default\s+"/";', text)
    for name, (_, port) in registry.APIS.items():
        assert f"listen {port};" in text and f"proxy_pass http://emulators_{name};" in text
    assert text.count("proxy_next_upstream off;") == len(registry.APIS)


def test_replace_upstreams_swaps_only_the_upstream_section() -> None:
    site = SHIPPED.read_text(encoding="utf-8")
    other = fleet.render_upstreams(fleet.layout(list(registry.APIS), 3, base=12000))
    swapped = fleet.replace_upstreams(site, other)
    assert "server 127.0.0.1:12011 max_fails=0;" in swapped and "9701" not in swapped
    assert swapped.count("server {") == site.count("server {")


def test_serve_nginx_conf_without_workers_is_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["serve", "--nginx-conf", "x.conf"]) == 2
    assert capsys.readouterr().err == "error: --nginx-conf needs --workers N\n"


@pytest.mark.parametrize("n", [0, -1, 65])
def test_serve_workers_out_of_range_is_one_line_error(n: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["serve", "--workers", str(n)]) == 2
    assert capsys.readouterr().err == f"error: --workers must be between 1 and 64, not {n}\n"


def test_serve_workers_overlapping_the_front_ports_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conf = tmp_path / "up.conf"
    assert cli.main(["serve", "--workers", "2", "--base-port", "8700", "--nginx-conf", str(conf)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: worker ports 8700-8707 overlap the nginx front ports (8701, 8702, 8703, 8704)")
    assert not conf.exists()


def test_serve_workers_port_in_use_is_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        assert cli.main(["serve", "bouwsoft", "--workers", "1", "--base-port", str(port)]) == 2
    assert capsys.readouterr().err == f"error: port {port} on 127.0.0.1 is in use\n"


def test_serve_workers_unwritable_nginx_conf_is_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    code = cli.main(
        ["serve", "bouwsoft", "--workers", "1", "--base-port", "19999", "--nginx-conf", str(blocker / "up.conf")]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: cannot write {blocker / 'up.conf'}: ") and err.count("\n") == 1
    assert "Traceback" not in err


def test_serve_help_lists_the_fleet_flags() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "emulators", "serve", "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert "--workers N" in out and "--nginx-conf FILE" in out


def test_serve_workers_that_cannot_start_is_one_line_error_and_exit_1(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "emulators",
            "serve",
            "bouwsoft",
            "--workers",
            "1",
            "--base-port",
            str(port),
            "--fixtures",
            str(tmp_path / "missing.yaml"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.splitlines()[-1] == f"error: worker(s) did not start: bouwsoft :{port}"
