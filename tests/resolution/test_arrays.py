"""The sort-based set operations give what numpy's (and Python's sets) give."""

from __future__ import annotations

import numpy as np
import pytest

from graph.resolution.arrays import isin_ints, unique_ints


@pytest.mark.parametrize("values", [[], [7], [3, 3, 3], [5, -2, 5, 9, -2, 0, 10**12, 10**12 + 1, 0],
                                    list(range(10, 0, -1))])
def test_unique_ints_is_the_sorted_set(values):
    got = unique_ints(np.array(values, dtype=np.int64))
    assert got.tolist() == sorted(set(values))
    assert got.dtype == np.int64


def test_unique_and_isin_agree_with_numpy_on_pair_codes():
    rng = np.random.default_rng(5)
    codes = rng.integers(0, 10**6, 200_000) * 10**6 + rng.integers(0, 10**6, 200_000)
    codes = np.concatenate([codes, codes[:50_000]])  # repeats
    assert np.array_equal(unique_ints(codes), np.unique(codes))
    probe = np.concatenate([codes[::7], rng.integers(0, 10**12, 30_000)])
    assert np.array_equal(isin_ints(probe, codes), np.isin(probe, codes))
    assert isin_ints(probe, codes[:0]).tolist() == [False] * len(probe)
    assert set(probe[isin_ints(probe, codes[:1000])].tolist()) <= set(codes[:1000].tolist())
