"""Analytics and report commands end to end on the example case (real subprocesses, a real SQLite file)."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from graph.store import open_store
from tests.conftest import EXAMPLE_CASE, judge_example_case, run_cli


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('cli-reports')}/demo.db"
    assert run_cli("ingest", str(EXAMPLE_CASE), store=url).returncode == 0
    with open_store(url) as store:
        judge_example_case(store)
    assert run_cli("resolve", store=url).returncode == 0
    return url


def test_operators_by_scale_table_and_json(demo):
    out = run_cli("operators", "--by", "scale", store=demo)
    assert out.returncode == 0, out.stderr
    assert "Operators by commercial scale" in out.stdout
    assert "4 of 5 operators are commercial-scale candidates" in out.stdout
    ranked = json.loads(run_cli("operators", "--json", store=demo).stdout)
    assert [(p["storefronts"], p["score"], p["candidate"]) for p in ranked] == [
        (7, 32.5, True), (5, 24.5, True), (4, 19.0, True), (3, 16.5, True), (2, 11.0, False)]
    explained = run_cli("operators", "--explain", ranked[1]["operator"], store=demo)
    assert "storefronts controlled: 5 (cap 10) -> 12.5 of 25" in explained.stdout


def test_report_commands_write_files_that_open(demo, tmp_path):
    out = run_cli("report", "defendants", "-o", str(tmp_path / "schedule.xlsx"), "--group-by-operator", store=demo)
    assert out.returncode == 0, out.stderr
    assert "wrote defendants report to" in out.stderr and "19 defendants" in out.stderr
    rows = list(load_workbook(tmp_path / "schedule.xlsx")["Schedule A"].iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in rows[:7]] == ["HuaXin Direct", "Sunny Bloom Shop", "Bloomora", "HX Home Deals",
                                        "Blossom Outlet", "Huaxin Direct Online", "FlowerDeal Store"]
    out = run_cli("report", "restraint", "-o", str(tmp_path / "freeze.xlsx"), "--storefront", "temu:635512349876",
                  "--storefront", "amazon:A1GT3W8K5P2RZX", store=demo)
    assert out.returncode == 0, out.stderr
    wb = load_workbook(tmp_path / "freeze.xlsx")
    assert wb.sheetnames == ["Summary", "Bank GB HBUK", "Amazon (platform)", "Temu (platform)"]
    out = run_cli("report", "joinder", "-o", str(tmp_path / "memo.pdf"), "--all-operators", store=demo)
    assert out.returncode == 0, out.stderr
    assert "shared facts among 21 defendants" in out.stderr
    text = PdfReader(tmp_path / "memo.pdf").pages[0].extract_text()
    assert "Joinder evidence memo" in text and "21 defendants (all operators)" in text
    out = run_cli("report", "service", "-o", str(tmp_path / "service.csv"), "--date", "2026-03-01", store=demo)
    assert out.returncode == 0 and (tmp_path / "service.csv").read_text(encoding="utf-8-sig").startswith(
        "Defendant No.,Seller Alias,Contact,Kind,Role,Via,Sources")
    out = run_cli("report", "dossier", "-o", str(tmp_path / "dossier.html"), "--date", "2026-03-01", store=demo)
    assert out.returncode == 0 and "4 operators" in out.stderr
    assert "2026-03-01" in (tmp_path / "dossier.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("args, message", [
    (("report", "joinder", "-o", "{tmp}/memo.docx"), "Error: {tmp}/memo.docx: cannot tell the format; use a file "
                                                     "name ending in .html or .pdf (or --format)"),
    (("report", "dossier", "-o", "{tmp}/d.html", "--operator", "op-nobody"), "Error: no operator 'op-nobody'"),
    (("path", "Storefront:ebay:sunnybloom_shop", "Nothing:x"), "Error: unknown node type 'Nothing'"),
    (("export", "graphml", "-o", "-"), "Error: export graphml writes files: give -o PATH"),
])
def test_user_mistakes_are_one_line_errors(demo, tmp_path, args, message):
    out = run_cli(*(a.format(tmp=tmp_path) for a in args), store=demo)
    assert out.returncode == 1
    assert out.stderr.strip().startswith(message.format(tmp=tmp_path)) and "Traceback" not in out.stderr


def test_path_communities_jurisdictions_and_exports(demo, tmp_path):
    out = run_cli("path", "Storefront:ebay:sunnybloom_shop", "Storefront:temu:634418212233", store=demo)
    assert "(2 hops)" in out.stdout and "Phone:+8613800138000" in out.stdout
    out = run_cli("neighbourhood", "Storefront:amazon:A3JL5R8T2W6YQN", "--type", "Storefront", store=demo)
    assert "5 nodes" in out.stdout
    assert run_cli("communities", store=demo).returncode == 0
    out = run_cli("jurisdictions", store=demo)
    assert "│ NL      │ bank" in out.stdout
    for what, name in (("ftm", "entities.ftm.json"), ("graphml", "graph.graphml"), ("neo4j-csv", "neo4j")):
        out = run_cli("export", what, "-o", str(tmp_path / name), store=demo)
        assert out.returncode == 0, out.stderr
        assert (tmp_path / name).exists()
    assert (tmp_path / "neo4j" / "nodes_Storefront.csv").read_text(encoding="utf-8").count("\n") == 37
