"""Layering contracts: core never imports textual; the CLI's run path never imports torch."""

import subprocess
import sys

import pytest


def imported_after(code: str) -> set[str]:
    """Modules loaded by ``code`` in a fresh interpreter (this process has imported lots)."""
    probe = f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(done.stdout.split())


def all_core_modules() -> list[str]:
    import pkgutil

    import reglab.core

    found = pkgutil.walk_packages(reglab.core.__path__, "reglab.core.")
    return ["reglab.core", *(module.name for module in found)]


def light_modules() -> list[str]:
    """Modules the app imports before its first paint, and the CLI before it runs a lab."""
    params = [name for name in all_core_modules() if name.endswith(".params")]
    return ["reglab.core.spec", "reglab.core.registry", "reglab.cli", *params]


def test_no_core_module_imports_textual():
    modules = all_core_modules()
    loaded = imported_after("\n".join(f"import {m}" for m in modules))
    assert "textual" not in loaded
    assert set(modules) <= loaded


def test_cli_run_path_does_not_import_torch_or_textual():
    code = (
        "from reglab.cli import main\n"
        "import contextlib, io\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['run', 'penalties', '--json'])"
    )
    loaded = imported_after(code)
    assert "torch" not in loaded and "textual" not in loaded
    assert "sklearn" in loaded  # the probe really ran a lab


@pytest.mark.parametrize("module", light_modules())
def test_light_modules_import_no_scientific_stack(module):
    loaded = imported_after(f"import {module}")
    assert not {"sklearn", "torch", "textual"} & loaded


def test_app_module_defers_scientific_imports_until_after_first_paint():
    loaded = imported_after("import reglab.app")
    assert "textual" in loaded
    assert not {"sklearn", "torch"} & loaded
