"""Reading a gold file in the contract format and scoring predictions (strict span + label match)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from nlp.labels import IDENTIFIER_LABELS, NAME_LABELS


class GoldError(ValueError):
    """A gold file that breaks the contract (one line, saying where)."""


@dataclass
class Passage:
    id: str
    text: str
    watchlist: list[str]
    entities: list[dict]
    relations: list[dict] = field(default_factory=list)
    kind: str = ""
    lang: str = ""


def read_gold(path: Path) -> list[Passage]:
    if not path.is_file():
        raise GoldError(f"{path}: not found")
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GoldError(f"{path}: line {n}: not JSON ({exc.msg})") from None
        if not isinstance(row, dict) or not isinstance(row.get("text"), str):
            raise GoldError(f"{path}: line {n}: expected an object with a text")
        text = row["text"]
        ents = row.get("entities") or []
        for i, e in enumerate(ents):
            try:
                ok = text[e["start"]:e["end"]] == e["text"] and isinstance(e["label"], str)
            except (KeyError, TypeError):
                ok = False
            if not ok:
                raise GoldError(f"{path}: line {n}: entity {i} does not match the text at its offsets")
        for i, r in enumerate(row.get("relations") or []):
            if not (isinstance(r, dict) and 0 <= r.get("head", -1) < len(ents) and 0 <= r.get("tail", -1) < len(ents)):
                raise GoldError(f"{path}: line {n}: relation {i} points outside the entities")
        out.append(Passage(str(row.get("id", n)), text, list(row.get("watchlist") or []), ents,
                           list(row.get("relations") or []), str(row.get("kind", "")), str(row.get("lang", ""))))
    return out


@dataclass
class Counts:
    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)
    errors: list[tuple[str, str, str, str]] = field(default_factory=list)  # (passage, fp|fn, label, text)

    def add(self, pid: str, gold: set[tuple], pred: set[tuple], text: str) -> None:
        for item in gold & pred:
            self.tp[item[2]] += 1
        for item in pred - gold:
            self.fp[item[2]] += 1
            self.errors.append((pid, "fp", item[2], text[item[0]:item[1]]))
        for item in gold - pred:
            self.fn[item[2]] += 1
            self.errors.append((pid, "fn", item[2], text[item[0]:item[1]]))


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def score_entities(passages: list[Passage], predictions: list[list[tuple[int, int, str]]],
                   scored: set[str]) -> Counts:
    counts = Counts()
    for p, pred in zip(passages, predictions):
        gold = {(e["start"], e["end"], e["label"]) for e in p.entities if e["label"] in scored}
        counts.add(p.id, gold, {x for x in pred if x[2] in scored}, p.text)
    return counts


def score_relations(passages: list[Passage], predictions: list[list[tuple]]) -> Counts:
    """A relation counts when type, head span+label and tail span+label all match."""
    counts = Counts()
    for p, pred in zip(passages, predictions):
        ents = p.entities
        gold = set()
        for r in p.relations:
            h, t = ents[r["head"]], ents[r["tail"]]
            gold.add((h["start"], t["end"], r.get("type", ""), (h["start"], h["end"], h["label"]),
                      (t["start"], t["end"], t["label"])))
        counts.add(p.id, gold, set(pred), p.text)
    return counts


def table_rows(counts: Counts, labels: list[str], groups: dict[str, tuple[str, ...]]) -> list[tuple]:
    rows = []
    for label in labels:
        tp, fp, fn = counts.tp[label], counts.fp[label], counts.fn[label]
        if tp + fp + fn == 0:
            continue
        p, r, f = prf(tp, fp, fn)
        rows.append((label, tp + fn, tp + fp, tp, f"{p:.3f}", f"{r:.3f}", f"{f:.3f}"))
    for name, members in groups.items():
        tp = sum(counts.tp[m] for m in members)
        fp = sum(counts.fp[m] for m in members)
        fn = sum(counts.fn[m] for m in members)
        p, r, f = prf(tp, fp, fn)
        rows.append((name, tp + fn, tp + fp, tp, f"{p:.3f}", f"{r:.3f}", f"{f:.3f}"))
    return rows


GROUPS = {"identifiers": IDENTIFIER_LABELS, "names": NAME_LABELS}
