"""``reglab serve``: the page comes up on a free local port, and the server stops with its
process group. Loopback only; every wait is bounded."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

pytest.importorskip("textual_serve", reason="textual-serve is not installed (reglab[serve])")

from reglab.cli import main  # noqa: E402

START_SECONDS = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str, deadline: float) -> str:
    """The page's text, asked for every 0.2 s until it answers or the deadline passes."""
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                assert response.status == 200
                return response.read().decode()
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_serve_answers_with_the_app_page_on_a_free_local_port():
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "reglab", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: stopped whole below
    )
    try:
        page = fetch(f"http://127.0.0.1:{port}/", time.monotonic() + START_SECONDS)
        assert "<div>reglab</div>" in page and "js/textual.js" in page  # its name, its client
        assert f"ws://127.0.0.1:{port}/ws" in page  # the terminal's socket, on this server
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)


def test_a_bad_port_or_a_taken_one_is_one_line(capsys):
    assert main(["serve", "--port", "70000"]) == 2
    assert "1 to 65535" in capsys.readouterr().err
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        assert main(["serve", "--port", str(taken.getsockname()[1])]) == 2
    error = capsys.readouterr().err.splitlines()
    assert error[-1].startswith("reglab: error: cannot listen on 127.0.0.1:")
