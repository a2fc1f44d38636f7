"""Outbound deliveries (webhooks): the queue, delivery with httpx, retries on the emulator clock, the
journal of deliveries and faults on them. Vendor-free: an API renders each `Message` (body, headers,
retry delays) and judges each attempt through its `Policy`; this module only sends.

Each World owns one `Outbox`. Sending happens on the outbox's own thread and event loop, so a write
that raises an event only appends to a queue: it never waits for a receiver. Every attempt is due at an
emulator-clock time; a frozen clock holds what is not yet due until it is advanced, and advancing fires
what became due in the order it was scheduled (one subscriber's attempts never overtake each other).
The thread starts with the first message and ends after a minute with nothing queued.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import heapq
import itertools
import logging
import os
import ssl
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .outbound_faults import DeliveryFaults

if TYPE_CHECKING:
    import httpx

    from .clock import Clock

# (outbox, due, render) queued by the request being answered: released once its answer is written
_HELD: contextvars.ContextVar[list[tuple[Outbox, float, Render]] | None] = contextvars.ContextVar(
    "emulators_outbox_held", default=None
)

JOURNAL_SIZE = 10_000
IDLE_SECONDS = 60.0
BODY_KEEP = 64 * 1024  # bytes of a receiver's answer kept in the journal


@dataclass
class Result:
    """One attempt's outcome as the policy sees it: a status (None when no answer came) and a short text."""

    attempt: int
    status: int | None
    text: str  # the answer's body (cut), or the error
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == 200


class Policy:
    """What an API decides per attempt. The default: deliver while asked, stop on the first 200."""

    def wanted(self, message: Message) -> bool:
        """Still to be sent (e.g. the subscription is still active)? Checked before every attempt."""
        return True

    def after(self, message: Message, result: Result) -> bool:
        """Record the outcome; True to try again (if attempts remain)."""
        return not result.ok


@dataclass
class Message:
    """One event for one subscriber, rendered by the API."""

    subscription: str
    event: str
    url: str
    body: bytes
    headers: dict[str, str]
    key: str = ""  # the vendor's event id, shown in the journal
    tenant: str | None = None
    retry_delays: tuple[float, ...] = ()  # emulator seconds before attempt 2, 3, ...
    attempt_headers: Callable[[int], dict[str, str]] | None = None  # extra headers of attempt n (1-based)
    policy: Policy = field(default_factory=Policy)


# an API's rendering of one write's messages, given the write's emulator time; run on the outbox thread
Render = Callable[[float], "list[Message]"]


def hold() -> contextvars.Token[list[tuple[Outbox, float, Render]] | None]:
    """Hold what this request queues until `release`: its deliveries start after its answer is written."""
    return _HELD.set([])


def release(token: contextvars.Token[list[tuple[Outbox, float, Render]] | None]) -> None:
    held = _HELD.get()
    _HELD.reset(token)
    woken: list[Outbox] = []
    for outbox, due, render in held or ():
        outbox._renders.append((due, render))
        if outbox not in woken:
            woken.append(outbox)
    for outbox in woken:
        outbox._wake_up()


def _tls() -> ssl.SSLContext:
    """https targets are verified against the system store, or only against EMULATORS_WEBHOOK_CA."""
    ca = os.environ.get("EMULATORS_WEBHOOK_CA")
    return ssl.create_default_context(cafile=ca) if ca else ssl.create_default_context()


def _timeout() -> float:
    try:
        return float(os.environ.get("EMULATORS_WEBHOOK_TIMEOUT", "10"))
    except ValueError:
        return 10.0


class Outbox:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.faults = DeliveryFaults()
        self._lock = threading.Lock()
        self._heap: list[tuple[float, int, Message, int]] = []
        self._renders: deque[tuple[float, Render]] = deque()  # writes whose messages are not rendered yet
        self._seq = itertools.count()
        self._ids = itertools.count(1)
        self._journal: deque[dict[str, Any]] = deque(maxlen=JOURNAL_SIZE)
        self._routes: list[tuple[str, Any]] = []  # (URL prefix, ASGI app): delivered in process
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._generation = 0  # reset() bumps it: attempts of an older generation are not sent
        self._busy = 0
        self._sent = threading.Condition(self._lock)

    # queue -------------------------------------------------------------------------------------
    def send(self, message: Message) -> None:
        """Queue the first attempt, due now on the emulator clock. Returns at once."""
        self._push(self.clock.time(), message, 1)

    def later(self, render: Render) -> None:
        """Queue a write's messages, rendered on the outbox thread and due at the write's emulator time.
        The write path only appends here; inside a request nothing starts before its answer is written."""
        due = self.clock.time()
        held = _HELD.get()
        if held is not None:
            held.append((self, due, render))
            return
        self._renders.append((due, render))
        self._wake_up()

    def _wake_up(self) -> None:
        with self._lock:
            self._ensure_thread()
        self.poke()

    def _push(self, due: float, message: Message, attempt: int) -> None:
        with self._lock:
            heapq.heappush(self._heap, (due, next(self._seq), message, attempt))
            self._ensure_thread()
        self.poke()

    def _render(self) -> None:
        """Render the writes queued so far (on the outbox thread), in the order they were written."""
        while self._renders:
            due, render = self._renders.popleft()
            try:
                messages = render(due)
            except Exception:  # an API's rendering bug must not stop every later delivery: logged, skipped
                logging.getLogger("emulators.outbound").exception("rendering an outbound event failed")
                continue
            with self._lock:
                for message in messages:
                    heapq.heappush(self._heap, (due, next(self._seq), message, 1))

    def poke(self) -> None:
        """Look at the queue again (a message was queued, or the clock moved)."""
        loop, wake = self._loop, self._wake
        if loop is not None and wake is not None:
            with contextlib.suppress(RuntimeError):  # the loop just closed; the next push starts a new one
                loop.call_soon_threadsafe(wake.set)

    def pending(self) -> list[dict[str, Any]]:
        with self._lock:
            items = sorted(self._heap)
        return [
            {"subscription": m.subscription, "event": m.event, "key": m.key, "attempt": n, "due": _iso(due)}
            for due, _, m, n in items
        ]

    def reset(self) -> None:
        """Queue, journal, routes and faults cleared (POST /__emulator/reset)."""
        with self._lock:
            self._heap.clear()
            self._renders.clear()
            self._journal.clear()
            self._generation += 1
            self._ids = itertools.count(1)
        self._routes.clear()
        self.faults.clear()

    # routes --------------------------------------------------------------------------------------
    def route_to(self, app: Any, prefix: str = "") -> None:
        """Deliver messages whose URL starts with `prefix` (all when empty) to an ASGI app, in process."""
        self._routes = [(p, a) for p, a in self._routes if p != prefix]
        self._routes.append((prefix, app))
        self._routes.sort(key=lambda r: -len(r[0]))

    def _route(self, url: str) -> Any:
        for prefix, app in self._routes:
            if url.startswith(prefix):
                return app
        return None

    # journal -------------------------------------------------------------------------------------
    def deliveries(self, subscription: str | None = None, event: str | None = None) -> list[dict[str, Any]]:
        with self._lock:
            items = list(self._journal)
        return [
            d
            for d in items
            if (subscription is None or d["subscription"] == subscription) and (event is None or d["event"] == event)
        ]

    def wait_idle(self, timeout: float = 5.0) -> bool:
        """True once nothing is due now and no attempt is in flight (what is due later may still wait)."""
        end = time.monotonic() + timeout
        with self._sent:
            while self._busy or self._renders or (self._heap and self._heap[0][0] <= self.clock.time()):
                left = end - time.monotonic()
                if left <= 0:
                    return False
                self._sent.wait(min(left, 0.05))
        return True

    def send_now(self, message: Message, timeout: float | None = None) -> Result:
        """One attempt, waited for (a vendor's registration check); journaled like any other."""
        with self._lock:
            self._ensure_thread()
        deadline = time.monotonic() + 5
        while self._loop is None and time.monotonic() < deadline:
            time.sleep(0.001)
        assert self._loop is not None
        future = asyncio.run_coroutine_threadsafe(self._attempt(message, 1, self._generation), self._loop)
        return future.result(timeout=(timeout or _timeout()) + 5)

    # the thread ----------------------------------------------------------------------------------
    def _ensure_thread(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="emulators-outbox", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(self._main(loop))
        finally:
            loop.close()

    async def _main(self, loop: asyncio.AbstractEventLoop) -> None:
        self._wake = asyncio.Event()
        self._loop = loop
        self._clients: dict[int, httpx.AsyncClient] = {}
        self._order: dict[str, asyncio.Lock] = {}
        idle_since = time.monotonic()
        try:
            while True:
                self._render()
                due = self._take_due()
                for when, message, attempt in due:
                    loop.create_task(self._scheduled(message, attempt, when, self._generation))
                wait = self._next_wait()
                if due or self._busy or wait is not None or self._heap or self._renders:
                    idle_since = time.monotonic()
                elif time.monotonic() - idle_since > IDLE_SECONDS:
                    with self._lock:
                        if not self._heap and not self._busy and not self._renders:
                            self._thread = None
                            self._loop = None
                            return
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), wait if wait is not None else IDLE_SECONDS)
                self._wake.clear()
        finally:
            for client in self._clients.values():
                await client.aclose()

    def _take_due(self) -> list[tuple[float, Message, int]]:
        now = self.clock.time()
        out = []
        with self._lock:
            while self._heap and self._heap[0][0] <= now:
                due, _, message, attempt = heapq.heappop(self._heap)
                out.append((due, message, attempt))
                self._busy += 1
        return out

    def _next_wait(self) -> float | None:
        """Real seconds until the next attempt is due; None when nothing waits or the clock is frozen."""
        with self._lock:
            if not self._heap or self.clock.frozen:
                return None
            return max(0.0, self._heap[0][0] - self.clock.time())

    async def _scheduled(self, message: Message, attempt: int, due: float, generation: int) -> None:
        lock = self._order.setdefault(message.subscription, asyncio.Lock())
        try:
            async with lock:  # FIFO: one subscriber gets its attempts in the order they were due
                if generation != self._generation or not message.policy.wanted(message):
                    return
                result = await self._attempt(message, attempt, generation, due)
                more = message.policy.after(message, result)
                if more and attempt <= len(message.retry_delays) and generation == self._generation:
                    with self._lock:
                        heapq.heappush(
                            self._heap, (due + message.retry_delays[attempt - 1], next(self._seq), message, attempt + 1)
                        )
        finally:
            with self._sent:
                self._busy -= 1
                self._sent.notify_all()
            self.poke()

    async def _attempt(self, message: Message, attempt: int, generation: int, due: float | None = None) -> Result:
        headers = dict(message.headers)
        if message.attempt_headers is not None:
            headers.update(message.attempt_headers(attempt))
        fault = self.faults.match(message.event, message.subscription)
        if fault is not None and fault.action == "delay":
            await asyncio.sleep(fault.seconds)
        entry: dict[str, Any] = {
            "subscription": message.subscription,
            "tenant": message.tenant,
            "event": message.event,
            "key": message.key,
            "attempt": attempt,
            "due": _iso(due if due is not None else self.clock.time()),
            "sent": _iso(self.clock.time()),
            "request": {"method": "POST", "url": message.url, "headers": headers, "body": _text(message.body)},
            "fault": fault.action if fault is not None else None,
        }
        if fault is not None and fault.action == "drop":  # lost on the way: the sender believes it went
            result = Result(attempt, 200, "")
            entry.update(outcome="dropped", response=None, error=None, duration_ms=0.0)
        else:
            result = await self._post(message.url, headers, message.body, attempt, entry)
            if fault is not None and fault.action == "duplicate":
                twin = dict(entry)
                await self._post(message.url, headers, message.body, attempt, twin)
                self._record(twin, generation)
        self._record(entry, generation)
        return result

    async def _post(
        self, url: str, headers: dict[str, str], body: bytes, attempt: int, entry: dict[str, Any]
    ) -> Result:
        import httpx

        start = time.perf_counter()
        try:
            answer = await self._client(url).post(url, content=body, headers=headers, timeout=_timeout())
        except (httpx.HTTPError, OSError, ssl.SSLError) as exc:
            text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            entry.update(outcome="error", response=None, error=text)
            entry["duration_ms"] = round((time.perf_counter() - start) * 1000, 3)
            return Result(attempt, None, text)
        got = answer.content[:BODY_KEEP]
        answer_headers = dict(answer.headers)
        entry.update(
            outcome="delivered" if answer.status_code == 200 else "failed",
            response={"status": answer.status_code, "headers": answer_headers, "body": _text(got)},
            error=None,
            duration_ms=round((time.perf_counter() - start) * 1000, 3),
        )
        return Result(attempt, answer.status_code, _text(got), answer_headers)

    def _client(self, url: str) -> httpx.AsyncClient:
        import httpx

        app = self._route(url)
        key = id(app)
        client = self._clients.get(key)
        if client is None:
            if app is not None:
                client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app))
            else:
                client = httpx.AsyncClient(verify=_tls(), trust_env=False)
            self._clients[key] = client
        return client

    def _record(self, entry: dict[str, Any], generation: int) -> None:
        with self._lock:
            if generation != self._generation:
                return
            entry["id"] = f"d{next(self._ids)}"
            self._journal.append(entry)


def _iso(epoch: float) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(epoch, UTC).isoformat().replace("+00:00", "Z")


def _text(data: bytes) -> str:
    return data.decode("utf-8", "replace")
