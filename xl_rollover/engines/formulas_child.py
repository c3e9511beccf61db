"""The ``formulas`` engine's side of :func:`xl_rollover.engines.recalc.calculate`, run as a child process with a time limit.

``python -m xl_rollover.engines.formulas_child PREPARED ANSWER``: evaluates the prepared copy and writes every formula
cell's value and the functions' messages to ``ANSWER`` as JSON (or ``{"error": ...}``), so a workbook
that takes too long or too much can be stopped from outside without harming ``calc``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from xl_rollover.core.errors import InputError


def main(argv: list[str]) -> int:
    prepared, answer = Path(argv[0]), Path(argv[1])
    messages: list[str] = []
    try:
        from xl_rollover.engines.recalc import evaluate, tag_errors, uncomputed

        values = evaluate(prepared, messages)
        report: dict[str, object] = {
            "values": tag_errors(values),  # errors marked: JSON would carry them as text
            "messages": messages,
            "circular": uncomputed(prepared, values),
        }
    except InputError as exc:
        report = {"error": str(exc)}
    except RecursionError:
        report = {"error": "the formulas engine ran out of stack on this workbook (formulas nested too deep)"}
    except MemoryError:
        report = {"error": "the formulas engine ran out of memory on this workbook"}
    answer.write_text(json.dumps(report, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
