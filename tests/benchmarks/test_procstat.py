"""Reading a server's CPU seconds and RSS from /proc (benchmarks/procstat.py)."""

from __future__ import annotations

import os
import sys
import time

import pytest

from benchmarks.procstat import cpu_seconds, parse_stat_ticks, parse_status_rss_kb, rss_mb

# a real line's shape: pid (comm) state ppid ... utime=14th field, stime=15th
STAT = "4242 (java) S 1 4242 4242 0 -1 4194560 100 0 0 0 {u} {s} 7 8 20 0 31 0 555 9199828992 26613 1844674407"


def test_parse_stat_ticks_adds_utime_and_stime() -> None:
    assert parse_stat_ticks(STAT.format(u=268, s=24)) == 292


def test_parse_stat_ticks_command_with_spaces_and_parentheses() -> None:
    line = STAT.format(u=5, s=6).replace("(java)", "(uvicorn (worker) 1)")
    assert parse_stat_ticks(line) == 11


def test_parse_stat_ticks_not_a_stat_line_raises() -> None:
    with pytest.raises(ValueError, match="not a /proc/<pid>/stat line"):
        parse_stat_ticks("VmRSS: 1234 kB")


def test_parse_status_rss_kb_reads_vmrss() -> None:
    assert parse_status_rss_kb("Name:\tjava\nVmPeak:\t 999 kB\nVmRSS:\t  26613 kB\nThreads:\t31\n") == 26613


def test_parse_status_rss_kb_absent_is_zero() -> None:
    assert parse_status_rss_kb("Name:\tzombie\nState:\tZ (zombie)\n") == 0


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc is Linux's")
def test_cpu_seconds_grows_with_work_of_this_process() -> None:
    before = cpu_seconds(os.getpid())
    end = time.thread_time() + 0.05
    while time.thread_time() < end:  # burn 50 ms of CPU on this thread
        pass
    assert cpu_seconds(os.getpid()) - before >= 0.03  # clock ticks are 10 ms
    assert rss_mb(os.getpid()) > 1
