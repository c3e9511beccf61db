"""Recalculate with LibreOffice Calc headless: fast on big sheets, the project's functions registered in it.

A dedicated, throw-away LibreOffice profile holds the files below. Their fixed code lives as real files in
:mod:`xl_rollover.engines.lo_addin` (read with ``importlib.resources``); what follows the registry (the
.idl interface, the add-in's one method per function and its wizard help, the Basic functions) is
generated here.

1. a Python Calc add-in (``org.xlrollover.Functions``; its interface ``XFunctions`` is declared in
   an .idl file generated from the functions' specs, which LibreOffice reads as is, and the component
   is registered through the profile's package registry). Calc calls an add-in with whole ranges
   and takes whole arrays back; every method goes through :mod:`xl_rollover.engines.office_bridge` to
   :mod:`xl_rollover.excel.functions` (copied, with the standard-library core, into the profile's Python path).
2. a Basic module with one function per worksheet function, named as ours, each calling the add-in's
   method: LibreOffice 7.4's .xlsx import resolves unknown names to Basic functions. The workbook
   LibreOffice loads is a copy whose cell formulas call the add-in by its full name instead
   (``ORG.XLROLLOVER.FUNCTIONS.NAME(...)``, which the import maps to the add-in: :func:`_addin_copy`),
   so Basic is left only for calls the copy does not rewrite (e.g. inside defined names).
3. a driver macro that LibreOffice runs on start: it loads the workbook (recalculation on load is
   off), points the array (whole-column) formulas that call our functions straight at the add-in
   (Basic's array copies cost more than the functions on a 10,000-row call; re-pointing a formula
   through the API costs about 1.2-1.5 ms, so single-cell formulas are rewritten in the file instead),
   recalculates every cell once, stores an .xlsx and quits, writing a status file with any error.

Nothing raises into LibreOffice (an uncaught Python exception in a bridge can hang the headless
process): errors come back as marked text (``office_bridge.ERROR_MARK``), read back as errors. The values of the formula cells are then written into
a copy of the original bytes (the same writer as the ``formulas`` engine), so the output keeps the
input's formulas and formatting exactly. LibreOffice runs through :mod:`xl_rollover.engines.child`: its own process
group, killed with all its children when it does not answer within the timeout or when ``calc`` stops
(SIGTERM, or a watchdog when ``calc`` itself is killed), its temporary files inside the throw-away folder.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import string
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path

from xl_rollover.core.errors import InputError
from xl_rollover.core.registry import FUNCTIONS as SPECS  # the add-in's interface: one method per entry

from . import child
from .lo_addin import SERVICE

#: The generated add-in component LibreOffice loads: the profile's package first on the path, the fixed
#: class from ``lo_addin/addin.py``, then the registry's part (wizard help, one method per function).
COMPONENT = """\"\"\"xl-rollover Calc add-in: the worksheet functions for Calc, arrays in and out (generated).\"\"\"

import sys

sys.path.insert(0, {pythonpath!r})

from xl_rollover.engines.lo_addin.addin import HELP, Functions, _matrix, g_ImplementationHelper  # noqa: E402,F401

HELP.update({help!r})

{methods}
"""


def _fixed(name: str) -> str:
    """One of the engine's fixed files (``lo_addin/``), as text."""
    return (resources.files("xl_rollover.engines.lo_addin") / name).read_text(encoding="utf-8")


def _filled(name: str, **values: str) -> str:
    """A fixed file with its ``$name`` placeholders filled."""
    return string.Template(_fixed(name)).substitute(values)


def _idl() -> str:
    """The add-in's interface: one method per worksheet function, every argument ``any``, 2-D results."""
    lines = ["module org { module xlrollover {", "    interface XFunctions: com::sun::star::uno::XInterface", "    {"]
    for name, spec in SPECS.items():
        args = ", ".join(f"[in] any a{i}" for i in range(len(spec.params)))  # IDL forbids some of our names
        lines.append(f"        sequence< sequence< any > > {name}({args});")
    return "\n".join([*lines, "    };", "}; };", ""])


def _addin(pythonpath: Path) -> str:
    """The add-in component's source: the class, the wizard help, one method per function."""
    methods = []
    for name, spec in SPECS.items():
        params = ", ".join(f"a{i}" for i in range(len(spec.params)))
        methods.append(
            f"def _{name}(self, {params}):\n    return _matrix({name!r}, ({params},))\n\n\nFunctions.{name} = _{name}\n"
        )
    help_ = {
        name: ((spec.call.__doc__ or "").strip().split("\n")[0], tuple((p.name, p.help) for p in spec.params))
        for name, spec in SPECS.items()
    }
    return COMPONENT.format(pythonpath=str(pythonpath), help=help_, methods="\n\n".join(methods))


def _basic_module() -> str:
    """Basic functions named as ours, each calling the add-in's method directly (no script provider)."""
    lines = [_filled("forward.bas", service=SERVICE)]
    for name, spec in SPECS.items():
        params = [f"a{i}" for i in range(len(spec.params))]
        lines.append(f"Function {name}({', '.join('Optional ' + p for p in params)}) As Variant")
        lines.append(f"    Dim v({len(params) - 1}) As Variant")
        for i, p in enumerate(params):
            lines.append(f'    If IsMissing({p}) Then v({i}) = "" Else v({i}) = {p}')
        args = ", ".join(f"v({i})" for i in range(len(params)))
        lines.append(f"    {name} = XLR_BACK(XLR_ADDIN().{name}({args}))")
        lines.append("End Function")
        lines.append("")
    body = "\n".join(lines).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return _filled("module.xba", body=body)


#: A call to one of our functions in formula text: its name (not a part of a longer name), then "(".
_CALL = re.compile(r"(?<![A-Za-z0-9_.])(" + "|".join(SPECS) + r")\s*\(", re.IGNORECASE)
#: Formula text in string literals and quoted sheet names: left as it is.
_QUOTED = re.compile(r"(\"(?:[^\"]|\"\")*\"|'(?:[^']|'')*')")


def _to_addin(formula: str) -> str:
    """A formula's calls to our functions as calls to the add-in (``ORG.XLROLLOVER.FUNCTIONS.NAME(``)."""
    prefix = SERVICE.upper() + "."
    parts = _QUOTED.split(formula)
    parts[::2] = [_CALL.sub(lambda m: prefix + m.group(1).upper() + "(", part) for part in parts[::2]]
    return "".join(parts)


def _addin_copy(source: Path, target: Path) -> None:
    """A copy of the workbook whose formulas call the add-in by its full name instead of the Basic functions.

    LibreOffice's .xlsx import reads ``ORG.XLROLLOVER.FUNCTIONS.NAME(...)`` as a call to the add-in, so
    every cell runs with no Basic in between (Basic costs about 0.25 ms a call: 8.4 s against 3.4 s to
    calculate 20,000 single-cell calls). Only the text inside ``<f>`` of the sheet parts changes; a file
    that is not a zip is copied as it is (LibreOffice then says why it cannot open it).
    """
    from .safe_xlsx import rewrite_formulas

    try:
        rewrite_formulas(source, target, _to_addin)
    except zipfile.BadZipFile:
        shutil.copyfile(source, target)


def soffice() -> str:
    """The LibreOffice executable, or an error saying how to install it."""
    install = "Debian: apt-get install libreoffice-calc-nogui libreoffice-script-provider-python python3-uno"
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            program = Path(found).resolve().parent
            missing = [f for f in ("pythonscript.py", "pythonloader.py") if not (program / f).exists()]
            if (program / "soffice.bin").exists() and missing:
                raise InputError(
                    f"LibreOffice at {program} lacks its Python support ({', '.join(missing)}; {install}); "
                    "use --engine formulas"
                )
            return found
    raise InputError(f"LibreOffice is not installed ({install}); use --engine formulas")


def _run(
    command: list[str],
    timeout: float,
    what: str,
    folder: Path | None = None,
    env: Mapping[str, str] | None = None,
    also: Sequence[str] = (),
) -> None:
    """Run LibreOffice as a child that cannot outlive calc (:mod:`xl_rollover.engines.child`).

    ``folder``: the throw-away folder of this run; LibreOffice's own temporary files go inside it, and
    the watchdog removes it if calc is killed.
    """
    environment = dict(env or os.environ)
    cleanup: list[str] = list(also)
    if folder is not None:
        scratch = folder / "tmp"
        scratch.mkdir(exist_ok=True)
        environment["TMPDIR"] = str(scratch)
        cleanup.append(str(folder))
    child.run(command, timeout, f"LibreOffice ({what})", env=environment, cleanup=cleanup)


def _profile(folder: Path, binary: str, timeout: float, also: Sequence[str] = ()) -> str:
    """Create the dedicated profile; returns its -env:UserInstallation URL."""
    url = (folder / "profile").as_uri()
    _run(
        [binary, "--headless", "--terminate_after_init", f"-env:UserInstallation={url}"],
        timeout,
        "creating its profile",
        folder,
        also=also,
    )
    user = folder / "profile" / "user"
    (user / "registrymodifications.xcu").write_text(_fixed("registrymodifications.xcu"), encoding="utf-8")
    (user / "basic" / "Standard" / "Module1.xba").write_text(_basic_module(), encoding="utf-8")
    scripts = user / "Scripts" / "python"
    pythonpath = scripts / "pythonpath"
    pythonpath.mkdir(parents=True, exist_ok=True)
    (scripts / "xl_rollover_driver.py").write_text(_fixed("driver.py"), encoding="utf-8")
    # the core, the Excel layer and the engines (the bridge's imports); batch, the CLI and the templates stay out
    source = Path(str(resources.files("xl_rollover")))
    leave_out = shutil.ignore_patterns("__pycache__", "*.pyc", "batch", "cli", "templates")
    shutil.copytree(source, pythonpath / "xl_rollover", ignore=leave_out)
    # the add-in: its type from an .idl LibreOffice reads as is, its component through the profile's
    # package registry (written after the first start, which resets that registry)
    addin = folder / "addin"
    addin.mkdir()
    (addin / "xl_rollover.idl").write_text(_idl(), encoding="utf-8")
    (addin / "xl_rollover_addin.py").write_text(_addin(pythonpath), encoding="utf-8")
    (addin / "xl_rollover.components").write_text(
        _filled("xl_rollover.components", uri=(addin / "xl_rollover_addin.py").as_uri(), service=SERVICE),
        encoding="utf-8",
    )
    registry = user / "uno_packages/cache/registry/com.sun.star.comp.deployment.component.PackageRegistryBackend"
    registry.mkdir(parents=True, exist_ok=True)
    (registry / "unorc").write_text(
        _filled(
            "unorc",
            services=(addin / "xl_rollover.components").as_uri(),
            types=(addin / "xl_rollover.idl").as_uri(),
        ),
        encoding="utf-8",
    )
    return url


def recalculate(
    source: Path,
    timeout: float = 120.0,
    arrays: Sequence[tuple[str, str]] = (),
    circular: list[str] | None = None,
    also: Sequence[str] = (),
    unconverged: list[str] | None = None,
) -> bytes:
    """The workbook LibreOffice recalculated and stored (.xlsx bytes), from a copy of ``source``.

    ``arrays``: (sheet, range) of the array formulas that call our functions; they are evaluated
    through the add-in, every other formula as imported. ``circular`` receives the formula cells
    LibreOffice found on a circular reference (Err:522), ``unconverged`` those whose iteration did not
    converge (Err:523: IRR, RATE; Excel's #NUM!). ``also``: the caller's temporary folders,
    removed by the watchdog with LibreOffice's own if calc is killed.
    """
    binary = soffice()
    with tempfile.TemporaryDirectory(prefix="xlr-lo-") as tmp:
        folder = Path(tmp)
        url = _profile(folder, binary, timeout, also)
        work = folder / "in"
        work.mkdir()
        book = work / "book.xlsx"
        _addin_copy(source, book)
        result = folder / "out.xlsx"
        status = folder / "status.json"
        job = folder / "job.json"
        job.write_text(
            json.dumps(
                {
                    "input": book.as_uri(),
                    "output": result.as_uri(),
                    "status": str(status),
                    "arrays": [list(a) for a in arrays],
                    "functions": list(SPECS),
                    "service": SERVICE,
                }
            ),
            encoding="utf-8",
        )
        _run(
            [
                binary,
                "--headless",
                "--norestore",
                f"-env:UserInstallation={url}",
                "vnd.sun.star.script:xl_rollover_driver.py$run?language=Python&location=user",
            ],
            timeout,
            f"recalculating {source.name}",
            folder,
            env={**os.environ, "XLR_JOB": str(job)},
            also=also,
        )
        report = json.loads(status.read_text(encoding="utf-8")) if status.exists() else {}
        if not report.get("ok"):
            reason = (
                report.get("error") or "it stopped without a report (is libreoffice-script-provider-python installed?)"
            )
            raise InputError(f"LibreOffice could not recalculate {source.name}: {reason}")
        if not result.exists():
            raise InputError(f"LibreOffice produced no workbook for {source.name}")
        if circular is not None:
            circular.extend(report.get("circular") or [])
        if unconverged is not None:
            unconverged.extend(report.get("unconverged") or [])
        return result.read_bytes()
