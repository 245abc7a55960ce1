"""A screenshot of ``reglab serve`` in headless Chromium (Debian's ``chromium``).

Starts ``reglab serve`` on a free local port and Chromium with its DevTools port, opens the
page, waits until the app has drawn its first lab (textual-serve starts one app per page,
over a websocket, which Chromium's own ``--screenshot`` does not wait for) and saves a PNG.
Loopback only; every wait is bounded.

Run: ``make screenshot-web`` (or ``python tools/web_screenshot.py [OUT.png]``).
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

WIDTH, HEIGHT = 1280, 800
DRAW_SECONDS = 8  # the app's start, its first result and a frame or two to settle


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, seconds: float) -> bytes:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


async def capture(devtools: int, page_url: str, out: Path) -> None:
    import aiohttp

    targets = json.loads(wait_for(f"http://127.0.0.1:{devtools}/json/list", 20))
    target = next(t for t in targets if t["type"] == "page")
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(target["webSocketDebuggerUrl"], max_msg_size=0) as ws:
            ids = iter(range(1, 1000))

            async def call(method: str, **params) -> dict:
                number = next(ids)
                await ws.send_json({"id": number, "method": method, "params": params})
                async for message in ws:
                    reply = json.loads(message.data)
                    if reply.get("id") == number:
                        return reply.get("result", {})
                raise RuntimeError("DevTools closed")

            await call("Page.enable")
            await call("Page.navigate", url=page_url)
            await asyncio.sleep(DRAW_SECONDS)
            shot = await call("Page.captureScreenshot", format="png")
    out.write_bytes(base64.b64decode(shot["data"]))


def main(out: str = "screenshots/web-overfitting.png") -> int:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        print("no chromium: apt-get install chromium (make screenshot-web does)", file=sys.stderr)
        return 1
    port, devtools = free_port(), free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "reglab", "serve", "--port", str(port)], start_new_session=True
    )
    chrome = subprocess.Popen(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         f"--window-size={WIDTH},{HEIGHT}", f"--remote-debugging-port={devtools}",
         "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        page = f"http://127.0.0.1:{port}/"
        wait_for(page, 30)
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        asyncio.run(asyncio.wait_for(capture(devtools, page, Path(out)), 90))
    finally:
        for process in (chrome, server):
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=10)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:]))
