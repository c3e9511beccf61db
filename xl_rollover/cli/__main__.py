"""``python -m xl_rollover.cli``: the same as ``xl-rollover``."""

from xl_rollover.cli.main import main

raise SystemExit(main())
