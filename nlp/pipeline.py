"""Loading the pipeline (once per process) and running it over texts, with offsets into the ORIGINAL text.

``extract(text, watchlist)`` / ``extract_many(items)`` fold each text (``nlp.text.fold``), cut very long texts
into pieces at line breaks, run the spaCy pipeline with ``nlp.pipe`` in batches, and map every mention and
evidence span back to the original text. Hostile input (huge lines, binary junk, U+FFFD) yields fewer
mentions, never an exception from the matchers.
"""

from __future__ import annotations

import gc
import importlib.util
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language

from nlp import components as _components  # noqa: F401 - registers the factories
from nlp.mention import Mention, Relation
from nlp.text import Folded, fold

CONFIG_DIR = Path(__file__).with_name("configs")
MAX_PIECE = 50_000          # characters per Doc; longer texts are cut at a line break
MODEL_NAME = "en_core_web_sm"
PARALLEL_CHARS = 256_000    # characters of text per work unit when extract_many runs in several processes


@dataclass(slots=True)
class Extraction:
    text: str
    mentions: list[Mention] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)


def model_available(name: str = MODEL_NAME) -> bool:
    return importlib.util.find_spec(name) is not None


@lru_cache(maxsize=4)
def load_pipeline(use_model: bool | None = None) -> Language:
    """The pipeline from ``configs/rules.cfg``; with ``en_core_web_sm`` installed (and ``use_model`` not False,
    nor ``INFRINGER_NLP_MODEL=0``) its trained components run first and ``ig_model_entities`` is added."""
    config = spacy.util.load_config(CONFIG_DIR / "rules.cfg")
    if use_model is None:
        use_model = os.environ.get("INFRINGER_NLP_MODEL", "1") != "0" and model_available()
    if not use_model:
        nlp = spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
    else:
        nlp = add_rule_components(spacy.load(MODEL_NAME, exclude=["lemmatizer"]))
    _freeze_heap()
    return nlp


def _freeze_heap() -> None:
    """Move everything alive now (the pipeline: matchers, patterns, vocab) out of the collector's reach.
    Without this every full collection while texts are processed walks the whole pipeline again; with it the
    first pass over new text is ~35 % cheaper (BENCHMARKS.md), and forked workers share those pages."""
    gc.collect()
    gc.freeze()


def add_rule_components(nlp: Language) -> Language:
    """A trained pipeline (its tokenizer, tagger/parser/ner) followed by the rule components of
    ``rules.cfg`` and ``ig_model_entities`` (its PERSON / ORG / GPE entities). Any pipeline whose Docs carry
    ``doc.ents`` works; tests use a blank English pipeline with an entity ruler in place of en_core_web_sm."""
    config = spacy.util.load_config(CONFIG_DIR / "rules.cfg")
    for name in config["nlp"]["pipeline"]:
        spec = dict(config["components"][name])
        factory = spec.pop("factory")
        nlp.add_pipe(factory, name=name, config=spec)
    nlp.add_pipe("ig_model_entities_v1", name="ig_model_entities", before="ig_relations")
    return nlp


def _pieces(text: str) -> Iterator[tuple[int, str]]:
    """(offset, piece) of at most MAX_PIECE characters, cut after a line break when there is one."""
    pos = 0
    while pos < len(text):
        end = min(len(text), pos + MAX_PIECE)
        if end < len(text):
            nl = text.rfind("\n", pos + MAX_PIECE // 2, end)
            end = nl + 1 if nl >= 0 else end
        yield pos, text[pos:end]
        pos = end


def _map(folded: Folded, offset: int, found: list[Mention], links: list[Relation]) -> tuple[list[Mention], list[Relation]]:
    """Mentions and relations of one piece (offsets into the piece) with offsets into the original text."""
    mentions = []
    for m in found:
        s, e = folded.span(offset + m.start, offset + m.end)
        m.start, m.end, m.text = s, e, folded.original[s:e]
        mentions.append(m)
    relations = []
    for r in links:
        s, e = folded.span(offset + r.evidence[0], offset + r.evidence[1]) if r.evidence[1] > r.evidence[0] \
            else (0, 0)
        relations.append(Relation(r.head, r.tail, r.type, (s, e), r.confidence))
    return mentions, relations


def _add(current: Extraction, mentions: list[Mention], relations: list[Relation]) -> None:
    base = len(current.mentions)
    current.mentions.extend(mentions)
    current.relations.extend(Relation(r.head + base, r.tail + base, r.type, r.evidence, r.confidence)
                             for r in relations)


_FORKED: Language | None = None  # the pipeline worker processes inherit (fork) from extract_many


def _extract_unit(unit: list[tuple[str, tuple[str, ...]]]) -> list[Extraction]:
    return list(extract_many(unit, nlp=_FORKED))


def _pieces_unit(unit: list[tuple[str, tuple[str, ...]]]) -> list[tuple[list[Mention], list[Relation]]]:
    """Mentions and relations of pieces of one long folded text (offsets into each piece)."""
    def docs() -> Iterator:
        for piece, watchlist in unit:
            doc = _FORKED.make_doc(piece)
            doc._.ig_watchlist = watchlist
            doc.user_data["ig_text"] = piece
            yield doc
    return [(list(doc._.ig_mentions or ()), list(doc._.ig_relations or ())) for doc in _FORKED.pipe(docs())]


def _units(items: Iterable[tuple[str, Iterable[str]]]) -> Iterator[tuple]:
    """Work units of ~PARALLEL_CHARS characters: ("texts", [(text, watchlist), ...]) of short texts, and for
    one text longer than that ("long", folded, [[(offset, piece), ...], ...], watchlist): its pieces (the
    same pieces extract_many makes in one process) in groups, each group one unit."""
    unit: list[tuple[str, tuple[str, ...]]] = []
    size = 0
    for text, watchlist in items:
        text = text if isinstance(text, str) else str(text)
        if len(text) > PARALLEL_CHARS:
            if unit:
                yield "texts", unit
                unit, size = [], 0
            folded = fold(text)
            groups: list[list[tuple[int, str]]] = [[]]
            chars = 0
            for offset, piece in _pieces(folded.text):
                if chars >= PARALLEL_CHARS:
                    groups.append([])
                    chars = 0
                groups[-1].append((offset, piece))
                chars += len(piece)
            yield "long", folded, groups, tuple(watchlist or ())
            continue
        unit.append((text, tuple(watchlist or ())))
        size += len(text)
        if size >= PARALLEL_CHARS:
            yield "texts", unit
            unit, size = [], 0
    if unit:
        yield "texts", unit


def _results(job) -> Iterator[Extraction]:
    if job[0] == "texts":
        yield from job[1].result()
        return
    _, folded, parts = job
    current = Extraction(folded.original)
    for future, offsets in parts:
        for offset, (found, links) in zip(offsets, future.result()):
            _add(current, *_map(folded, offset, found, links))
    yield current


def _extract_parallel(items: Iterable[tuple[str, Iterable[str]]], nlp: Language,
                      n_process: int) -> Iterator[Extraction]:
    """extract_many in ``n_process`` forked processes, work units of ~PARALLEL_CHARS characters (a long
    text is cut into pieces first), results in order; about 2 * n_process + 1 units are in flight (memory
    stays bounded)."""
    global _FORKED
    _FORKED = nlp
    with ProcessPoolExecutor(max_workers=n_process, mp_context=multiprocessing.get_context("fork")) as pool:
        pending: deque = deque()
        in_flight = 0
        for unit in _units(items):
            if unit[0] == "texts":
                pending.append(("texts", pool.submit(_extract_unit, unit[1])))
                in_flight += 1
            else:
                _, folded, groups, watchlist = unit
                parts = [(pool.submit(_pieces_unit, [(piece, watchlist) for _, piece in group]),
                          [offset for offset, _ in group]) for group in groups]
                pending.append(("long", folded, parts))
                in_flight += len(parts)
            while in_flight > 2 * n_process and pending:
                job = pending.popleft()
                in_flight -= 1 if job[0] == "texts" else len(job[2])
                yield from _results(job)
        while pending:
            yield from _results(pending.popleft())


def extract_many(items: Iterable[tuple[str, Iterable[str]]], nlp: Language | None = None,
                 batch_size: int = 64, n_process: int = 1) -> Iterator[Extraction]:
    """One Extraction per (text, watchlist), in order. ``n_process`` > 1 runs the pipeline in that many
    forked worker processes (worth it from a few hundred KB of text on; not from inside a daemon process)."""
    nlp = nlp or load_pipeline()
    if n_process > 1 and not multiprocessing.current_process().daemon:
        yield from _extract_parallel(items, nlp, n_process)
        return

    def docs() -> Iterator:
        for text, watchlist in items:
            folded = fold(text if isinstance(text, str) else str(text))
            wl = tuple(watchlist or ())
            for offset, piece in _pieces(folded.text):
                doc = nlp.make_doc(piece)
                doc._.ig_watchlist = wl
                doc.user_data["ig_text"] = piece
                doc.user_data["ig_ctx"] = (folded, offset)
                yield doc
            if not folded.text:
                doc = nlp.make_doc("")
                doc.user_data["ig_ctx"] = (folded, 0)
                yield doc

    current: Extraction | None = None
    current_folded: Folded | None = None
    for doc in nlp.pipe(docs(), batch_size=batch_size):
        folded, offset = doc.user_data.pop("ig_ctx")
        if folded is not current_folded:
            if current is not None:
                yield current
            current, current_folded = Extraction(folded.original), folded
        _add(current, *_map(folded, offset, doc._.ig_mentions or [], doc._.ig_relations or []))
    if current is not None:
        yield current


def extract(text: str, watchlist: Iterable[str] = (), nlp: Language | None = None) -> Extraction:
    return next(extract_many([(text, watchlist)], nlp=nlp))
