"""Write every template workbook, both flavours: ``python -m xl_rollover.templates.build [DIR]`` (default: workbooks/).

The add-in flavour of each template in :mod:`xl_rollover.templates.specs` into DIR, the portable flavour
(plain formulas, no add-in, :mod:`xl_rollover.templates.portable`) into DIR/portable.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from . import portable
from .build import HERE, write
from .specs import TEMPLATES


def build_all(folder: Path = HERE) -> list[Path]:
    """Write every template into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = [write(t, folder) for t in TEMPLATES]

    return written + portable.build_all(folder / "portable")


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    target = Path(args[0]) if args else HERE
    for written in build_all(target):
        print(f"wrote {written}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
