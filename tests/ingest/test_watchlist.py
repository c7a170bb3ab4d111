"""The case's brand watchlist reaches the NLP stage at ingest: brand mentions and deliberate misspellings in
notes become Brand facts with their character span, the variant and its similarity score."""

from __future__ import annotations

import json
import shutil

import pytest

from graph.records import NodeRef
from graph.store import open_store
from ingest.errors import IngestError
from ingest.run import ingest_file
from ingest.watchlist import read_watchlist

from tests.conftest import FIXTURES, run_cli

NOTE = FIXTURES / "ingest" / "messages" / "brand_watch_note.txt"
BRANDS = FIXTURES / "ingest" / "brands.txt"


def test_watchlist_file_lists_marks_in_order_without_comments_or_blank_lines():
    assert read_watchlist(BRANDS) == ("Nike", "adidas", "Rolex", "Puma™")


def test_duplicate_marks_are_listed_once(tmp_path):
    path = tmp_path / "brands.txt"
    path.write_text("Nike\nNIKE\nNike®\nRolex\n", encoding="utf-8")
    assert read_watchlist(path) == ("Nike", "Rolex")


@pytest.mark.parametrize("content,message", [
    (b"# only a comment\n\n", "no marks in the brand watchlist"),
    (b"Nike\n\x00\x01\x02binary", "binary data, not a brand watchlist"),
    (b"Nike\nAdidas\n\xff\xfeRolex\n", "line 3: not UTF-8 text"),
    (b"Nike\n" + b"x" * 150 + b"\n", "line 2: longer than 100 characters"),
    (b"Nike\n\xe2\x84\xa2\n", "line 2: not a mark"),
])
def test_a_bad_watchlist_is_refused_naming_the_file_and_line(tmp_path, content, message):
    path = tmp_path / "brands.txt"
    path.write_bytes(content)
    with pytest.raises(IngestError, match=message) as err:
        read_watchlist(path)
    assert str(err.value).startswith(f"{path}: ")


def test_missing_watchlist_is_refused(tmp_path):
    with pytest.raises(IngestError, match="no such brand watchlist file"):
        read_watchlist(tmp_path / "nope.txt")


def test_ingest_with_a_watchlist_makes_brand_facts_with_variants_scores_and_spans(sqlite_store):
    text = NOTE.read_text(encoding="utf-8")
    result = ingest_file(sqlite_store, NOTE, watchlist=read_watchlist(BRANDS))
    assert (result.status, result.parser) == ("ingested", "text-note")
    brands = {n.key: n for n in sqlite_store.iter_nodes("Brand")}
    assert set(brands) == {"nike", "adidas", "rolex", "puma"}
    nike = brands["nike"]
    assert nike.props["name"] == ["Nike"] and nike.props["variant"] == ["Nlke"]
    assert nike.props["variant_score"] == ["0.95"]
    assert brands["adidas"].props["variant"] == ["Adidaas"]
    assert "variant" not in brands["rolex"].props  # 'ROLEX-style': the mark itself, in capitals
    start = text.index("Nlke")
    evidence = {(e.prop, e.locator) for e in sqlite_store.provenance(NodeRef("Brand", "nike"))}
    assert ("variant", f"chars {start}-{start + 4}") in evidence
    # the store named in the same sentence sells it (an INFRINGES edge from the Temu storefront)
    store = NodeRef("Storefront", "unknown:name:stride deals outlet")
    infringes = {(n.key, e.props.get("confidence"), e.props.get("via"))
                 for e, n in sqlite_store.neighbours(store, ["INFRINGES"])}
    assert ("nike", "high", "nlp") in infringes


def test_ingest_without_a_watchlist_finds_no_brands(sqlite_store):
    ingest_file(sqlite_store, NOTE)
    assert list(sqlite_store.iter_nodes("Brand")) == []
    assert sqlite_store.get_node(NodeRef("PaymentAccount", "paypal:stridedeals.pay@outlook.com")) is not None


def test_cli_ingest_takes_the_watchlist_with_brands(tmp_path):
    note = tmp_path / "note.txt"
    shutil.copy(NOTE, note)
    url = f"sqlite:///{tmp_path}/case.db"
    res = run_cli("ingest", str(note), "--brands", str(BRANDS), store=url)
    assert res.returncode == 0, res.stderr
    store = open_store(url)
    try:
        assert {n.key for n in store.iter_nodes("Brand")} == {"nike", "adidas", "rolex", "puma"}
    finally:
        store.close()


def test_cli_ingest_with_a_missing_watchlist_says_so_in_one_line(tmp_path):
    missing = tmp_path / "brands.txt"
    res = run_cli("ingest", str(NOTE), "--brands", str(missing), store=f"sqlite:///{tmp_path}/case.db")
    assert res.returncode != 0
    assert res.stderr == f"Error: {missing}: no such brand watchlist file\n"


def test_cli_reparse_with_a_watchlist_adds_brand_facts_to_an_ingested_note(tmp_path):
    note = tmp_path / "note.txt"
    shutil.copy(NOTE, note)
    url = f"sqlite:///{tmp_path}/case.db"
    assert run_cli("ingest", str(note), store=url).returncode == 0
    store = open_store(url)
    try:
        assert list(store.iter_nodes("Brand")) == []
    finally:
        store.close()
    res = run_cli("reparse", "--all", "--brands", str(BRANDS), store=url)
    assert res.returncode == 0, res.stderr
    store = open_store(url)
    try:
        assert {n.key for n in store.iter_nodes("Brand")} == {"nike", "adidas", "rolex", "puma"}
    finally:
        store.close()


def test_the_watchlist_is_kept_with_the_case_for_later_ingests_and_reparses(tmp_path):
    note, later = tmp_path / "note.txt", tmp_path / "later" / "note2.txt"
    shutil.copy(NOTE, note)
    later.parent.mkdir()
    later.write_text("Test buy 7: the seller 'Kickzone Hub' shipped ADlDAS trainers in a plain bag.\n",
                     encoding="utf-8")
    url = f"sqlite:///{tmp_path}/case.db"
    assert run_cli("ingest", str(note), "--brands", str(BRANDS), store=url).returncode == 0
    # neither a re-parse of every document nor a later ingest is given the file again
    res = run_cli("reparse", "--all", store=url)
    assert res.returncode == 0, res.stderr
    assert run_cli("ingest", str(later.parent), store=url).returncode == 0
    store = open_store(url)
    try:
        [kept] = [s for s in store.sources() if s.parser == "watchlist"]
        assert json.loads(kept.path.removeprefix("watchlist:"))["marks"] == ["Nike", "adidas", "Rolex", "Puma™"]
        nike = store.get_node(NodeRef("Brand", "nike"))
        assert nike.props["variant"] == ["Nlke"]  # found again in the re-parsed note
        variants = {e.value for e in store.provenance(NodeRef("Brand", "adidas")) if e.prop == "variant"}
        assert variants == {"Adidaas", "ADlDAS"}  # the later note's misspelling too
    finally:
        store.close()
    # the same list again records nothing new
    assert run_cli("ingest", str(note), "--brands", str(BRANDS), store=url).returncode == 0
    store = open_store(url)
    try:
        assert [s.parser for s in store.sources()].count("watchlist") == 1
    finally:
        store.close()
