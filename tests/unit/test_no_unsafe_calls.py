"""reglab never unpickles, evals or execs anything: no pickle, eval, exec, torch.load (or
other loaders that unpickle) anywhere in the package, so a user's file can only be data."""

from __future__ import annotations

import ast
from pathlib import Path

import reglab

PACKAGE = Path(reglab.__file__).parent
FORBIDDEN_MODULES = {"pickle", "cPickle", "dill", "cloudpickle", "shelve", "marshal"}
FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__"}
FORBIDDEN_ATTRIBUTES = {("torch", "load"), ("joblib", "load"), ("pd", "read_pickle")}


def unsafe_uses(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] in FORBIDDEN_MODULES]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] in FORBIDDEN_MODULES:
                found.append(node.module)
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in FORBIDDEN_CALLS:
                found.append(f"{func.id}()")
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                if (func.value.id, func.attr) in FORBIDDEN_ATTRIBUTES:
                    found.append(f"{func.value.id}.{func.attr}()")
            if any(k.arg == "allow_pickle" for k in node.keywords):
                found.append("allow_pickle=")
    return found


def test_the_detector_finds_each_kind():
    sample = (
        "import pickle\nfrom dill import loads\neval('1')\nexec('x=1')\n"
        "torch.load(path)\npd.read_pickle(p)\nnp.load(p, allow_pickle=True)\nmodel.eval()\n"
    )
    assert unsafe_uses(sample) == [
        "pickle",
        "dill",
        "eval()",
        "exec()",
        "torch.load()",
        "pd.read_pickle()",
        "allow_pickle=",
    ]


def test_the_package_has_no_unsafe_call():
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 30  # the whole package is read
    found = {
        str(path.relative_to(PACKAGE)): uses
        for path in files
        if (uses := unsafe_uses(path.read_text(encoding="utf-8")))
    }
    assert found == {}
