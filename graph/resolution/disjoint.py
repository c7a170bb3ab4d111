"""Disjoint sets (union-find with path halving): the grouping step of resolution."""

from __future__ import annotations

from collections.abc import Hashable, Iterable


class DisjointSets:
    def __init__(self, items: Iterable[Hashable] = ()):
        self.parent: dict = {i: i for i in items}

    def find(self, x):
        parent = self.parent
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a, b) -> bool:
        """Join the sets of a and b; False if they were one already."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        self.parent[ra] = rb
        return True

    def groups(self) -> list[set]:
        out: dict = {}
        for x in list(self.parent):
            out.setdefault(self.find(x), set()).add(x)
        return list(out.values())
