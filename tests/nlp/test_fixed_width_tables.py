"""Fixed-width tables (columns padded with spaces, as PDF-to-text exhibits print them): the header says what each
column holds. Written for these tests; a look-alike (indented prose, misaligned lines) must not become a table."""

from __future__ import annotations

from nlp.pipeline import extract, load_pipeline

EXHIBIT = (
    "SCHEDULE A (excerpt)\n"
    "No.  Store Name               Platform     Seller ID            Store URL\n"
    "1    Crestline Home Deals     eBay         crestline_home77     https://www.ebay.com/usr/crestline_home77\n"
    "2    nordlicht-lampen         Etsy         NordlichtLampenDE    https://www.etsy.com/shop/NordlichtLampenDE\n"
    "3    Velvet Harbor            DHgate       30572291             https://www.dhgate.com/store/30572291\n"
)


def _found(text: str) -> set[tuple[str, str]]:
    ex = extract(text, (), nlp=load_pipeline(False))
    return {(text[m.start:m.end], m.label) for m in ex.mentions}


def test_fixed_width_schedule_a():
    found = _found(EXHIBIT)
    for name in ("Crestline Home Deals", "nordlicht-lampen", "Velvet Harbor"):
        assert (name, "STORE_NAME") in found
    for sid in ("crestline_home77", "NordlichtLampenDE", "30572291"):
        assert (sid, "SELLER_ID") in found
    # the header's words are no store name
    assert not any(label == "STORE_NAME" and "Platform" in span for span, label in found)


def test_indented_prose_is_no_table():
    text = ("Notes from the call\n"
            "Buyer  said  the  parcel  came  late\n"
            "    and   the  box  was  open   on  arrival\n"
            "Nothing  else  to  report  today\n")
    assert not any(label in ("STORE_NAME", "SELLER_ID") for _, label in _found(text))


def test_misaligned_rows_end_the_table():
    text = ("Store Name          Platform     Seller ID\n"
            "Amber Lane Goods    Etsy         AmberLaneGoods\n"
            "Birch & Bloom       Etsy         BirchBloomCo\n"
            "  totals were checked by   the analyst   later\n")
    found = _found(text)
    assert ("AmberLaneGoods", "SELLER_ID") in found and ("BirchBloomCo", "SELLER_ID") in found
    assert not any(label == "SELLER_ID" and span not in ("AmberLaneGoods", "BirchBloomCo") for span, label in found)
