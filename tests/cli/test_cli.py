"""The console script end to end on the bundled example case (real subprocesses, a real SQLite file)."""

from __future__ import annotations

import csv
import json

import pytest

from tests.conftest import EXAMPLE_CASE, FIXTURES, assert_serves_health, run_cli

# Hand-built ground truth of examples/demo-case: storefronts that share a payment account, e-mail or phone.
EXPECTED_OPERATORS = {
    frozenset({"amazon:A1HX7Q2M9ZK3LP", "ebay:sunnybloom_shop", "aliexpress:1102345678", "walmart:101234567",
               "temu:634418212233", "web:huaxin-direct.com", "dhgate:21345678"}),
    frozenset({"amazon:A3JL5R8T2W6YQN", "amazon:A2KZ9V4N7M1XBQ", "ebay:sportymax-2024", "aliexpress:1109876543",
               "walmart:101998877"}),
    frozenset({"web:luxe-outlet-sale.de", "web:taschen-paradies-shop.com", "etsy:bagseuropa", "shopify:borsabella"}),
    frozenset({"amazon:A1GT3W8K5P2RZX", "ebay:prestige.timepieces", "dhgate:20987654"}),
    frozenset({"temu:635512349876", "wish:5e8f1a2b3c4d5e6f7a8b9c0d"}),
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('cli')}/demo.db"
    first = run_cli("ingest", str(EXAMPLE_CASE), store=url)
    return url, first


def test_ingest_prints_a_summary_and_exits_zero(demo):
    _, first = demo
    assert first.returncode == 0, first.stderr
    assert "Ingest summary" in first.stdout
    assert "1 files: 1 ingested, 0 unchanged, 0 rejected; 36 records" in first.stdout
    assert "columns kept as properties: Notes" in first.stdout
    assert "values kept unparsed" in first.stdout


def test_ingesting_again_is_a_no_op(demo):
    url, _ = demo
    again = run_cli("ingest", str(EXAMPLE_CASE), store=url)
    assert again.returncode == 0
    assert "1 files: 0 ingested, 1 unchanged, 0 rejected" in again.stdout


def test_stats_counts_by_type(demo):
    url, _ = demo
    out = run_cli("stats", store=url).stdout
    assert "│ Storefront     │    36 │" in out
    assert "1 sources, 36 records" in out


def test_search_json_finds_an_identifier_written_differently(demo):
    url, _ = demo
    out = run_cli("search", "0086 138 0013 8000", "--json", store=url)
    hits = json.loads(out.stdout)
    assert hits[0] == {"type": "Phone", "key": "+8613800138000", "name": "+86 138 0013 8000",
                       "matched": "+8613800138000", "exact": True}
    names = json.loads(run_cli("search", "sunny home", "--json", "--type", "Storefront", store=url).stdout)
    assert {h["name"] for h in names} == {"Sunny Home Store", "Sunny Home Shop"}


def test_export_entities_csv_has_every_node(demo, tmp_path):
    url, _ = demo
    out = tmp_path / "entities.csv"
    res = run_cli("export", "entities", "--format", "csv", "-o", str(out), store=url)
    assert res.returncode == 0, res.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {"type", "key", "name", "value"} <= set(rows[0])
    stores = {r["key"]: r for r in rows if r["type"] == "Storefront"}
    assert len(stores) == 36
    assert stores["amazon:A1HX7Q2M9ZK3LP"]["name"] == "HuaXin Direct"
    emails = {r["value"] for r in rows if r["type"] == "Email"}
    assert "service@huaxin-direct.com" in emails
    assert json.loads(stores["aliexpress:1107778889"]["extra"]) == {
        "extra:Notes": ["Reappeared after takedown of 'Dragon Gears'"]}


def test_resolve_groups_the_known_operators(demo, tmp_path):
    url, _ = demo
    res = run_cli("resolve", store=url)
    assert res.returncode == 0, res.stderr
    assert "5 operators over 21 storefronts (of 36); 21 links accepted, 0 to review" in res.stdout
    out = tmp_path / "ops.jsonl"
    run_cli("export", "entities", "--format", "jsonl", "--type", "Operator", "-o", str(out), store=url)
    ops = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(ops) == 5
    from graph.records import NodeRef
    from graph.store import open_store

    with open_store(url) as store:
        got = {frozenset(n.key for e, n in store.neighbours(NodeRef("Operator", op["key"]), ["CONTROLS"]))
               for op in ops}
    assert got == EXPECTED_OPERATORS
    assert "Review queue (0 links)" in run_cli("review", store=url).stdout
    rerun = run_cli("resolve", store=url)
    assert "nothing new since the last run: its 5 operators stand" in rerun.stdout
    full = run_cli("resolve", "--full", store=url)
    assert full.stdout.count("op-") == res.stdout.count("op-")  # the same operators, not twice as many


@pytest.mark.parametrize("args,message", [
    (["ingest", "no/such/folder"], "Error: no/such/folder: no such file or directory"),
    (["ingest", "x.csv", "--map", "Store"], "Error: --map 'Store': expected \"Column Name=field\""),
    (["search", "x", "--type", "Wallet"], "Error: unknown node type 'Wallet'"),
    (["--store", "postgres://db/case", "stats"], "Error: unknown store URL scheme 'postgres'"),
])
def test_user_mistakes_print_one_error_line_and_exit_1(args, message):
    res = run_cli(*args)
    assert res.returncode == 1
    assert res.stderr.startswith(message), res.stderr
    assert "Traceback" not in res.stderr and len(res.stderr.strip().splitlines()) == 1


def test_a_file_that_is_not_a_store_is_refused(tmp_path):
    bogus = tmp_path / "case.db"
    bogus.write_text("this is not a database")
    res = run_cli("stats", store=f"sqlite:///{bogus}")
    assert res.returncode == 1
    assert res.stderr.startswith(f"Error: cannot open store {bogus}: file is not a database")


def test_rejected_files_are_listed_and_change_the_exit_status(tmp_path):
    url = f"sqlite:///{tmp_path}/case.db"
    res = run_cli("ingest", str(FIXTURES / "ingest" / "garbage.csv"), str(FIXTURES / "ingest" / "seller_table.csv"),
                  store=url)
    assert res.returncode == 3
    assert res.stderr == f"Error: {FIXTURES / 'ingest' / 'garbage.csv'}: byte 0: binary data, not a text table\n"
    assert "2 files: 1 ingested, 0 unchanged, 1 rejected" in res.stdout


def test_a_file_of_unknown_format_is_one_error_line(tmp_path):
    photo = tmp_path / "storefront.heic"
    photo.write_bytes(b"\x00\x00\x00\x18ftypheic" + bytes(64))
    res = run_cli("ingest", str(photo), store=f"sqlite:///{tmp_path}/case.db")
    assert res.returncode == 3
    assert res.stderr.startswith(f"Error: {photo}: unknown format (not one of: ")
    assert len(res.stderr.splitlines()) == 1


def test_retract_removes_a_source(tmp_path):
    url = f"sqlite:///{tmp_path}/case.db"
    run_cli("ingest", str(FIXTURES / "ingest" / "seller_table.csv"), store=url)
    from ingest.run import sha256_of

    sha = sha256_of(FIXTURES / "ingest" / "seller_table.csv")
    res = run_cli("retract", sha[:10], store=url)
    assert res.returncode == 0, res.stderr
    assert "nodes" in res.stdout
    assert "0 sources, 0 records" in run_cli("stats", store=url).stdout


def test_dashboard_refuses_other_addresses_without_authentication():
    res = run_cli("dashboard", "--address", "0.0.0.0")
    assert res.returncode == 1
    assert res.stderr.startswith("Error: serving on 0.0.0.0 needs authentication")


def test_sources_lists_documents_with_their_hash(demo):
    url, _ = demo
    out = run_cli("sources", store=url).stdout
    from ingest.run import sha256_of

    assert sha256_of(EXAMPLE_CASE / "schedule_a_sellers.csv")[:12] in out
    assert "seller-table-csv" in out


def _console_script() -> str:
    import sys
    from pathlib import Path

    return str(Path(sys.executable).with_name("infringer-graph"))


def test_installed_console_script_works_outside_the_checkout(tmp_path):
    import subprocess

    res = subprocess.run([_console_script(), "--store", f"sqlite:///{tmp_path}/x.db", "ingest",
                          str(EXAMPLE_CASE)], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert res.returncode == 0, res.stderr
    assert "36 records" in res.stdout


def test_dashboard_command_serves_streamlit_on_loopback(demo, tmp_path):
    import socket
    import subprocess

    url, _ = demo
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([_console_script(), "--store", url, "dashboard", "--port", str(port)], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert_serves_health(proc, port)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_quarantine_lists_rejected_files_and_retry_ingests_them_once_fixed(tmp_path):
    url = f"sqlite:///{tmp_path}/case.db"
    table = tmp_path / "lieferanten.csv"
    table.write_text("Artikel,Verkäuferseite\nSchal,https://www.etsy.com/shop/SchalParadies\n", encoding="utf-8")
    assert run_cli("ingest", str(table), store=url).returncode == 3
    listing = run_cli("quarantine", store=url).stdout
    assert "lieferanten.csv" in listing and "no column is a known seller field" in listing
    shown = run_cli("quarantine", "show", "1", store=url).stdout
    assert "Artikel,Verkäuferseite" in shown
    retried = run_cli("quarantine", "retry", "1", "--map", "Verkäuferseite=url", store=url)
    assert retried.returncode == 0, retried.stderr
    assert "1 files: 1 ingested" in retried.stdout
    assert "Quarantine is empty." in run_cli("quarantine", store=url).stdout
    assert json.loads(run_cli("search", "etsy:schalparadies", "--json", store=url).stdout)[0]["exact"] is True


def test_unparsed_lists_values_with_reason_and_place(demo):
    url, _ = demo
    out = run_cli("unparsed", store=url).stdout
    assert "GB00 WEST 1234 5698 7654 32" in out and "checksum" in out and "row 35" in out


def test_reparse_needs_a_choice_and_rederives_every_source(tmp_path):
    url = f"sqlite:///{tmp_path}/case.db"
    run_cli("ingest", str(EXAMPLE_CASE), store=url)
    refused = run_cli("reparse", store=url)
    assert refused.returncode == 1 and refused.stderr.startswith("Error: name Sources by sha256")
    res = run_cli("reparse", "--all", store=url)
    assert res.returncode == 0, res.stderr
    assert "1 files: 1 ingested" in res.stdout
    assert "36 records" in run_cli("stats", store=url).stdout
