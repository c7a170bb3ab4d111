"""How good is a resolution? B-cubed and pairwise precision/recall against a ground truth.

Both take two assignments, storefront key -> cluster id: the truth (``truth.csv`` of a synthetic corpus,
``read_truth``) and a prediction (the Operators a resolver wrote, ``predicted_assignment``). The items
scored are the truth's storefronts; one the prediction does not place is a cluster of its own (a
singleton), and predicted storefronts the truth does not know are counted but not scored.

- B-cubed (Bagga & Baldwin 1998): per item, precision = |its predicted cluster ∩ its true cluster| /
  |its predicted cluster|, recall = the same / |its true cluster|; averaged over the items.
- pairwise: over pairs of items, precision = pairs placed together that belong together / pairs placed
  together, recall = the same / pairs that belong together (1.0 when there is no pair to get wrong).
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import GraphError
from graph.store.base import GraphStore

TRUTH_COLUMNS = ("storefront_key", "operator_id")


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 0.0 if total == 0 else 2 * self.precision * self.recall / total


@dataclass(frozen=True)
class Mistake:
    """A predicted cluster mixing true operators (false merge), or a true operator split (miss)."""

    cluster: str                                       # the predicted cluster, or the true operator
    spread: int                                        # true operators mixed, or predicted clusters split over
    size: int
    members: tuple[tuple[str, str], ...]               # (storefront key, the other side's cluster id)


@dataclass(frozen=True)
class Evaluation:
    items: int
    true_clusters: int
    predicted_clusters: int
    bcubed: Scores
    pairwise: Scores
    unplaced: int                                      # truth storefronts the prediction does not place
    unknown: int                                       # predicted storefronts the truth does not know
    false_merges: list[Mistake] = field(default_factory=list)
    misses: list[Mistake] = field(default_factory=list)


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def _ratio(num: float, den: float) -> float:
    return 1.0 if den == 0 else num / den


def evaluate(truth: Mapping[str, str], predicted: Mapping[str, str], worst: int = 10) -> Evaluation:
    """Scores of ``predicted`` against ``truth`` (both: storefront key -> cluster id)."""
    items = list(truth)
    pred = {k: predicted.get(k, f"(singleton) {k}") for k in items}
    unplaced = sum(k not in predicted for k in items)
    unknown = sum(k not in truth for k in predicted)
    cells: Counter[tuple[str, str]] = Counter((pred[k], truth[k]) for k in items)
    pred_size = Counter(pred.values())
    true_size = Counter(truth[k] for k in items)
    n = len(items)
    if n == 0:
        raise GraphError("the truth has no storefronts")
    bp = sum(c * c / pred_size[p] for (p, _), c in cells.items()) / n
    br = sum(c * c / true_size[t] for (_, t), c in cells.items()) / n
    together = sum(_pairs(c) for c in cells.values())
    pairwise = Scores(_ratio(together, sum(map(_pairs, pred_size.values()))),
                      _ratio(together, sum(map(_pairs, true_size.values()))))
    return Evaluation(n, len(true_size), len(pred_size), Scores(bp, br), pairwise, unplaced, unknown,
                      _worst(items, pred, truth, worst), _worst(items, truth, pred, worst))


def _worst(items: list[str], group: Mapping[str, str], other: Mapping[str, str], limit: int) -> list[Mistake]:
    """Clusters of ``group`` ranked by how many clusters of ``other`` they mix (only those mixing 2+)."""
    members: dict[str, list[str]] = defaultdict(list)
    for k in items:
        members[group[k]].append(k)
    found = []
    for cluster, keys in members.items():
        spread = len({other[k] for k in keys})
        if spread > 1:
            found.append(Mistake(cluster, spread, len(keys), tuple(sorted((k, other[k]) for k in keys))))
    found.sort(key=lambda m: (-m.spread, -m.size, m.cluster))
    return found[:limit]


def read_truth(path: Path) -> dict[str, str]:
    """storefront_key -> operator_id from a truth CSV (``storefront_key,operator_id,...``)."""
    try:
        fh = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise GraphError(f"{path}: {exc.strerror or exc}") from None
    truth: dict[str, str] = {}
    with fh:
        reader = csv.reader(fh)
        try:
            header = next(reader, None)
            if header is None or [h.strip() for h in header[:2]] != list(TRUTH_COLUMNS):
                raise GraphError(f"{path}: line 1: expected the header {','.join(TRUTH_COLUMNS)},... "
                                 f"(got {','.join(header or [])[:80]!r})")
            for row in reader:
                line = reader.line_num
                if not any(c.strip() for c in row):
                    continue
                if len(row) < 2 or not row[0].strip() or not row[1].strip():
                    raise GraphError(f"{path}: line {line}: a storefront key and an operator id are needed")
                key, op = row[0].strip(), row[1].strip()
                if truth.get(key, op) != op:
                    raise GraphError(f"{path}: line {line}: {key} is given two operators ({truth[key]}, {op})")
                truth[key] = op
        except csv.Error as exc:
            raise GraphError(f"{path}: line {reader.line_num}: malformed CSV ({exc})") from None
        except UnicodeDecodeError:
            raise GraphError(f"{path}: not UTF-8 text") from None
    if not truth:
        raise GraphError(f"{path}: no storefronts in the truth file")
    return truth


def predicted_assignment(store: GraphStore) -> dict[str, str]:
    """storefront key -> operator key from the Operator -[CONTROLS]-> Storefront edges in the store;
    a storefront no operator controls is a cluster of its own (its own key)."""
    proj = store.projection(node_types=["Operator", "Storefront"], edge_types=["CONTROLS"])
    refs = {i: ref for ref, i in proj.node_ids.items()}
    assignment = {ref.key: ref.key for ref in proj.node_ids if ref.type == "Storefront"}
    owners: dict[str, list[str]] = defaultdict(list)
    for s, d, kind in proj.edges:
        if kind == "CONTROLS" and refs[s].type == "Operator" and refs[d].type == "Storefront":
            owners[refs[d].key].append(refs[s].key)
    for key, ops in owners.items():
        assignment[key] = "operator " + min(ops)  # a storefront claimed twice goes with the first operator
    return assignment
