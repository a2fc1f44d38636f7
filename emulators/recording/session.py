"""The recording proxy's `--out` file, appended per exchange.

The newest exchanges stay open (at most WINDOW of them, WINDOW_BYTES of bodies): a value minted in one
of their answers becomes a capture when a later request sends it, so they are rewritten after each
exchange. Older steps are final and written once; what they captured is carried to the steps after
them. So one exchange costs the same whether it is the 3rd or the 30,000th, and the file is a valid
scenario after every exchange (`vars:`, when a credential could not be named, stands after the steps).
An exchange that cannot be recorded (whatever its client sent) is left out; the recording goes on.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import yaml

from ..core.journal import Redaction
from ..scenarios.scenario import ScenarioError, validate
from .auth_slots import auth_slots_of
from .portable import Carried, Exchange, built, portable_steps

WINDOW = 8
WINDOW_BYTES = 16 * 1024 * 1024
log = logging.getLogger("emulators.proxy")


def _dump(value: Any) -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when built with it: 10x faster
    return yaml.dump(value, Dumper=dumper, sort_keys=False, allow_unicode=True, width=110)


class SessionFile:
    def __init__(
        self, path: Path, emulator: str, *, redaction: Redaction, name: str | None, source: str, tool: str
    ) -> None:
        self.path = path
        self.redaction = redaction
        self.slots = auth_slots_of(emulator)
        self.source = source
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        head = {
            "name": name or f"{emulator} session recorded {stamp}",
            "description": f"Recorded by `{tool}` from {source} at {stamp}.",
            "emulator": emulator,
        }
        comment = (
            f"# Recorded by `{tool}`; replay with `emulators replay FILE` (or compare: `emulators parity FILE`).\n"
        )
        self.head = comment + _dump(head) + "steps:\n"
        self.carried = Carried()
        self.window: list[Exchange] = []
        self.rendered: list[tuple[dict[str, Any], str]] = []  # the open steps as last written
        self.final = 0  # steps written for good
        self.offset = 0  # where the open steps start in the file
        self.skipped = 0
        self._fh: IO[bytes] | None = None

    def add(self, exchange: Exchange, credentials: dict[str, Any]) -> None:
        if not exchange.path.startswith("/"):
            return  # `OPTIONS *`: no step of a scenario
        self.window.append(exchange)
        try:
            b = built(self.window, credentials, self.redaction, False, [self.source], self.carried, self.slots)
            steps = portable_steps(b, first=self.final + 1)
            old = self.rendered
            texts = [old[i][1] if i < len(old) and old[i][0] == st else _dump([st]) for i, st in enumerate(steps)]
            changed = "".join(t for i, t in enumerate(texts) if i >= len(old) or old[i][1] != t)
            vars_text = self._vars(b.secrets)
            self._check(self.head + changed + vars_text)
            tail = "".join(texts) + vars_text
        except Exception as exc:  # whatever one client sent, the recording goes on without it
            self.window.pop()
            self.skipped += 1
            log.warning("proxy: %s %s left out of the recording: %s", exchange.method, exchange.path[:200], exc)
            return
        self._write(tail)
        self.rendered = list(zip(steps, texts, strict=True))
        done = 0
        while len(self.window) - done > WINDOW or (len(self.window) - done > 1 and self._bytes(done) > WINDOW_BYTES):
            self.offset += len(texts[done].encode("utf-8"))
            for value, var, whole in b.minted.get(done, []):
                self.carried.captures[value] = (var, whole)
            self.carried.var_names.update(b.captures.get(done, {}))
            done += 1
        if done:
            self.carried.secrets = dict(b.secrets)
            self.final += done
            del self.window[:done]
            del self.rendered[:done]

    @staticmethod
    def _check(text: str) -> None:
        """What we write must be a valid scenario (the steps rewritten now, read back with libyaml)."""
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        problems = validate(yaml.load(text, Loader=loader), "<recorded>")
        if problems:
            raise ScenarioError("<recorded>", problems)

    def _bytes(self, start: int) -> int:
        return sum(len(x.req_body) + len(x.resp_body) for x in self.window[start:])

    @staticmethod
    def _vars(secrets: dict[str, str]) -> str:
        if not secrets:
            return ""
        return "# Credentials that could not be named: set the secret_* vars (e.g. to ${env:NAME}).\n" + _dump(
            {"vars": secrets}
        )

    def _write(self, tail: str) -> None:
        """The open steps over the old ones (the final steps stay as written); a write error is logged and
        the next exchange tries again."""
        try:
            if self._fh is None and self.offset and self.path.is_file():  # again after a write error
                self._fh = open(self.path, "r+b")  # noqa: SIM115 - held open for the session
            if self._fh is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._fh = open(self.path, "wb")  # noqa: SIM115 - held open for the session
                self._fh.write(self.head.encode("utf-8"))
                self.offset = len(self.head.encode("utf-8"))
            self._fh.seek(self.offset)
            self._fh.truncate()
            self._fh.write(tail.encode("utf-8"))
            self._fh.flush()
        except OSError as exc:
            log.warning("proxy: cannot write %s: %s", self.path, exc.strerror or exc)
            self.close()

    def close(self) -> None:
        """The file as it stands (a session without a step is one `reset` step)."""
        if self._fh is None and not self.window and not self.final:
            self._write(_dump([{"reset": True}]))
        if self._fh is not None:
            self._fh.close()
            self._fh = None
