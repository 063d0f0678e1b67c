#!/usr/bin/env python3
"""Build the plugin zip for the QGIS plugin repository (and "Install from ZIP").

    python3 scripts/package.py [--out DIR] [--with-tests] [--no-qm]
    python3 scripts/package.py --check dist/carbonsink-0.1.0.zip

The zip holds one folder, ``carbonsink/``: the plugin's sources, metadata,
icon, LICENSE, help, models, templates, the .ts sources and the .qm files
built from them with lrelease (run first unless --no-qm). Left out: version
control and tool folders (.git, .venv, .ci, caches), generated data
(example-data, demo-output, bench-data, dist, build, *.egg-info), Python and
numba caches (__pycache__, *.pyc, *.nbi, *.nbc), compiled binaries, editor
leftovers, the development files (Makefile, pyproject.toml, .gitignore) and,
unless --with-tests, tests/.

After writing the zip it runs the checks of the plugin repository's upload
validator (plugins.qgis.org): one top folder named like a Python package,
__init__.py and metadata.txt in it, the mandatory metadata, LICENSE, no
.pyc / __pycache__ / .git / __MACOSX entries, no ".." paths, size limit.
Exit status 1 when a check fails.
"""
import argparse
import configparser
import os
import re
import subprocess
import sys
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = "carbonsink"
MAX_SIZE = 25_000_000          # the repository's upload limit (bytes)
REQUIRED_METADATA = ("name", "description", "version", "qgisMinimumVersion", "author",
                     "email", "about", "tracker", "repository")
BOOLEAN_METADATA = ("experimental", "deprecated", "server", "hasProcessingProvider",
                    "supportsQt6")
URL_METADATA = ("tracker", "repository", "homepage")
EXCLUDED_DIRS = {".git", ".hg", ".svn", ".venv", "venv", ".ci", ".github", ".gitlab",
                 ".ruff_cache", ".pytest_cache", ".mypy_cache", ".qgis-settings", ".idea",
                 ".vscode", "__pycache__", "__MACOSX", "example-data", "demo-output",
                 "bench-data", "dist", "build", "node_modules", ".tox", ".eggs"}
EXCLUDED_FILES = {"Makefile", "pyproject.toml", "setup.cfg", "setup.py", ".gitignore",
                  ".gitattributes", ".pre-commit-config.yaml", ".DS_Store", "Thumbs.db"}
EXCLUDED_SUFFIXES = (".pyc", ".pyo", ".nbi", ".nbc", ".so", ".pyd", ".dll", ".dylib",
                     ".exe", ".o", ".a", ".lib", ".partial", ".orig", ".rej", ".swp", "~",
                     ".zip", ".tar.gz", ".whl")
BINARY_SUFFIXES = (".so", ".pyd", ".dll", ".dylib", ".exe", ".o", ".a", ".lib", ".pyc",
                   ".pyo", ".nbi", ".nbc")
FORBIDDEN_DIRS = ("__MACOSX", ".git", "__pycache__")
FIXED_TIME = (2020, 1, 1, 0, 0, 0)     # same bytes for the same files


def read_metadata(text):
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read_string(text)
    if not parser.has_section("general"):
        raise ValueError("metadata.txt has no [general] section")
    return dict(parser.items("general"))


def plugin_files(root=ROOT, with_tests=False):
    """Paths (relative, '/'-separated) of the files that go into the zip."""
    out = []
    for folder, dirs, files in os.walk(root):
        rel_dir = os.path.relpath(folder, root)
        keep = []
        for d in sorted(dirs):
            path = os.path.join(folder, d)
            if d in EXCLUDED_DIRS or d.endswith(".egg-info") or os.path.islink(path) or \
                    (d.startswith(".") and d not in (".",)) or \
                    (rel_dir == "." and d == "tests" and not with_tests) or \
                    (rel_dir == "." and d in ("scripts", "docs")):   # developer tools, docs
                continue
            keep.append(d)
        dirs[:] = keep
        for f in sorted(files):
            path = os.path.join(folder, f)
            if f in EXCLUDED_FILES or f.startswith(".") or f.endswith(EXCLUDED_SUFFIXES) or \
                    os.path.islink(path) or not os.path.isfile(path):
                continue
            out.append(os.path.normpath(os.path.join(rel_dir, f)).replace(os.sep, "/"))
    return sorted(out)


def build_qm():
    """Compile i18n/*.ts with lrelease (scripts/i18n.py release)."""
    script = os.path.join(ROOT, "scripts", "i18n.py")
    r = subprocess.run([sys.executable, script, "release"], capture_output=True, text=True)
    if r.returncode:
        raise SystemExit("building the .qm files failed:\n" + r.stdout + r.stderr)


def build(out_dir, with_tests=False, qm=True, root=ROOT):
    with open(os.path.join(root, "metadata.txt"), encoding="utf-8") as f:
        meta = read_metadata(f.read())
    if qm:
        build_qm()
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, f"{PACKAGE}-{meta['version']}.zip")
    tmp = path + ".partial"
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for rel in plugin_files(root, with_tests):
            info = zipfile.ZipInfo(f"{PACKAGE}/{rel}", FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            mode = 0o755 if os.access(os.path.join(root, rel), os.X_OK) else 0o644
            info.external_attr = (0o100000 | mode) << 16
            with open(os.path.join(root, rel), "rb") as f:
                z.writestr(info, f.read())
    os.replace(tmp, path)
    return path


def validate(path):
    """The repository validator's checks; a list of problems (empty = ok)."""
    problems = []
    if os.path.getsize(path) > MAX_SIZE:
        problems.append(f"larger than {MAX_SIZE} bytes")
    try:
        z = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        return ["not a zip file"]
    with z:
        names = z.namelist()
        for name in names:
            parts = name.split("/")
            if ".." in name or name.startswith("/"):
                problems.append(f"path information in {name}")
            if ".pyc" in name:
                problems.append(f".pyc file: {name}")
            for d in FORBIDDEN_DIRS:
                if d in parts:
                    problems.append(f"forbidden folder {d}: {name}")
            if name.endswith(BINARY_SUFFIXES):
                problems.append(f"binary or cache file: {name}")
        bad = z.testzip()
        if bad:
            problems.append(f"bad zip entry {bad}")
        tops = {n.split("/")[0] for n in names}
        if len(tops) != 1:
            problems.append(f"several top folders: {sorted(tops)}")
        top = names[0].split("/")[0] if names else ""
        if not re.match(r"^[A-Za-z][A-Za-z0-9-_]+$", top):
            problems.append(f"bad top folder name {top!r}")
        for needed in ("__init__.py", "metadata.txt", "LICENSE"):
            if f"{top}/{needed}" not in names:
                problems.append(f"no {top}/{needed}")
        if f"{top}/metadata.txt" in names:
            try:
                meta = read_metadata(z.read(f"{top}/metadata.txt").decode("utf-8"))
            except (ValueError, configparser.Error, UnicodeDecodeError) as exc:
                problems.append(f"metadata.txt: {exc}")
                meta = {}
            for key in REQUIRED_METADATA:
                if not meta.get(key, "").strip():
                    problems.append(f"metadata.txt: no {key}")
            for key in BOOLEAN_METADATA:
                if key in meta and meta[key].strip().lower() not in ("true", "false", "yes",
                                                                     "no", "1", "0"):
                    problems.append(f"metadata.txt: {key} is not a boolean: {meta[key]!r}")
            for key in URL_METADATA:
                url = meta.get(key, "").strip()
                if url and not re.match(r"^https?://[^/\s]+", url):
                    problems.append(f"metadata.txt: {key} is not a URL: {url!r}")
            if "/" in meta.get("author", ""):
                problems.append("metadata.txt: author contains '/'")
            icon = meta.get("icon", "").strip()
            if icon and f"{top}/{icon.lstrip('./')}" not in names:
                problems.append(f"metadata.txt: icon {icon} is not in the zip")
            if not re.match(r"^\d+\.\d+(\.\d+)?$", meta.get("qgisMinimumVersion", "")):
                problems.append("metadata.txt: qgisMinimumVersion is not a version")
    return problems


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "dist"), help="output folder")
    ap.add_argument("--with-tests", action="store_true", help="include tests/")
    ap.add_argument("--no-qm", action="store_true", help="do not run lrelease first")
    ap.add_argument("--check", metavar="ZIP", help="only validate an existing zip")
    args = ap.parse_args(argv)
    path = args.check or build(args.out, args.with_tests, not args.no_qm)
    problems = validate(path)
    for p in problems:
        print(f"{path}: {p}", file=sys.stderr)
    if not problems:
        with zipfile.ZipFile(path) as z:
            n = len(z.namelist())
        print(f"{os.path.relpath(path)}: {n} files, {os.path.getsize(path) // 1024} KiB, "
              "passes the plugin repository's checks")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
