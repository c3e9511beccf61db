"""Write a new workbook whole or not at all, never through a planted link and never over the input.

The bytes go to a private temporary file created in the target's folder with an unpredictable name,
exclusively (``O_CREAT | O_EXCL``: a symlink or file planted at that name is never followed or
reused; :func:`tempfile.mkstemp`), then are flushed to disk and renamed to the target only when
complete. Without ``overwrite`` the rename is a hard link, which fails if the target appeared in the
meantime, so two runs never replace each other's file. The target must not be the input (same device
and inode, which also catches hard links and symlinks to it), a folder or a special file, and its
suffix must match what the workbook is: a workbook with a VBA project (macros) is ``.xlsm``, any
other ``.xlsx`` (Excel refuses to open a file whose extension does not match its content).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from xl_rollover.core.errors import InputError


def check_target(output: Path, source: Path, overwrite: bool, macro_enabled: bool) -> None:
    """Refuse a target calc must not write (see the module docstring); nothing is written here."""
    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"{output}: the folder {folder} does not exist")
    if output.is_dir():
        raise InputError(f"{output} is a folder; give the new workbook's file name (e.g. {output / 'out.xlsx'})")
    suffix = output.suffix.lower()
    if macro_enabled and suffix != ".xlsm":
        raise InputError(
            f"{output}: {source.name} holds a VBA project (macros); name the new workbook .xlsm so it keeps them"
        )
    if not macro_enabled and suffix != ".xlsx":
        raise InputError(f"{output}: name the new workbook .xlsx (what {source.name} is)")
    try:
        here = os.lstat(output)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise InputError(f"{output}: cannot be checked ({exc.strerror})") from None
    with contextlib.suppress(OSError):
        if os.path.samestat(os.stat(output), os.stat(source)) or os.path.samestat(here, os.stat(source)):
            raise InputError(f"{output} is the input workbook (the same file); the input is never modified")
    if stat.S_ISDIR(here.st_mode) or output.is_dir():
        raise InputError(f"{output} is a folder; give the new workbook's file name (e.g. {output / 'out.xlsx'})")
    if not (stat.S_ISREG(here.st_mode) or stat.S_ISLNK(here.st_mode)):
        raise InputError(f"{output} is not a regular file (a device, pipe or socket); refused")
    if not overwrite:
        raise InputError(f"{output} exists; choose another name or pass --overwrite")


def write(output: Path, data: bytes, source: Path, overwrite: bool, macro_enabled: bool) -> Path:
    """Write ``data`` to ``output`` through a private temporary file (module docstring); return ``output``."""
    check_target(output, source, overwrite, macro_enabled)
    folder = output.parent if str(output.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{output.name[:80]}.", suffix=".part")
    except OSError as exc:
        raise InputError(f"{output}: cannot write in {folder} ({exc.strerror})") from None
    try:
        mask = os.umask(0)
        os.umask(mask)
        os.fchmod(handle, 0o666 & ~mask)  # what an ordinary new file gets; mkstemp makes it 0600
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if overwrite:
            check_target(output, source, overwrite, macro_enabled)
            os.replace(temporary, output)
        else:
            try:
                os.link(temporary, output)  # fails if the target appeared meanwhile: never replaced
            except FileExistsError:
                raise InputError(f"{output} exists; choose another name or pass --overwrite") from None
            except OSError as exc:
                if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
                    raise
                check_target(output, source, overwrite, macro_enabled)  # a file system without hard links
                os.replace(temporary, output)
            else:
                os.unlink(temporary)
    except InputError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise InputError(f"{output}: could not be written ({exc.strerror or exc}); nothing was written") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return output
