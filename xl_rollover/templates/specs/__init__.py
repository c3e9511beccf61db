"""The six client templates as data (see :mod:`xl_rollover.templates.build`), one module each; example clients are fictional."""

from __future__ import annotations

from ..model import Template
from .backdoor import BACKDOOR
from .common import ACCOUNT_WORDS, NO_EXCEPTION
from .early_withdrawal import EARLY
from .in_service import IN_SERVICE
from .room import ROOM
from .roth_withdrawal import ROTH
from .separation import SEPARATION
from .variants import VARIANTS

__all__ = [
    "ACCOUNT_WORDS",
    "BACKDOOR",
    "EARLY",
    "IN_SERVICE",
    "NO_EXCEPTION",
    "ROOM",
    "ROTH",
    "SEPARATION",
    "TEMPLATES",
    "VARIANTS",
]

TEMPLATES: tuple[Template, ...] = (SEPARATION, IN_SERVICE, BACKDOOR, EARLY, ROTH, ROOM)
