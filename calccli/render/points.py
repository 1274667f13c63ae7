"""``--points``: the derivative at every point of a file, written as CSV or as NDJSON.

CSV (text and table formats): a header of the variables then the derivative's entries, one row per
point, floats in the shortest form that reads back exactly (``repr``), non-finite values as
``nan``, ``inf``, ``-inf``.  NDJSON (``--json``): one object per point, each with its ``schema``
(``calccli.point/1``) as every calccli JSON object has, the variables and the entries as keys,
non-finite values as SymPy's strings (``"nan"``, ``"oo"``, ``"-oo"``).  Written with NumPy, column by
column: a million rows take about a second.
"""

from __future__ import annotations

import json

import numpy as np

from calccli.results.points import PointValues


def _column(values: np.ndarray, nan: str, inf: str, ninf: str) -> list[str]:
    """Each float by ``repr`` (shortest exact), non-finite ones spelled as given."""
    out = [repr(v) for v in values.tolist()]
    if not np.isfinite(values).all():
        for i in np.flatnonzero(~np.isfinite(values)).tolist():
            v = values[i]
            out[i] = nan if np.isnan(v) else (inf if v > 0 else ninf)
    return out


def _rows(r: PointValues, nan: str, inf: str, ninf: str) -> list[list[str]]:
    columns = [_column(r.inputs[:, j], nan, inf, ninf) for j in range(r.inputs.shape[1])]
    columns += [_column(r.outputs[:, j], nan, inf, ninf) for j in range(r.outputs.shape[1])]
    return [list(row) for row in zip(*columns, strict=True)] if columns else []


def csv(r: PointValues) -> str:
    """The table as CSV.

    >>> import numpy as np
    >>> r = PointValues("grad", ("x",), ("df/dx",), np.array([[1.0], [0.5]]), np.array([[2.0], [np.inf]]), ("2*x",), (1,))
    >>> print(csv(r), end="")
    x,df/dx
    1.0,2.0
    0.5,inf
    """
    header = ",".join((*r.names, *(_quoted(label) for label in r.labels)))
    return header + "\n" + "".join(",".join(row) + "\n" for row in _rows(r, "nan", "inf", "-inf"))


def _quoted(label: str) -> str:
    return f'"{label}"' if "," in label else label  # J[1,2] holds a comma


def ndjson(r: PointValues) -> str:
    """One JSON object per point: ``{"schema": "calccli.point/1", "x": 1.0, "df/dx": 2.0}``."""
    keys = [json.dumps(k) for k in (*r.names, *r.labels)]
    head = '{"schema": "calccli.point/1", '
    lines = []
    for row in _rows(r, '"nan"', '"oo"', '"-oo"'):
        lines.append(head + ", ".join(f"{k}: {v}" for k, v in zip(keys, row, strict=True)) + "}\n")
    return "".join(lines)


__all__ = ["csv", "ndjson"]
