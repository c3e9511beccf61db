// Run a harness inside Pyodide under Node, offline, as xlwings Lite runs main.py in Excel.
// Usage: node run_lite.mjs XLWINGS_DIR LITE_DIR CALLS_JSON [HARNESS [EXTRA_DIR]]
// HARNESS defaults to harness.py (beside this file); EXTRA_DIR is mounted at /mnt/extra.
// Prints one JSON document on stdout (the harness's answer); exits non-zero on any failure.
import { loadPyodide } from "pyodide";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const [xlwingsDir, liteDir, callsFile, harness = "harness.py", extraDir] = process.argv.slice(2);
const here = dirname(fileURLToPath(import.meta.url));
const py = await loadPyodide({ packages: [], stdout: (s) => process.stderr.write(s + "\n") });
const mounts = [[xlwingsDir, "/mnt/xlwings"], [liteDir, "/mnt/lite"]];
if (extraDir) mounts.push([extraDir, "/mnt/extra"]);
for (const [dir, mount] of mounts) {
  py.FS.mkdirTree(mount);
  py.FS.mount(py.FS.filesystems.NODEFS, { root: dir }, mount);
}
py.globals.set("CALLS_JSON", readFileSync(callsFile, "utf8"));
const answer = await py.runPythonAsync(readFileSync(join(here, harness), "utf8"));
process.stdout.write(answer);
