"""The synthetic corpus generator: deterministic, and the world has what its parameters ask for."""

from __future__ import annotations

import csv
import io
import re
from itertools import combinations

import pytest

from graph.clean import clean
from graph.errors import GraphError
from graph.synth import Params, build_world, generate_corpus
from graph.synth.noise import noisy_phone, noisy_url
from graph.synth.world import Storefront

KEY_FORMS = {
    "amazon": r"amazon:A[A-Z0-9]{13}", "ebay": r"ebay:[a-z0-9_-]+", "aliexpress": r"aliexpress:110\d{7}",
    "walmart": r"walmart:101\d{6}", "temu": r"temu:634\d{9}", "dhgate": r"dhgate:21\d{6}",
    "etsy": r"etsy:[a-z0-9]+", "web": r"web:[a-z0-9-]+\.(?:com|shop|store|net|online|top)",
}


def test_same_seed_same_bytes_other_seed_other_corpus():
    _, first = generate_corpus(Params(operators=40, seed=3))
    _, again = generate_corpus(Params(operators=40, seed=3))
    _, other = generate_corpus(Params(operators=40, seed=4))
    assert first == again
    assert first["truth.csv"] != other["truth.csv"]
    assert {p.split("/")[1] for p in first if p.startswith("documents/")} == {
        "sellers", "schedule_a", "disclosures", "pages", "whois", "notes"}


def test_truth_lists_every_storefront_once_with_a_graph_key():
    world, files = generate_corpus(Params(operators=40, seed=3))
    rows = list(csv.DictReader(io.StringIO(files["truth.csv"].decode("utf-8"))))
    assert list(rows[0]) == ["storefront_key", "operator_id", "marketplace", "url", "name"]
    assert len(rows) == len(world.storefronts) == len({r["storefront_key"] for r in rows})
    for r in rows:
        assert re.fullmatch(KEY_FORMS[r["marketplace"]], r["storefront_key"]), r
        assert re.fullmatch(r"op-\d{5}|decoy-\d{5}", r["operator_id"])
    decoys = {r["operator_id"] for r in rows if r["operator_id"].startswith("decoy-")}
    assert decoys and all(sum(r["operator_id"] == d for r in rows) == 1 for d in decoys)


def test_every_written_form_of_a_store_url_keys_to_the_truth():
    world = build_world(Params(operators=60, seed=5))
    import random

    rng = random.Random(1)
    for s in world.storefronts:
        forms = {noisy_url(rng, s, 1.0) for _ in range(6)} | {s.url}
        assert {clean("storefront", f).key for f in forms} == {s.key}, s
        if s.marketplace != "web":
            assert clean("storefront", s.platform_id, {"marketplace": s.marketplace}).key == s.key


def test_phone_formats_all_clean_to_the_same_number():
    import random

    rng = random.Random(2)
    forms = {noisy_phone(rng, "+8613800138000", 1.0, local_ok=True) for _ in range(60)}
    assert len(forms) >= 5
    assert {clean("phone", f, {"country": "CN"}).key for f in forms} == {"+8613800138000"}


def test_power_law_sizes_and_several_marketplaces():
    world = build_world(Params(operators=400, seed=1))
    sizes = sorted((len(op.storefronts) for op in world.operators if op.kind != "decoy"), reverse=True)
    assert sizes[0] >= 15 and sizes[-1] == 1
    assert sum(s == 1 for s in sizes) > len(sizes) / 3  # most operators run one or two storefronts
    assert len({s.marketplace for s in world.storefronts}) == 8


def test_hubs_are_shared_by_many_operators_and_absent_at_rate_zero():
    world = build_world(Params(operators=100, seed=2, hub_rate=0.3))
    assert world.hubs
    for hub in world.hubs:
        owners = {s.operator_id for s in world.storefronts if hub in s.idents}
        assert len(owners) > 5
    listing = sum(any(i.role == "hub" for i in s.idents) for s in world.storefronts)
    assert 0.2 < listing / len(world.storefronts) < 0.4
    none = build_world(Params(operators=100, seed=2, hub_rate=0.0))
    assert not none.hubs and not any(i.role == "hub" for s in none.storefronts for i in s.idents)


def test_decoys_copy_a_real_name_but_share_no_operator_identifier():
    world = build_world(Params(operators=80, seed=4, decoy_rate=0.2, hub_rate=0.0, fake_address_rate=0.0))
    real = [s for op in world.operators if op.kind != "decoy" for s in op.storefronts]
    decoys = [s for op in world.operators if op.kind == "decoy" for s in op.storefronts]
    assert len(decoys) == round(0.2 * len(real))
    real_names = {n for s in real for n in s.names}
    real_values = {i.value for s in real for i in s.idents}
    for d in decoys:
        assert d.names[0] not in real_names
        assert any(_close(d.names[0], n) for n in real_names), d.names[0]
        assert not {i.value for i in d.idents} & real_values
    assert not build_world(Params(operators=80, seed=4, decoy_rate=0.0)).operators[-1].kind == "decoy"


def _close(a: str, b: str) -> bool:
    """Near-identical names: one shares all but one word, or they match without spaces/case/'0'->'o'."""
    fold = lambda t: t.lower().replace(" ", "").replace("-", "").replace("0", "o")  # noqa: E731
    wa, wb = a.split(), b.split()
    return fold(a).startswith(fold(b)) or fold(b).startswith(fold(a)) or (
        len(wa) == len(wb) and sum(x != y for x, y in zip(wa, wb)) == 1)


def test_chain_operators_link_neighbours_only():
    world = build_world(Params(operators=60, seed=6, chain_rate=1.0, hub_rate=0.0, fake_address_rate=0.0))
    chains = [op for op in world.operators if op.kind == "chain"]
    assert chains and all(len(op.storefronts) >= 3 for op in chains)
    assert all(op.kind != "normal" for op in world.operators if len(op.storefronts) >= 3)
    for op in chains:
        shared = lambda a, b: {i for i in a.idents if i.role != "own"} & set(b.idents)  # noqa: E731
        fronts: list[Storefront] = op.storefronts
        kinds = []
        for i, j in combinations(range(len(fronts)), 2):
            common = shared(fronts[i], fronts[j])
            assert len(common) == (1 if j == i + 1 else 0), (op.id, i, j)
            if j == i + 1:
                kinds.append(next(iter(common)).kind)
        assert len(set(kinds)) == min(len(kinds), 5)  # each link of a different kind (5 kinds rotate)


def test_redaction_rate_decides_what_whois_shows():
    _, hidden = generate_corpus(Params(operators=40, seed=9, redaction_rate=1.0))
    world, shown = generate_corpus(Params(operators=40, seed=9, redaction_rate=0.0))
    hidden_docs = [b.decode() for p, b in hidden.items() if "/whois/" in p]
    shown_docs = [b.decode() for p, b in shown.items() if "/whois/" in p]
    assert hidden_docs and len(hidden_docs) == len(shown_docs)
    assert all("Redacted for Privacy" in d or "REDACTED FOR PRIVACY" in d for d in hidden_docs)
    assert not any("REDACTED" in d.upper() for d in shown_docs)
    emails = {op.registrant_email for op in world.operators}
    assert all(any(e in d for e in emails) for d in shown_docs)


def test_noise_zero_writes_canonical_values():
    world, files = generate_corpus(Params(operators=30, seed=10, noise=0.0))
    text = "".join(b.decode("utf-8") for p, b in files.items() if "/sellers/" in p)
    paypal = [i.value for s in world.storefronts for i in s.idents if i.kind == "paypal"]
    assert paypal and all(v in text for v in paypal)
    assert all(s.url in text for s in world.storefronts)


def test_bad_parameters_are_refused():
    with pytest.raises(GraphError, match="--hub-rate must be between 0 and 1"):
        build_world(Params(hub_rate=1.5))
    with pytest.raises(GraphError, match="--operators must be at least 1"):
        build_world(Params(operators=0))


def test_recall_ceiling_joins_an_operators_storefronts_by_shared_identifiers_only():
    from graph.evaluate import evaluate
    from graph.synth.corpus import linkable_assignment
    from graph.synth.world import Ident, Operator, World

    def front(op: str, key: str, *idents: Ident) -> Storefront:
        return Storefront(op, "amazon", key, f"https://www.amazon.com/sp?seller={key}", f"amazon:{key}", [key],
                          list(idents))

    mail = Ident("email", "kwpro.cs@gmail.com", "operator")
    hub = Ident("address", "Unit 1, Global Fulfilment Warehouse, Kwai Chung, Hong Kong", "hub")
    own = Ident("phone", "+8613800138000", "own")
    a = Operator("op-00001", ("Shenzhen", "Guangdong", "518000", "Longhua District", "755"), "", "normal", "")
    a.storefronts = [front(a.id, "A1KWPRO0000001", mail, hub), front(a.id, "A1KWPRO0000002", mail),
                     front(a.id, "A1KWPRO0000003", own, hub)]
    b = Operator("decoy-00001", a.city, "", "decoy", "")
    b.storefronts = [front(b.id, "A1DECOY0000001", hub)]
    world = World(Params(), [a, b], [hub], [])
    groups = linkable_assignment(world)
    assert groups["amazon:A1KWPRO0000001"] == groups["amazon:A1KWPRO0000002"] != groups["amazon:A1KWPRO0000003"]
    ceiling = evaluate({s.key: s.operator_id for s in world.storefronts}, groups)
    # Groups {1,2}, {3}, {decoy}: B-cubed recall (2/3 + 2/3 + 1/3 + 1) / 4 = 2/3; pairwise 1 of 3 true pairs.
    assert ceiling.bcubed.recall == pytest.approx(2 / 3)
    assert ceiling.pairwise.recall == pytest.approx(1 / 3)
    assert ceiling.bcubed.precision == 1.0
    chains = build_world(Params(operators=60, seed=6, chain_rate=1.0))
    groups = linkable_assignment(chains)
    for op in chains.operators:
        if op.kind == "chain":
            assert len({groups[s.key] for s in op.storefronts}) == 1
