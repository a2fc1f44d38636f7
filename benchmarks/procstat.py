"""What a server process burnt and holds, read from /proc: CPU seconds (utime + stime) and resident memory.

/proc/<pid>/stat of a process sums all of its threads, the live ones and those that have exited (a JVM's
GC and JIT threads, uvloop's), so one read per server is the whole server's CPU."""

from __future__ import annotations

import os

# Fields counted from the state field (the first one after the command name): utime is the 14th field of
# the line and stime the 15th, that is the 12th and 13th after the command name.
_UTIME, _STIME = 11, 12


def parse_stat_ticks(stat_line: str) -> int:
    """utime + stime, in clock ticks, from one /proc/<pid>/stat line. The command name sits between
    parentheses and may itself hold spaces and parentheses, so the fields are counted after the last ')'."""
    head, sep, rest = stat_line.rpartition(")")
    if not sep or "(" not in head:
        raise ValueError(f"not a /proc/<pid>/stat line: {stat_line[:80]!r}")
    fields = rest.split()
    return int(fields[_UTIME]) + int(fields[_STIME])


def cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) the process `pid` has used so far, all threads included."""
    with open(f"/proc/{pid}/stat") as fh:
        return parse_stat_ticks(fh.read()) / os.sysconf("SC_CLK_TCK")


def parse_status_rss_kb(status_text: str) -> int:
    """VmRSS in kB from the text of /proc/<pid>/status (0 when absent, as for a zombie)."""
    for line in status_text.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as fh:
        return parse_status_rss_kb(fh.read()) / 1024
