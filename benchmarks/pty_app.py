"""The real app as a subprocess under a pseudo-terminal, for the quit test and its benchmark."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time

# Jobs that run for many seconds, far longer than any exit should take.
LONG_JOBS = {
    "dropout training": ["dropout", "max_epochs=2000", "patience=0"],
    "L1 classification curve": ["classification", "penalty=l1", "dataset=digits"],
    "bias-variance, large rounds": [
        "bias-variance",
        "rounds=5000",
        "model=knn",
        "n_train=5000",
    ],
    "grid mode": ["classification", "grid=true", "dataset=digits"],
}
QUIT_KEYS = {"q": b"q", "ctrl+c": b"\x03"}
# The status line of a running job (a training says how to stop it early instead).
RUNNING = (b"x: cancel", b"stop early")


def start_app(lab: str, settings: list[str]) -> tuple[int, int]:
    """Start ``reglab app LAB --set ...`` on a 120x40 pty; its pid and the pty's fd."""
    argv = [sys.executable, "-m", "reglab", "app", lab]
    for setting in settings:
        argv += ["--set", setting]
    pid, fd = pty.fork()
    if pid == 0:  # the child: a session of its own, the pty as its terminal
        os.environ["TERM"] = "xterm-256color"
        os.execv(sys.executable, argv)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    return pid, fd


def read_until(fd: int, markers: tuple[bytes, ...], timeout: float) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while not any(marker in seen for marker in markers):
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"no {markers} on screen in {timeout} s: {seen[-300:]!r}")
        if select.select([fd], [], [], left)[0]:
            seen += os.read(fd, 65536)
    return seen


def wait_for_exit(pid: int, fd: int, timeout: float) -> float | None:
    """Seconds until ``pid`` exits (draining its output meanwhile), or None on timeout."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            return time.monotonic() - started
        if select.select([fd], [], [], 0.01)[0]:
            try:
                os.read(fd, 65536)
            except OSError:  # the pty closes as the child ends
                pass
    return None


def quit_during_job(
    lab: str, settings: list[str], key: bytes, timeout: float
) -> tuple[float | None, int]:
    """Start a long job and press ``key`` well into it.

    Returns the seconds to exit (None: still running after ``timeout``) and the app's
    pid, which the caller must ``kill`` once done with it.
    """
    pid, fd = start_app(lab, settings)
    try:
        read_until(fd, RUNNING, timeout=60)
        time.sleep(0.5)  # well into it
        os.write(fd, key)
        return wait_for_exit(pid, fd, timeout), pid
    except BaseException:
        kill(pid)
        raise
    finally:
        os.close(fd)


def kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass
