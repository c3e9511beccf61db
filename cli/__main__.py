"""``python -m cli``: the same as ``xl-rollover``."""

from cli.main import main

raise SystemExit(main())
