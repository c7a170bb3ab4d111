"""Set operations on large integer arrays, by sorting.

numpy 2.x's ``np.unique`` takes a hash-table path for integers that is ~70x slower than sorting on arrays of
millions of pair codes (5.4 s against 0.08 s for 4.5M int64 on this machine, numpy 2.4); the resolver calls
these instead on its whole-graph arrays (results identical: ``tests/resolution/test_arrays.py``)."""

from __future__ import annotations

import numpy as np


def unique_ints(a: np.ndarray) -> np.ndarray:
    """The distinct values of ``a``, ascending (as ``np.unique``)."""
    out = np.sort(np.asarray(a).ravel())
    if len(out) < 2:
        return out
    keep = np.empty(len(out), bool)
    keep[0] = True
    np.not_equal(out[1:], out[:-1], out=keep[1:])
    return out[keep]


def isin_ints(a: np.ndarray, values: np.ndarray) -> np.ndarray:
    """For each element of ``a``, whether it is in ``values`` (as ``np.isin``), by binary search."""
    a = np.asarray(a)
    v = unique_ints(values)
    if len(v) == 0:
        return np.zeros(a.shape, bool)
    at = np.minimum(np.searchsorted(v, a), len(v) - 1)
    return v[at] == a
