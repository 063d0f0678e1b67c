"""The user's CSV tables and the CSV outputs: read in UTF-8 or GBK (Excel on
Chinese Windows), ',' or ';' separated, with the file named in every error;
written atomically (into the run's output set), NaN and None as empty
cells."""
import csv
import math
import os

import numpy as np

from .errors import N_
from .io.raster import StackError


def read_text_table(path, what):
    """The text of a user's CSV table: UTF-8 (with or without BOM), else
    GB18030 (a superset of GBK, as Excel on Chinese Windows saves CSV).
    Raises StackError naming the file."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as exc:
        raise StackError(N_("cannot read the {} {}: {}"), what, path, exc.strerror) from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise StackError(N_("cannot read the {} {}: it is neither UTF-8 nor GBK/GB18030 text; save "
                        "it as CSV UTF-8"), what, path)



def write_csv(path, rows, fields=None):
    """Write dict rows to ``path`` (atomically); NaN and None as empty cells."""
    if fields is None:
        fields = []
        for r in rows:
            fields += [k for k in r if k not in fields]
    from .io.outputs import open_text
    with open_text(path, newline="") as f:
        w = csv.writer(f)
        w.writerow(fields)
        for r in rows:
            w.writerow([_cell(r.get(k)) for k in fields])
    return path


def _cell(v):
    if v is None:
        return ""
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float):
        return "" if not math.isfinite(v) else repr(v)
    return v


# ------------------------------------------------------------ user tables

def read_table(path, required, what):
    """Rows (dicts, lower-case keys, stripped values) of a CSV table with a
    header; ',' or ';' separated; lines starting with # are comments.
    Raises StackError naming the missing columns."""
    lines = [ln for ln in read_text_table(path, what).splitlines()
             if ln.strip() and not ln.lstrip().startswith("#")]
    if not lines:
        raise StackError(N_("the {} {} is empty"), what, path)
    delim = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.reader(lines, delimiter=delim)
    header = [h.strip().lower() for h in next(reader)]
    missing = [c for c in required if c not in header]
    if missing:
        raise StackError(N_("the {} {} has no column {} (its columns: {})"),
                         what, os.path.basename(path), ', '.join(missing), ', '.join(header))
    rows = []
    for k, rec in enumerate(reader, start=2):
        row = {h: (rec[i].strip() if i < len(rec) else "") for i, h in enumerate(header)}
        row["_line"] = k
        rows.append(row)
    return rows


def _number(text, what, line, path):
    try:
        v = float(text)
    except ValueError:
        raise StackError(N_("{} line {}: {} '{}' is not a number"),
                         os.path.basename(path), line, what, text) from None
    if not math.isfinite(v):
        raise StackError(N_("{} line {}: {} is not finite"), os.path.basename(path), line, what)
    return v
