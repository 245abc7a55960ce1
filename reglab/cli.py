"""Command line: ``reglab`` (the app), ``reglab labs``, ``reglab run LAB``, ``reglab advise``,
``reglab replay``, ``reglab serve``, ``reglab snapshot``.

``run`` never imports textual (nor torch, unless the lab itself needs it): scripts and CI
use it as a plain function call that prints a table or JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reglab.core.advise import AdviseParams
from reglab.core.errors import Cancelled, ReglabError
from reglab.core.registry import LABS, Lab
from reglab.core.spec import (
    LabParams,
    check_consistent,
    format_value,
    ignored,
    specs,
    with_values,
)

EXIT_USAGE = 2
EXIT_INTERNAL = 1


def _param_table(params: type[LabParams]) -> str:
    defaults = params()
    lines = ["parameters (--set key=value):"]
    for name, spec in specs(params).items():
        default = format_value(getattr(defaults, name)) or '""'
        lines.append(f"  {name:<18} default {default:<14} {spec.help}")
        lines.append(f"  {'':<18} allowed: {spec.allowed()}")
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reglab", description="A terminal lab for learning and tuning regularization."
    )
    # The app's own options (``reglab --lab penalties --set alpha=0.1``); distinct dests, so
    # a command's options of the same name never shadow them.
    parser.add_argument("--lab", dest="start_lab", choices=list(LABS), help="open on this lab")
    add_set(parser, "with --lab: start that lab with this parameter", dest="start_set")
    parser.add_argument(
        "--reset", action="store_true", help="start from the defaults, not the saved settings"
    )
    parser.add_argument(
        "--record", metavar="FILE", help="log every change and action to a new JSON-lines FILE"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    app = commands.add_parser("app", help="start the app (the default)")
    app.add_argument("lab", nargs="?", choices=list(LABS), help="open on this lab's tab")
    add_set(app, "start that lab with this parameter")
    commands.add_parser("labs", help="list the labs")
    replay = commands.add_parser("replay", help="play a recorded session (reglab --record) back")
    replay.add_argument("session", metavar="FILE", help="a session recorded with --record")
    replay.add_argument(
        "--speed", type=float, default=1.0, help="times the recorded pace (default 1)"
    )
    replay.add_argument(
        "--headless", action="store_true", help="no app: run each step, print its key numbers"
    )
    replay.add_argument("--json", action="store_true", help="with --headless: a JSON line a step")
    run = commands.add_parser(
        "run",
        help="run one lab headless and print its result",
        usage="reglab run LAB [--set KEY=VALUE ...] [--json] | reglab run --from FILE [...]",
    )
    # Re-running a saved result: its own options (distinct dests, so a LAB's never shadow them).
    run.add_argument(
        "--from",
        dest="from_file",
        metavar="FILE",
        help="re-run the lab and parameters of an exported result or `run --json` output "
        "(- for stdin)",
    )
    add_set(run, "with --from: change a parameter", dest="from_set")
    run.add_argument("--json", dest="from_json", action="store_true", help="with --from: JSON")
    run.add_argument(
        "--pin", type=int, metavar="N", help="with --from: re-run the file's pinned run N instead"
    )
    labs = run.add_subparsers(dest="lab", metavar="LAB")
    for lab in LABS.values():
        _add_headless(labs, lab.name, lab.summary, lab.params)
    _add_headless(
        commands, "advise", "measure the data and advise ridge, lasso or elastic net", AdviseParams
    )
    script = commands.add_parser(
        "script", help="write a standalone Python script that reproduces a lab's result"
    )
    script.add_argument("script_lab", metavar="LAB", choices=list(LABS), help="the lab")
    add_set(script, "change a parameter, as for run", dest="script_set")
    script.add_argument("-o", "--output", metavar="FILE", help="write it here (default: stdout)")
    script.add_argument("--force", action="store_true", help="replace FILE if it exists")
    serve = commands.add_parser("serve", help="serve the app in a browser (textual-serve)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (8000)")
    serve.add_argument(
        "--public-url", help="the URL browsers reach it by, when not http://HOST:PORT"
    )
    snapshot = commands.add_parser("snapshot", help="write an SVG of every lab to screenshots/")
    snapshot.add_argument("--out", default="screenshots", help="output folder")
    snapshot.add_argument(
        "--size",
        action="append",
        metavar="WxH",
        help="terminal size (repeatable; default 120x40 and 80x24)",
    )
    snapshot.add_argument(
        "--force", action="store_true", help="overwrite existing files instead of adding -1, -2"
    )
    return parser


def add_set(parser: argparse.ArgumentParser, what: str, dest: str = "set") -> None:
    """``--set KEY=VALUE``, repeatable. Distinct ``dest``s where a command's own ``--set``
    sits under another parser's: argparse lets a subcommand's default shadow its parent's."""
    parser.add_argument(
        "--set",
        dest=dest,
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help=f"{what} (repeatable)",
    )


def _add_headless(commands, name: str, summary: str, params: type[LabParams]) -> None:
    """A headless command: ``--set KEY=VALUE`` (repeatable), ``--json``, and every parameter
    with its default and range in ``--help``."""
    sub = commands.add_parser(
        name,
        help=summary,
        epilog=_param_table(params),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_set(sub, "change a parameter")
    sub.add_argument("--json", action="store_true", help="print one JSON object")


def parse_settings(lab: Lab, settings: Sequence[str]):
    """``["alpha=1", ...]`` -> validated params; raises ReglabError with one clear line."""
    return _settings(lab.params(), settings)


def _settings(defaults: LabParams, settings: Sequence[str]) -> Any:
    updates: dict[str, str] = {}
    for setting in settings:
        key, sep, value = setting.partition("=")
        if not sep or not key.strip():
            raise ReglabError(f"--set {setting!r}: expected KEY=VALUE")
        updates[key.strip()] = value
    params = with_values(defaults, updates)
    check_consistent(params, list(updates))
    return params


def saved_run(path: str, pin: int | None = None) -> tuple[Lab, LabParams]:
    """The lab and parameters of an exported result (or ``run --json`` output) at ``path``,
    or of its pinned run number ``pin``."""
    from reglab.core.spec import params_from_json

    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
        payload = json.loads(text)
    except OSError as error:
        raise ReglabError(f"--from {path}: cannot read it ({error.strerror or error})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ReglabError(f"--from {path}: not a JSON result ({error})") from None
    if pin is not None:
        pins = payload.get("pins", []) if isinstance(payload, dict) else []
        if not 1 <= pin <= len(pins):
            raise ReglabError(f"--pin {pin}: {path} has {len(pins)} pinned run(s)")
        payload = pins[pin - 1]
    if not isinstance(payload, dict) or not isinstance(payload.get("params"), dict):
        raise ReglabError(f"--from {path}: not a reglab result (no lab and params)")
    if payload.get("lab") not in LABS:
        raise ReglabError(f"--from {path}: unknown lab {payload.get('lab')!r}")
    lab = LABS[payload["lab"]]
    return lab, params_from_json(lab.params(), payload["params"])


def run_lab(
    lab: Lab, settings: Sequence[str], as_json: bool, start: LabParams | None = None
) -> int:
    """Run ``lab`` from its defaults (or ``start``) with ``settings`` and print the result."""
    from reglab.cli_progress import stderr_progress
    from reglab.core.notes import warnings_as_notes

    params = _settings(start or lab.params(), settings)
    warned: list[str] = []
    with warnings_as_notes(warned), stderr_progress() as progress:
        payload = lab.run(params, progress=progress).to_json()
    names = [setting.partition("=")[0].strip() for setting in settings]
    payload["notes"] = [*payload["notes"], *warned, *ignored(params, names)]
    print(json.dumps(payload, allow_nan=False) if as_json else format_table(payload))
    return 0


def run_command(args: argparse.Namespace) -> int:
    """``reglab run LAB ...``, or ``reglab run --from FILE ...``."""
    if args.from_file is None:
        if args.pin is not None:
            raise ReglabError("--pin N needs --from FILE")
        if args.lab is None:
            raise ReglabError("run needs a LAB (reglab labs lists them) or --from FILE")
        return run_lab(LABS[args.lab], args.set, args.json)
    lab, params = saved_run(args.from_file, args.pin)
    if args.lab is not None:
        raise ReglabError(f"--from names its lab ({lab.name}); give no LAB with it")
    return run_lab(lab, args.from_set, args.from_json, start=params)


def write_script(args: argparse.Namespace) -> int:
    """``reglab script LAB [--set ...] [-o FILE] [--force]``."""
    from reglab.core.files import write_text_atomic

    lab = LABS[args.script_lab]
    text = lab.script_text(parse_settings(lab, args.script_set))
    if args.output is None:
        print(text, end="")
        return 0
    path = Path(args.output)
    if path.exists() and not args.force:
        raise ReglabError(f"-o {path}: the file exists; --force replaces it")
    write_text_atomic(path, text, force=True)
    print(f"reglab: wrote {path} (run it: python {path})", file=sys.stderr)
    return 0


def run_advice(settings: Sequence[str], as_json: bool) -> int:
    from reglab.core.advise import advise
    from reglab.core.notes import warnings_as_notes

    params = _settings(AdviseParams(), settings)
    warned: list[str] = []
    with warnings_as_notes(warned):
        payload = advise(params).to_json()
    names = [setting.partition("=")[0].strip() for setting in settings]
    payload["notes"] = [*payload["notes"], *warned, *ignored(params, names)]
    print(json.dumps(payload, allow_nan=False) if as_json else format_advice(payload))
    return 0


def format_advice(payload: dict[str, Any]) -> str:
    """The advice as text: the choice and its reasons, the candidates, the measurements."""
    params = " ".join(f"{k}={format_value(v)}" for k, v in payload["params"].items() if v != "")
    lines = [f"advice: {payload['recommendation']}", f"params: {params}", "reasons:"]
    lines.extend(f"  - {reason}" for reason in payload["reasons"])
    lines.extend(_format_entry("candidates", payload["candidates"]))
    measured = payload["measurements"]
    scalars = {k: v for k, v in measured.items() if not isinstance(v, list | dict)}
    lines.append("measurements: " + " ".join(f"{k}={_short(v)}" for k, v in scalars.items()))
    lines.append(f"rule: {payload['rule']}")
    lines.extend(f"note: {note}" for note in payload["notes"])
    return "\n".join(lines)


def format_table(payload: dict[str, Any]) -> str:
    """A readable summary: scalars in full, small tables row by row, long lists counted."""
    lines = [f"lab: {payload['lab']}"]
    params = " ".join(f"{k}={format_value(v)}" for k, v in payload["params"].items() if v != "")
    lines.append(f"params: {params}")
    for key, value in payload.items():
        if key in ("lab", "params", "notes"):
            continue
        lines.extend(_format_entry(key, value))
    lines.extend(f"note: {note}" for note in payload["notes"])
    return "\n".join(lines)


def _format_entry(key: str, value: Any) -> list[str]:
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        if len(value) > 30:
            return [f"{key}: {len(value)} rows (see --json)"]
        rows = [f"{key}:"]
        rows.extend("  " + "  ".join(f"{k}={_short(v)}" for k, v in row.items()) for row in value)
        return rows
    if isinstance(value, list | dict) and len(json.dumps(value)) > 100:
        size = f"{len(value)} values" if isinstance(value, list) else ", ".join(value)
        return [f"{key}: [{size}] (see --json)"]
    return [f"{key}: {_short(value)}"]


def _short(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, list):
        return "[" + ", ".join(_short(v) for v in value) + "]"
    return json.dumps(value) if isinstance(value, dict) else str(value)


def list_labs() -> int:
    for number, lab in enumerate(LABS.values(), start=1):
        print(f"{number}  {lab.name:<16} {lab.summary}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "labs":
            return list_labs()
        if args.command == "run":
            return run_command(args)
        if args.command == "advise":
            return run_advice(args.set, args.json)
        if args.command == "snapshot":
            from reglab.snapshot import write_snapshots

            return write_snapshots(args.out, args.size or ["120x40", "80x24"], args.force)
        if args.command == "script":
            return write_script(args)
        if args.command == "serve":
            from reglab.serve import serve

            return serve(args.host, args.port, args.public_url)
        if args.command == "replay":
            return replay_session(args)
        start_lab = getattr(args, "lab", None) or args.start_lab
        start_set = [*args.start_set, *getattr(args, "set", [])]
        if start_set and start_lab is None:
            raise ReglabError("--set needs a lab: reglab --lab LAB --set KEY=VALUE")
        start_params = parse_settings(LABS[start_lab], start_set) if start_lab else None
    except ReglabError as error:
        print(f"reglab: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except (KeyboardInterrupt, Cancelled):
        print("reglab: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (``reglab run ... | head``): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as error:  # noqa: BLE001 - a bug: one line here, the traceback in the log
        from reglab.errorlog import describe, log_internal_error

        path = log_internal_error(f"reglab {args.command}", error)
        print(f"reglab: internal error: {describe(error)} (traceback in {path})", file=sys.stderr)
        return EXIT_INTERNAL
    return start_app(args, start_lab, start_params)


def start_app(args: argparse.Namespace, start_lab: str | None, start_params) -> int:
    """The app, from the saved settings (unless --reset), recording if asked to."""
    from reglab import settings
    from reglab.app import ReglabApp
    from reglab.session import Recorder

    loaded = settings.Loaded(settings.Settings(), []) if args.reset else settings.load()
    try:
        first = start_lab or loaded.settings.lab or next(iter(LABS))
        recorder = Recorder(Path(args.record), first) if args.record else None
    except ReglabError as error:
        print(f"reglab: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    app = ReglabApp(
        start_lab=start_lab,
        start_params=start_params,
        settings=loaded,
        settings_path=settings.settings_file(),
        recorder=recorder,
    )
    app.run()
    return 0


def replay_session(args: argparse.Namespace) -> int:
    """``reglab replay FILE``: in the app at the recorded pace, or headless."""
    from reglab.session import Replay, read_session, replay_headless

    if not args.speed > 0:
        raise ReglabError(f"--speed {args.speed:g}: must be above 0")
    steps = read_session(Path(args.session))
    if args.headless:
        replay_headless(steps, sys.stdout, as_json=args.json)
        return 0
    from reglab.app import ReglabApp

    ReglabApp(start_lab=steps[0].lab, replay=Replay(steps, args.speed)).run()
    return 0
