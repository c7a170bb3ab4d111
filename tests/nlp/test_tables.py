"""Tables written as text: column headers and Schedule A rows tell what a cell is."""

from __future__ import annotations

from nlp.facts import extraction_facts
from nlp.pipeline import extract, load_pipeline

TABLE = ("Def. No. | Seller Alias | Seller ID | Payment account\n"
         "4 | Harbor Lane Goods | A2HARB0RLN55QX | harborlane.pay@gmail.com\n"
         "5 | 青山户外专营店 | 1109934120 | 2088 4410 7723 0051 (Alipay)\n")
SCHEDULE = "12 | PeakTrail Gear | https://www.dhgate.com/store/21988410 | 21988410\n" \
           "13 | Maple Row Home | https://www.walmart.com/seller/101556002 | 101556002\n"


def _found(text):
    ex = extract(text, nlp=load_pipeline(False))
    return ex, [(m.label, m.text) for m in ex.mentions]


def test_column_headers_label_the_cells():
    _, found = _found(TABLE)
    assert [t for label, t in found if label == "STORE_NAME"] == ["Harbor Lane Goods", "青山户外专营店"]
    assert [t for label, t in found if label == "SELLER_ID"] == ["A2HARB0RLN55QX", "1109934120"]
    assert [t for label, t in found if label == "PAYMENT"] == ["harborlane.pay@gmail.com", "2088 4410 7723 0051"]


def test_headerless_schedule_a_rows():
    _, found = _found(SCHEDULE)
    assert [(label, t) for label, t in found if label in ("STORE_NAME", "SELLER_ID")] == [
        ("STORE_NAME", "PeakTrail Gear"), ("SELLER_ID", "21988410"),
        ("STORE_NAME", "Maple Row Home"), ("SELLER_ID", "101556002")]


def test_a_row_names_one_storefront():
    ex, _ = _found(SCHEDULE)
    facts = extraction_facts(ex)
    names = {(n.node.key, n.value) for n in facts.nodes if n.prop == "name"}
    assert ("dhgate:21988410", "PeakTrail Gear") in names and ("walmart:101556002", "Maple Row Home") in names
