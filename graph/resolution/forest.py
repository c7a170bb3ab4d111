"""The link table -> groups of storefronts, each with its chain of proof, in compiled code (scipy.csgraph).

Groups are the connected components of the accepted links. A group that a "different" judgement cuts is
split with ``clusters.cluster`` on that group's links alone (few groups, small). Each group's chain of proof
is its maximum spanning tree in the order (score descending, then keys): with every link given its rank in
that order as a unique weight, scipy's minimum spanning forest is exactly the tree Kruskal's algorithm picks
in ``clusters.strongest_tree``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components, minimum_spanning_tree

from graph.records import NodeRef
from graph.resolution.clusters import Split, cluster
from graph.resolution.judgements import Judgement
from graph.resolution.vectors import LinkTable


@dataclass
class Groups:
    members: list[list[NodeRef]]  # storefronts of each group (two or more)
    trees: list[list[int]]  # each group's strongest links (rows of the link table), strongest first
    best: dict[NodeRef, float]  # a member's strongest accepted link inside its group
    splits: list[Split]
    label: np.ndarray  # storefront position -> group index, -1 for none


def _components(S: int, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    g = sparse.coo_matrix((np.ones(len(x)), (x, y)), shape=(S, S))
    return connected_components(g, directed=False)[1]


def group_table(table: LinkTable, judged: dict[tuple[NodeRef, NodeRef], Judgement]) -> Groups:
    S = len(table.pv.storefronts)
    acc = np.flatnonzero(table.band == 2)
    x, y = table.x[acc], table.y[acc]
    comp = _components(S, x, y)
    touched = np.zeros(S, bool)
    touched[x] = touched[y] = True
    label = np.where(touched, comp, -1)

    # "different" judgements inside one group: split that group along its weakest links
    splits: list[Split] = []
    apart = [j for j in judged.values() if j.verdict == "different"]
    where = [(table.position(j.a), table.position(j.b)) for j in apart]
    torn = sorted({int(label[a]) for a, b in where if a is not None and b is not None and label[a] >= 0
                   and label[a] == label[b]})
    next_label = int(label.max()) + 1 if S else 0
    for c in torn:
        inside = acc[label[x] == c]
        links = [table.link(int(i)) for i in inside]
        parts, got = cluster(links, judged)
        splits += got
        label[label == c] = -1
        for part in parts:
            for ref in part:
                label[table.position(ref)] = next_label
            next_label += 1

    # each group's strongest tree: unique rank weights make the minimum spanning forest Kruskal's tree
    inner = acc[label[x] == label[y]]  # a cut link joins two parts: never inside one
    order = inner[np.lexsort((table.rank[table.y[inner]], table.rank[table.x[inner]], -table.score[inner]))]
    lo, hi = np.minimum(table.x[order], table.y[order]), np.maximum(table.x[order], table.y[order])
    mst = minimum_spanning_tree(sparse.csr_matrix((np.arange(1, len(order) + 1, dtype=float), (lo, hi)),
                                                  shape=(S, S))).tocoo()
    tree_idx = order[np.sort(mst.data.astype(np.int64) - 1)]  # strongest first
    best = np.zeros(S)
    np.maximum.at(best, table.x[inner], table.score[inner])
    np.maximum.at(best, table.y[inner], table.score[inner])

    used = sorted({int(v) for v in label if v >= 0})
    index = {v: k for k, v in enumerate(used)}
    members: list[list[NodeRef]] = [[] for _ in used]
    for p in np.flatnonzero(label >= 0):
        members[index[int(label[p])]].append(table.ref(int(p)))
    trees: list[list[int]] = [[] for _ in used]
    for i, g in zip(tree_idx.tolist(), label[table.x[tree_idx]].tolist()):
        trees[index[g]].append(i)
    keep = [k for k, m in enumerate(members) if len(m) > 1]
    refs_best = {table.ref(int(p)): float(best[p]) for p in np.flatnonzero(label >= 0)}
    return Groups([members[k] for k in keep], [trees[k] for k in keep], refs_best, splits, label)
