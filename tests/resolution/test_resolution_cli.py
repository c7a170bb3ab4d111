"""The resolution commands end to end on the example case (real CLI, real SQLite file)."""

from __future__ import annotations

import csv
import json

import pytest

from tests.conftest import EXAMPLE_CASE, run_cli
from tests.cli.test_cli import EXPECTED_OPERATORS


@pytest.fixture()
def case(tmp_path):
    url = f"sqlite:///{tmp_path}/case.db"
    assert run_cli("ingest", str(EXAMPLE_CASE), store=url).returncode == 0
    assert run_cli("resolve", store=url).returncode == 0
    return url


def test_a_different_judgement_splits_an_operator_and_undo_restores_it(case, tmp_path):
    def groups() -> set[frozenset[str]]:
        out = tmp_path / "operators.csv"
        res = run_cli("export", "operators", "--format", "csv", "-o", str(out), store=case)
        assert res.returncode == 0, res.stderr
        rows = list(csv.DictReader(out.open(encoding="utf-8")))
        assert list(rows[0])[:6] == ["operator_id", "storefront_key", "marketplace", "platform_id", "url", "name"]
        assert len(rows) == 36  # every storefront, singletons included
        found: dict[str, set[str]] = {}
        for r in rows:
            found.setdefault(r["operator_id"], set()).add(r["storefront_key"])
        return {frozenset(g) for g in found.values() if len(g) > 1}

    assert groups() == EXPECTED_OPERATORS
    res = run_cli("review", "different", "walmart:101998877", "https://www.amazon.com/sp?seller=A3JL5R8T2W6YQN",
                  "--who", "Investigator K", "--comment", "different sender in test buys", store=case)
    assert res.returncode == 0, res.stderr
    assert "the two are now apart" in res.stdout
    jiale = next(g for g in EXPECTED_OPERATORS if "walmart:101998877" in g)
    assert groups() == (EXPECTED_OPERATORS - {jiale}) | {jiale - {"walmart:101998877"}}  # its one link, a phone
    judgement_id = res.stdout.split()[1].rstrip(":")  # "judgement 5a78a3680bbf: ..."
    assert judgement_id in run_cli("review", "history", store=case).stdout
    assert run_cli("review", "undo", judgement_id, store=case).returncode == 0
    assert groups() == EXPECTED_OPERATORS
    alerts = json.loads(run_cli("alerts", "--json", store=case).stdout)  # it rejoined an operator known before
    assert [(a["storefront_key"], a["links"][0]["signals"][0]["kind"]) for a in alerts] == [
        ("walmart:101998877", "phone")]


def test_why_cites_the_document_and_row_of_each_side(case):
    res = run_cli("why", "amazon:A1HX7Q2M9ZK3LP", "https://www.ebay.com/usr/sunnybloom_shop", store=case)
    assert res.returncode == 0, res.stderr
    assert "score 0.9925 (accepted)" in res.stdout  # PayPal (0.95) and phone (0.85): 1 - 0.05 x 0.15
    [link] = json.loads(run_cli("why", "amazon:A1HX7Q2M9ZK3LP", "ebay:sunnybloom_shop", "--json", store=case).stdout)
    paypal = next(s for s in link["signals"] if s["kind"] == "payment")
    assert paypal["pivot"] == "PaymentAccount:paypal:huaxin.pay@outlook.com" and paypal["shared_by"] == 3
    assert [(e["storefront"], e["path"].endswith("schedule_a_sellers.csv"), e["locator"]) for e in paypal["evidence"]] \
        == [("amazon:A1HX7Q2M9ZK3LP", True, "row 2, column 'PayPal'"),
            ("ebay:sunnybloom_shop", True, "row 3, column 'PayPal'")]


def test_why_follows_a_chain_when_two_storefronts_are_not_linked_directly(case):
    chain = json.loads(run_cli("why", "amazon:A1HX7Q2M9ZK3LP", "dhgate:21345678", "--json", store=case).stdout)
    assert len(chain) == 2 and chain[0]["a"] == "amazon:A1HX7Q2M9ZK3LP" and chain[-1]["b"] == "dhgate:21345678"
    assert chain[0]["b"] == chain[1]["a"]  # via the web shop that shares the e-mail of one, the Stripe account of the other


@pytest.mark.parametrize("args,message", [
    (["review", "same", "amazon:A1HX7Q2M9ZK3LP", "etsy:nobody", "--who", "K"], "Error: no storefront 'etsy:nobody'"),
    (["review", "undo", "abc"], "Error: give at least 6 characters of the judgement id"),
    (["review", "undo", "abcdef12"], "Error: no judgement with id 'abcdef12'"),
    (["resolve", "--config", "missing.yaml"], "Error: missing.yaml: cannot read"),
])
def test_mistakes_are_one_error_line(case, args, message):
    res = run_cli(*args, store=case)
    assert res.returncode == 1 and res.stderr.startswith(message), res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


def test_one_hub_limit_for_every_kind_from_the_command_line(case):
    # a limit of 2: the HuaXin PayPal account, e-mail and phone (3 storefronts each) become hubs
    res = run_cli("resolve", "--hub-limit", "2", store=case)
    assert res.returncode == 0, res.stderr
    assert "5 hub identifiers ignored" in res.stdout
    assert "hub: PaymentAccount paypal:huaxin.pay@outlook.com shared by 3 storefronts" in res.stdout
    ops = json.loads(run_cli("resolve", "--json", store=case).stdout)  # the defaults again: the seven are one
    assert sorted(len(o["members"]) for o in ops) == [2, 3, 4, 5, 7]
