"""``reglab serve``: the same app in a browser, through textual-serve.

Each browser tab that opens the page starts its own ``python -m reglab`` session behind
it, so everything the app does in a terminal it does there. textual-serve is an optional
part: ``pip install 'reglab[serve]'`` (``make run`` and ``make test`` install it).
"""

from __future__ import annotations

import shlex
import sys

from reglab.core.errors import ReglabError

SERVE_MISSING = "textual-serve is not installed: pip install 'reglab[serve]'"


def serve(host: str, port: int, public_url: str | None = None) -> int:
    """Serve the app on ``host:port`` until interrupted."""
    if not 0 < port < 65536:
        raise ReglabError(f"--port {port}: a port is 1 to 65535")
    try:
        from textual_serve.server import Server
    except ImportError:
        raise ReglabError(SERVE_MISSING) from None
    command = shlex.join([sys.executable, "-m", "reglab"])
    server = Server(command, host=host, port=port, title="reglab", public_url=public_url)
    print(f"reglab: serving on http://{host}:{port}/ (ctrl+c stops)", file=sys.stderr, flush=True)
    try:
        server.serve()
    except OSError as error:  # the address is taken, or not this machine's
        raise ReglabError(f"cannot listen on {host}:{port} ({error.strerror or error})") from None
    return 0
