"""The Splink baseline: a Fellegi-Sunter model (Splink, DuckDB backend) over one record per storefront.

Benchmark-only (``pip install -e ".[bench]"``); the product's resolver is ``graph/resolution``.

Records. A storefront's record holds, per pivot kind (payment, email, phone, address, seller, domain, ip,
analytics, nameserver), the keys of the identifier nodes it reaches directly or through its own seller,
domain, payment account or listing (``graph.resolution.pivots.collect_pivots``: the resolver's own
evidence), plus its display name and marketplace.

Model. Splink's term-frequency adjustments work on single-valued columns only, and identifiers here are
multi-valued and skewed (a warehouse address is listed by hundreds of storefronts, most e-mails by one).
So each kind's comparison has a level per frequency band of the rarest value the two records share:
shared by <= 5 storefronts, <= 25, <= 100, any; then "both have one, none shared", and null. Each band's
u comes from random sampling, its m from EM: the model learns how much a widely shared value is worth,
instead of being told a hub limit. Names: exact (case and punctuation folded), Jaro-Winkler >= 0.92,
>= 0.8. The marketplace is in the record but not compared (an operator's storefronts span marketplaces).
Blocking for prediction: any shared value of any kind (exploded arrays), or the same folded name.
m: documented starting values (``M_START``), then EM in four sessions, blocked on the same first rarest
(<= 5) payment account, e-mail, phone and address; each estimates the comparisons its rule does not use.
The prior (probability that two records match) comes from a deterministic rule (a shared payment, e-mail
or phone of <= 5 storefronts) with an assumed recall of 0.8; it is about 12x below the true rate on the
default corpus (big operators' accounts are shared more widely), which the threshold absorbs.
Clusters: connected components of the pairs at or above a match probability threshold (``THRESHOLD``,
the best B-cubed F1 on seed 3 of 0.005-0.05; seeds 1 and 2 are the ones reported, see BENCHMARKS.md).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from graph.resolution.pivots import collect_pivots
from graph.store.base import GraphStore

KINDS = ("payment", "email", "phone", "address", "seller", "domain", "ip", "analytics", "nameserver")
BANDS = (5, 25, 100)          # frequency bands of a shared value (storefronts holding it)
THRESHOLD = 0.02              # match probability to link at; chosen on seed 3 (BENCHMARKS.md)
# Starting m (documented prior, kept where EM cannot estimate a level): a shared value in the bands
# <= 5, <= 25, <= 100, more common; none shared. Names rarely match within an operator (aliases are varied).
M_START = (0.4, 0.2, 0.05, 0.01, 0.34)
EM_KINDS = ("payment", "email", "phone", "address")  # EM blocked on a rare shared value of each
PRIOR_RECALL = 0.8            # assumed recall of the deterministic rule the prior is estimated from
_PUNCT = re.compile(r"[^\w]+")


def fold_name(name: str | None) -> str | None:
    if not name:
        return None
    text = unicodedata.normalize("NFKC", name).casefold()
    return _PUNCT.sub(" ", text).strip() or None


def storefront_records(store: GraphStore) -> list[dict]:
    """One record per storefront: unique_id (its key), name, marketplace, and per kind the values it holds
    (``KIND``) and those of them held by at most ``band`` storefronts (``KIND_band``); None when empty."""
    pv = collect_pivots(store)
    records = []
    for s in pv.storefronts:
        key = pv.refs[s].key
        rec: dict = {"unique_id": key, "name": fold_name(pv.names[s]),
                     "marketplace": key.partition(":")[0] if ":" in key else None}
        got: dict[str, list[tuple[int, str]]] = {k: [] for k in KINDS}
        for p in pv.reach.get(s, {}):
            kind = pv.kinds[p]
            if kind in got:
                got[kind].append((len(pv.members[p]), pv.refs[p].key))
        for kind, values in got.items():
            rec[kind] = sorted(v for _, v in values) or None
            for band in BANDS:
                rec[f"{kind}_{band}"] = sorted(v for n, v in values if 1 < n <= band) or None
        records.append(rec)
    return records


def kind_columns(kinds: Iterable[str]) -> set[str]:
    return {c for k in kinds for c in (k, *(f"{k}_{b}" for b in BANDS))}


def _kind_comparison(kind: str) -> dict:
    levels = [{"sql_condition": f'"{kind}_l" IS NULL OR "{kind}_r" IS NULL', "label_for_charts": "null",
               "is_null_level": True}]
    for band, m in zip(BANDS, M_START):
        col = f"{kind}_{band}"
        levels.append({"sql_condition": f'list_has_any("{col}_l", "{col}_r")', "m_probability": m,
                       "label_for_charts": f"shares a value of <= {band} storefronts"})
    levels.append({"sql_condition": f'list_has_any("{kind}_l", "{kind}_r")', "m_probability": M_START[-2],
                   "label_for_charts": "shares a more common value"})
    levels.append({"sql_condition": "ELSE", "label_for_charts": "none shared", "m_probability": M_START[-1]})
    return {"output_column_name": kind, "comparison_levels": levels,
            "comparison_description": f"{kind} values shared, by frequency band"}


def settings(kinds: Iterable[str]) -> dict:
    import splink.comparison_library as cl
    from splink import block_on

    kinds = list(kinds)
    name = cl.CustomComparison(
        output_column_name="name",
        comparison_levels=[
            {"sql_condition": '"name_l" IS NULL OR "name_r" IS NULL', "is_null_level": True,
             "label_for_charts": "null"},
            {"sql_condition": '"name_l" = "name_r"', "label_for_charts": "same folded name",
             "m_probability": 0.02},
            {"sql_condition": 'jaro_winkler_similarity("name_l", "name_r") >= 0.92',
             "label_for_charts": "Jaro-Winkler >= 0.92", "m_probability": 0.02},
            {"sql_condition": 'jaro_winkler_similarity("name_l", "name_r") >= 0.8',
             "label_for_charts": "Jaro-Winkler >= 0.8", "m_probability": 0.06},
            {"sql_condition": "ELSE", "label_for_charts": "different", "m_probability": 0.9}])
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "comparisons": [*(cl.CustomComparison(**_kind_comparison(k)) for k in kinds), name],
        "blocking_rules_to_generate_predictions": [
            *(block_on(k, arrays_to_explode=[k]) for k in kinds), block_on("name")],
        "retain_intermediate_calculation_columns": False,
        "retain_matching_columns": False,
    }


@dataclass
class SplinkRun:
    assignment: dict[str, str]       # storefront key -> cluster id (every record, singletons included)
    candidates: int                  # pairs predicted at or above the lowest threshold asked for
    links: list[tuple[str, str, float]]  # pairs at or above the threshold, with their match probability


def train(records: list[dict], seed: int = 42):
    """A Splink linker over ``records`` with its u (random sampling), m (EM) and prior estimated."""
    import pyarrow as pa
    from splink import DuckDBAPI, Linker, block_on

    for name in ("splink", "duckdb"):
        logging.getLogger(name).setLevel(logging.ERROR)
    kinds = [k for k in KINDS if any(r[k] for r in records)]
    unused = kind_columns(k for k in KINDS if k not in kinds)
    slim = [{c: v for c, v in r.items() if c not in unused} for r in records]
    columns = [pa.field(c, pa.list_(pa.string()) if c in kind_columns(kinds) else pa.string()) for c in slim[0]]
    import duckdb

    # Offline: DuckDB installs missing extensions from the network on first use unless told not to.
    db = DuckDBAPI(duckdb.connect(":memory:", config={"autoinstall_known_extensions": "false"}))
    df = db.register(pa.Table.from_pylist(slim, schema=pa.schema(columns)), dataset_display_name="storefronts")
    linker = Linker(df, settings(kinds), log_level=None)
    rare = [block_on(f"{k}_5", arrays_to_explode=[f"{k}_5"]) for k in kinds if k in ("payment", "email", "phone")]
    linker.training.estimate_probability_two_random_records_match(rare or [block_on("name")], recall=PRIOR_RECALL)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=seed)
    for kind in EM_KINDS:
        if kind in kinds:
            try:
                linker.training.estimate_parameters_using_expectation_maximisation(
                    f"l.{kind}_5[1] = r.{kind}_5[1]", estimate_without_term_frequencies=True)
            except ValueError:  # Splink 5 rejects an m of 0 that EM reaches on little data: skip the session
                logging.getLogger(__name__).warning("EM blocked on a shared %s did not converge; skipped", kind)
    return linker


def cluster(linker, thresholds: Iterable[float]) -> dict[float, SplinkRun]:
    """Predict the blocked pairs and cluster them at each threshold (match probability)."""
    thresholds = sorted(set(thresholds))
    predictions = linker.inference.predict(threshold_match_probability=thresholds[0])
    scored = predictions.as_record_list()
    out = {}
    for t in thresholds:
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=t)
        assignment = {r["unique_id"]: str(r["cluster_id"]) for r in clusters.as_record_list()}
        links = [(r["unique_id_l"], r["unique_id_r"], r["match_probability"]) for r in scored
                 if r["match_probability"] >= t]
        out[t] = SplinkRun(assignment, len(scored), links)
    return out


def resolve_store(store: GraphStore, threshold: float = THRESHOLD) -> SplinkRun:
    """Train on the store's storefronts, cluster at ``threshold``, write the clusters as Operators."""
    import hashlib

    from graph.records import NodeRef
    from graph.resolve import Cluster, write_clusters

    run = cluster(train(storefront_records(store)), [threshold])[threshold]
    groups: dict[str, list[str]] = defaultdict(list)
    for key, cid in run.assignment.items():
        groups[cid].append(key)
    clusters = []
    for keys in groups.values():
        if len(keys) > 1:
            members = tuple(NodeRef("Storefront", k) for k in sorted(keys))
            clusters.append(Cluster("op-" + hashlib.sha1(members[0].key.encode()).hexdigest()[:10], members, ()))
    write_clusters(store, clusters, f"(Splink baseline, match probability >= {threshold})")
    return run
