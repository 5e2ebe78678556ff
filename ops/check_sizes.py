"""The house's size rule, run by `make lint`: no module over 400 lines, no function over 60.

Migrations are generated and left out. Exits non-zero and names each offender.
"""

import ast
import sys
from pathlib import Path

MODULE_LINES, FUNCTION_LINES = 400, 60
ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "node_modules", "migrations", "staticfiles"}


def offences(path):
    source = path.read_text(encoding="utf-8")
    name = path.relative_to(ROOT)
    lines = source.count("\n")
    if lines > MODULE_LINES:
        yield f"{name}: {lines} lines (at most {MODULE_LINES})"
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = node.end_lineno - node.lineno + 1
            if length > FUNCTION_LINES:
                yield f"{name}:{node.lineno}: {node.name}() is {length} lines (at most {FUNCTION_LINES})"


def main():
    paths = (p for p in sorted(ROOT.rglob("*.py")) if not SKIP & set(p.relative_to(ROOT).parts))
    found = [offence for path in paths for offence in offences(path)]
    print("\n".join(found) or "Sizes: every module and function within the house rule.")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
