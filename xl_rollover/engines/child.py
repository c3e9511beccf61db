"""Run an engine as a child process that cannot outlive ``calc``: its own process group, a time limit, a watchdog.

- The child starts in its own session (process group), so it and everything it starts can be killed
  at once (``killpg``), and a terminal's Ctrl-C reaches ``calc`` only.
- On Linux the child asks the kernel for SIGKILL when its parent dies (``prctl(PR_SET_PDEATHSIG)``,
  prctl(2)); that reaches the child only, not what it starts (LibreOffice's ``soffice`` script starts
  ``soffice.bin``), so a watchdog process also holds a pipe from ``calc``: when the pipe closes without
  the word "done" (``calc`` was killed, even by SIGKILL), it kills the child's whole group and removes
  the folders it was given (the engine's profile and the copy of the client's workbook).
- On a timeout or any exception in ``calc`` (including :class:`Stopped` from SIGTERM), the group is
  killed and waited for before the caller's temporary folders are removed.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import math
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from types import FrameType

from xl_rollover.core.errors import InputError

#: Exit code of ``calc`` stopped by SIGTERM (128 + 15, what a shell reports for a process it ended).
EXIT_TERMINATED = 143
#: The longest --timeout accepted (a day); anything longer is a mistake, not a calculation.
MAX_TIMEOUT = 86_400.0

_PR_SET_PDEATHSIG = 1
_WATCHDOG = """
import os, shutil, signal, sys, time
group = int(sys.argv[1])
if sys.stdin.buffer.read() != b"done":
    try:
        os.killpg(group, signal.SIGKILL)
    except OSError:
        pass
    time.sleep(0.5)
    for folder in sys.argv[2:]:
        shutil.rmtree(folder, ignore_errors=True)
"""


class Stopped(BaseException):
    """Raised in ``calc`` by SIGTERM so that every cleanup (children, temporary folders) runs."""


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM must not interrupt the cleanup
    raise Stopped(signum)


@contextlib.contextmanager
def stop_on_sigterm():
    """While inside, SIGTERM raises :class:`Stopped` (main thread only; elsewhere nothing changes)."""
    try:
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def check_timeout(timeout: float) -> float:
    """A time limit in seconds: a finite number above 0 and at most :data:`MAX_TIMEOUT`."""
    try:
        value = float(timeout)
    except (TypeError, ValueError):
        raise InputError(f"--timeout {timeout!r} must be a number of seconds") from None
    if not math.isfinite(value) or value <= 0 or value > MAX_TIMEOUT:
        raise InputError(f"--timeout {timeout} must be a number of seconds above 0 and at most {MAX_TIMEOUT:,.0f}")
    return value


_LIBC = None


def _die_with_parent() -> None:  # pragma: no cover - runs in the forked child
    if _LIBC is not None:
        _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _kill_group(group: int, process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the group and wait (up to 10 s) until no member is left."""
    with contextlib.suppress(OSError):
        os.killpg(group, signal.SIGKILL)
    with contextlib.suppress(OSError, subprocess.TimeoutExpired):
        process.wait(timeout=10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except OSError:
            return
        time.sleep(0.02)


def run(
    command: Sequence[str],
    timeout: float,
    what: str,
    env: Mapping[str, str] | None = None,
    cleanup: Sequence[str] = (),
) -> bytes:
    """Run ``command``; its stderr on success. On timeout or any exception, kill its whole group first.

    ``cleanup``: folders the watchdog removes if ``calc`` itself is killed before it can.
    """
    global _LIBC
    if _LIBC is None and sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):
            _LIBC = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    process = subprocess.Popen(
        list(command),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        env=env,
        preexec_fn=_die_with_parent if _LIBC is not None else None,
    )
    group = process.pid
    watchdog = subprocess.Popen(
        [sys.executable, "-I", "-S", "-c", _WATCHDOG, str(group), *cleanup],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        try:
            _, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(group, process)
            raise InputError(f"{what} did not answer within {timeout:g} s; it was stopped") from None
    finally:
        _kill_group(group, process)  # on any exit path; after success, anything the child left in its group
        with contextlib.suppress(OSError):
            assert watchdog.stdin is not None
            watchdog.stdin.write(b"done")
            watchdog.stdin.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            watchdog.wait(timeout=5)
    if process.returncode != 0:
        raise InputError(failure(what, process.returncode, err))
    return err


def failure(what: str, returncode: int, err: bytes) -> str:
    """One line saying how a child failed: the signal that stopped it, else the last line it wrote on stderr.

    A crashed program's stderr holds a native backtrace and a Python child's a traceback: the user gets
    one clear line (the last non-empty one, at most 200 characters), never the dump.
    """
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        return f"{what} stopped unexpectedly ({name}): it may have crashed on this workbook"
    lines = [line.strip() for line in err.decode(errors="replace").splitlines() if line.strip()]
    last = lines[-1] if lines else f"exit {returncode}"
    return f"{what} failed: {last if len(last) <= 200 else last[:199] + '…'}"
