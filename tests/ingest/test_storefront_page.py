"""Saved storefront pages (HTML, MHTML): marketplace seller profiles, web shops, hostile pages."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from graph.records import NodeRef, Record
from ingest.base import ParseContext, Unreadable, detect
from ingest.errors import ParseError
from ingest.html_text import css_path, decode_html, flatten, parse_html, text_lines
from ingest.run import ingest_file
from ingest.storefront_page import StorefrontPageHTML, StorefrontPageMHTML, parse_date
from tests.conftest import FIXTURES

PAGES = FIXTURES / "ingest" / "storefront"
_CACHE: dict[str, tuple] = {}


def _parse_bytes(data: bytes, name: str = "page.html"):
    cls = StorefrontPageMHTML if name.endswith((".mht", ".mhtml")) else StorefrontPageHTML
    ctx = ParseContext(path=name)
    items = list(cls().parse(io.BufferedReader(io.BytesIO(data)), ctx))
    records = [i for i in items if isinstance(i, Record)]
    return records, [i for i in items if isinstance(i, Unreadable)], ctx


def _parse(name: str):
    """(records, unreadable parts, context) of a fixture, parsed once per test session."""
    if name not in _CACHE:
        _CACHE[name] = _parse_bytes((PAGES / name).read_bytes(), name)
    return _CACHE[name]


def _values(record: Record) -> dict[str, list[str]]:
    """field (or "(column)" for an extra property) -> raw values, in page order."""
    out: dict[str, list[str]] = {}
    for v in record.values:
        out.setdefault(v.field or f"({v.column})", []).append(v.raw)
    return out


def _locator(record: Record, field: str, raw: str) -> str:
    return next(v.locator for v in record.values if (v.field or f"({v.column})") == field and v.raw == raw)


def test_amazon_detailed_seller_information():
    records, unreadable, ctx = _parse("amazon_seller_profile.html")
    assert len(records) == 1 and not unreadable
    got = _values(records[0])
    assert got == {
        "url": ["https://www.amazon.com/sp?ie=UTF8&seller=A2KWEXAMPLE07&isAmazonFulfilled=1"],
        "marketplace": ["amazon"],
        "company": ["Shenzhen Kewei Zhichuang Technology Co., Ltd."],
        "address": ["Room 1608, Block B, Xinghe Century Building, Longhua District, Shenzhen, Guangdong, 518109, CN"],
        "(Trade Register Number)": ["91440300MA5GKW0X7Q"],
        "phone": ["+86 755 2345 6789"],
        "email": ["kitchenwiz.cs@outlook.com"],
        "listing_url": ["https://www.amazon.com/KitchenWiz-Stainless-Garlic-Press-Rocker/dp/B0KWGARL1C/ref=sr_1_1"
                        "?me=A2KWEXAMPLE07", "https://www.amazon.com/dp/B0KWPEEL2R?smid=A2KWEXAMPLE07"],
        "name": ["KitchenWiz Direct"],
        "country": ["CN"],
    }
    box = "css html>body>div#a-page>div#seller-profile-container>div#page-section-detail-seller-info:nth-of-type(3)>div"
    record = records[0]
    assert _locator(record, "company", got["company"][0]) == f"{box}>div:nth-of-type(1)"
    assert _locator(record, "address", got["address"][0]) == \
        f"{box}>div:nth-of-type(2), text 'Business Address' + 6 lines"
    assert _locator(record, "url", got["url"][0]) == "comment 'saved from url'"
    assert record.locator == "comment 'saved from url'"
    assert ctx.notes == ["encoding utf-8"] and ctx.captured_at is None


def test_ebay_business_seller_information_is_read_from_unlabelled_lines():
    (record,), _, _ = _parse("ebay_seller.html")
    got = _values(record)
    assert got["url"] == ["https://www.ebay.com/usr/kitchenwiz_outlet"]  # from <link rel="canonical">
    assert _locator(record, "url", got["url"][0]) == "css html>head>link:nth-of-type(1)@href"
    assert got["company"] == ["Kewei Trading Limited"]  # not "eBay Inc." from the footer's copyright
    assert got["(contact name)"] == ["Chan Tai Man"]
    assert got["address"] == ["Flat 12, 8/F, Wing Fat Industrial Building, 12 Wang Tai Road, Kowloon Bay, Hong Kong"]
    assert got["phone"] == ["+852 2345 6789"] and got["email"] == ["sales@kewei-trading.hk"]
    assert got["(VAT number)"] == ["HK-EXEMPT"] and got["country"] == ["HK"]
    assert got["name"] == ["KitchenWiz Outlet"]
    assert got["listing_url"] == ["https://www.ebay.com/itm/296512345678?hash=item45094b1a4e",
                                  "https://www.ebay.com/itm/KitchenWiz-Y-Peeler-3-pack/296598765432"]
    assert _locator(record, "phone", "+852 2345 6789") == \
        "css html>body>main#mainContent>section:nth-of-type(3)>div:nth-of-type(2)>div, line 6"


def test_aliexpress_store_info_in_gbk_with_business_licence_table():
    (record,), _, ctx = _parse("aliexpress_store_info.html")
    got = _values(record)
    assert ctx.notes == ["encoding gb18030"]
    assert got["seller_id"] == ["1103456789"]
    assert got["company"] == ["Yiwu Jiale Household Products Co., Ltd.", "义乌市佳乐日用品有限公司"]
    assert got["(统一社会信用代码)"] == ["91330782MA2EXAMPL1"]  # a full-width colon ends the label
    assert got["address"] == ["No. 88 Chouzhou North Road, Futian Street, Yiwu, Zhejiang, China"]
    assert got["(Legal Representative)"] == ["Wang Jianguo"]
    assert got["(Registration Authority)"] == ["义乌市市场监督管理局"]
    assert got["(Location)"] == ["Zhejiang, China"]  # not a country: kept, not a hint
    assert got["(Open since)"] == ["Mar 12, 2020"] and got["country"] == ["CN"]
    assert got["name"] == ["Yiwu Jiale Kitchen Store"]  # from the title, without AliExpress's boilerplate
    assert _locator(record, "seller_id", "1103456789") == \
        "css html>body>div#bd:nth-of-type(2)>table:nth-of-type(1)>tbody>tr:nth-of-type(1)"


def test_temu_definition_list_labels_without_colons():
    (record,), _, _ = _parse("temu_store.html")
    got = _values(record)
    assert got["company"] == ["Guangzhou Jiale Trading Co., Ltd."]
    assert got["address"] == [
        "Room 301, No. 15 Huangpu Avenue West, Tianhe District, Guangzhou, Guangdong 510630, China"]
    assert got["email"] == ["jiale.trade@163.com"] and got["phone"] == ["+86 20 3888 1234"]
    assert "(Opening hours)" not in got and not any("Mon-Fri" in raw for raws in got.values() for raw in raws)
    assert _locator(record, "address", got["address"][0]) == \
        "css html>body>div#main:nth-of-type(1)>div:nth-of-type(2)>dl>dt:nth-of-type(2), " \
        "text 'Business address' + 3 lines"
    assert got["listing_url"] == [
        "https://www.temu.com/kitchenwiz-garlic-press-rocker-g-601099512345678.html?refer_page_name=mall",
        "https://www.temu.com/kitchenwiz-y-peeler-3pcs-g-601099587654321.html"]


def test_walmart_singlefile_capture_date_and_br_separated_address():
    (record,), _, ctx = _parse("walmart_seller.html")
    got = _values(record)
    assert ctx.captured_at == "2026-09-15T13:41:27+00:00"  # "GMT-0400" in the SingleFile header
    assert got["url"] == ["https://www.walmart.com/seller/101234567?itemId=5012345678&pageName=item"]
    assert got["company"] == ["KitchenWiz Home Goods LLC"]
    assert got["address"] == ["1250 Commerce Pkwy, Suite 300, Ontario, CA 91761, United States"]
    assert got["return_address"] == ["KitchenWiz Returns, 4400 E Francis St, Ontario, CA 91761"]
    assert got["phone"] == ["(909) 555-0143", "+19095550143"] and got["email"] == ["support@kitchenwizhome.com"]


def test_web_shop_contact_page_footer_payments_and_tag_ids():
    records, unreadable, _ = _parse("shop_contact.html")
    main, returns = records
    got = _values(main)
    assert got["analytics_id"] == ["GTM-KW7X3PQ", "G-KW4N8T2Z9D", "UA-123456789-1", "AW-987654321"]
    # script and <noscript> pixel: once
    assert got["pixel_id"] == ["fbpixel:812345678901234", "ttpixel:CKW9EXAMPLE3PIXEL7Q0"]
    assert got["stripe"] == ["acct_1OkW9zEXAMPLE42"] and got["paypal"] == ["https://paypal.me/KitchenWizShop"]
    assert got["website"] == ["https://kitchenwiz-outlet.com", "https://www.kitchenwiz-shop.de/pages/kontakt",
                              "https://kitchenwiz-outlet.com/"]
    assert got["company"] == ["Shenzhen Kewei Zhichuang Technology Co., Ltd."]  # footer, JSON-LD and © agree
    assert got["email"] == ["support@kitchenwiz-shop.com"]
    assert got["phone"] == ["+86 138 0013 8000", "+86 755 2345 6789", "+8613800138000", "+8675523456789"]
    assert got["listing_url"] == [
        "https://www.kitchenwiz-shop.com/collections/garlic-tools/products/garlic-press-rocker",
        "https://www.kitchenwiz-shop.com/products/y-peeler-3-pack?variant=44123456789"]
    assert got["(payment methods)"] == ["Visa, Mastercard, PayPal, Apple Pay"]
    assert got["(marketplace link)"] == ["https://www.amazon.com/s?me=A2KWEXAMPLE07",
                                         "https://www.ebay.com/str/kitchenwizoutlet"]
    assert got["name"] == ["KitchenWiz"] and got["country"] == ["CN"]
    everything = " ".join(raw for raws in got.values() for raw in raws)
    assert "textarea-decoy" not in everything and "Comment" not in everything  # form fields are not values
    assert _locator(main, "analytics_id", "GTM-KW7X3PQ") == "css html>head>script:nth-of-type(1)"
    # a returns address in another country than the shop's is a record of its own, with its own country
    assert _values(returns) == {
        "url": got["url"], "marketplace": ["web"], "country": ["US"],
        "return_address": ["KitchenWiz Returns Center, 2150 E Francis St, Ontario, CA 91761, USA"]}
    (broken,) = unreadable
    assert broken.locator == "css html>head>script:nth-of-type(7) JSON-LD"
    assert broken.reason == \
        "invalid JSON-LD (Expecting property name enclosed in double quotes: line 1 column 72 (char 71))"


def test_mhtml_capture_of_an_imprint():
    (record,), _, ctx = _parse("shop_capture.mhtml")
    got = _values(record)
    assert ctx.captured_at == "2026-09-14T08:22:31+00:00"
    assert got["url"] == ["https://kitchenwiz-outlet.com/pages/impressum"]
    assert record.locator == "MHTML header Snapshot-Content-Location"
    assert got["company"] == ["Kewei Europe GmbH"] and got["address"] == ["Musterstraße 12, 10115 Berlin, Deutschland"]
    assert got["email"] == ["info@kitchenwiz-outlet.com"]  # written "info(at)kitchenwiz-outlet.com"
    assert got["phone"] == ["+49 30 12345678"] and got["country"] == ["DE"]
    assert got["(USt-IdNr.)"] == ["DE329876543"] and got["(Registernummer)"] == ["HRB 212345 B"]
    assert got["(Vertreten durch)"] == ["Li Wei (Geschäftsführer)"]
    assert got["analytics_id"] == ["GTM-KW7X3PQ"] and got["paypal"] == ["https://paypal.me/KeweiEurope"]
    assert got["(payment methods)"] == ["PayPal, Klarna"] and got["name"] == ["KitchenWiz Outlet"]
    assert _locator(record, "analytics_id", "GTM-KW7X3PQ") == "css html>head>script@src"


def test_hostile_page_gives_plain_text_and_ignores_decoys():
    data = (PAGES / "hostile_page.html").read_bytes()
    assert len(data) > 2_000_000 and b"\n" not in data
    (record,), _, ctx = _parse("hostile_page.html")
    got = _values(record)
    assert got["name"] == ["<img src=x onerror=alert(1)>"]  # the seller's name is text, not markup
    assert got["company"] == ["Hostile Example Trading Ltd"]  # after 3,000 nested elements
    assert got["address"] == ["Unit 4, Café Court, 21 Example Road, Leeds, LS1 4AP, GB"]  # windows-1252
    assert got["email"] == ["hostile.seller@example.net"]
    assert "Decoy" not in repr(record) and "decoy@" not in repr(record)  # scripts, noscript, template, srcdoc
    assert ctx.notes == ["encoding cp1252",
                         "nested more than 512 elements deep: the tags past that depth dropped, text kept"]


@pytest.mark.parametrize("data,encoding", [
    ("\ufeff<p>Business Name: Müller Küchen GmbH</p>".encode("utf-8"), "utf-8-sig"),
    ("\ufeff<p>Business Name: Müller Küchen GmbH</p>".encode("utf-16"), "utf-16"),
    ('<meta charset="GBK"><p>Business Name: 义乌乐家有限公司</p>'.encode("gb18030"), "gb18030"),
    ('<?xml version="1.0" encoding="Shift_JIS"?><html><p>Business Name: 株式会社テスト</p></html>'.encode("cp932"),
     "cp932"),
    ('<meta http-equiv="Content-Type" content="text/html; charset=windows-1251"><p>Business Name: ООО Тест</p>'
     .encode("cp1251"), "cp1251"),
    ('<meta charset="iso-8859-1"><p>Business Name: Müller Küchen GmbH</p>'.encode("utf-8"), "utf-8"),
    ("<p>Business Name: Müller Küchen GmbH</p>".encode("cp1252"), "cp1252"),
])
def test_charsets_from_bom_meta_xml_declaration_or_guess(data, encoding):
    (record,), _, ctx = _parse_bytes(data)
    assert ctx.notes[0] == f"encoding {encoding}"
    assert _values(record)["company"][0] == data.decode(encoding).split("Business Name: ")[1].split("<")[0]


@pytest.mark.parametrize("data", [
    b"<", b"<html", b"<!-- never closed <p>Business Name: Hidden Ltd</p>", b"<script>var a='<p>Email: a@b.com</p>'",
    b"<html><body>" + b"<div>" * 20_000 + b"<p>Business Name: Deep Co., Ltd.</p>",
    b"<html>" + b"</div>" * 10_000 + b"<p>Phone: +1 202 555 0100</p>",
    b'<meta charset="zlib"><p>Business Name: Codec Ltd</p>', b'<meta charset="utf-7"><p>Email: +ADw-a@b.com</p>',
    b"<p title='" + b"a" * 3_000_000 + b"'>Email: a@b.com</p>",
    b'<script type="application/ld+json">' + b"[" * 100_000 + b"</script><p>Phone: +1 202 555 0100</p>",
    b"<a href='http://[::1'>x</a><a href='mailto:%ZZ'>y</a><a href='tel:'>z</a><a href='https://paypal.me/'>p</a>",
    b"<dl>" + b"<dt>Email</dt><dd>x</dd>" * 3000 + b"</dl>", b"<!doctype html>" + b"<!--" * 20_000,
    b"<p>\xc3\x28\xe2\x82 Business Name: Bytes Ltd</p>",
    b"<base href='javascript:alert(1)'><a href='/products/x'>x</a>",
])
def test_broken_and_hostile_markup_never_crashes(data):
    try:
        records, _, _ = _parse_bytes(data)
    except ParseError as exc:
        assert str(exc).startswith("page.html: ")
    else:
        assert records and all(isinstance(v.raw, str) and isinstance(v.locator, str) for v in records[0].values)


def test_content_after_deep_nesting_is_kept():
    (record,), _, ctx = _parse_bytes(b"<html><body>" + b"<div>" * 20_000 + b"<p>Business Name: Deep Co., Ltd.</p>")
    assert _values(record)["company"] == ["Deep Co., Ltd."]
    assert ctx.notes[1] == "nested more than 512 elements deep: the tags past that depth dropped, text kept"
    assert all(">…(" in v.locator for v in record.values if v.field == "company")  # the path's middle elided


@pytest.mark.parametrize("data,name,message", [
    (b"", "page.html", "page.html: byte 0: empty document"),
    (b"\x00\x01\x02PK\x03\x04" * 100, "page.html", "page.html: byte 0: binary data, not an HTML page"),
    (b"<html><body><div></div></body></html>", "page.html",
     "page.html: no storefront details found (no page URL, name, seller id, contact, payment or analytics details)"),
    (b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=b\r\n\r\n--b\r\nContent-Type: image/png\r\n"
     b"\r\nxx\r\n--b--\r\n", "page.mhtml", "page.mhtml: MHTML: no text/html part"),
])
def test_unreadable_documents_fail_with_file_and_place(data, name, message):
    with pytest.raises(ParseError) as exc:
        _parse_bytes(data, name)
    assert str(exc.value) == message


def test_detection_scores_clear_seller_pages_high_and_other_html_moderately():
    head = (PAGES / "amazon_seller_profile.html").read_bytes()
    assert detect("amazon_seller_profile.html", head) is StorefrontPageHTML
    assert StorefrontPageHTML.sniff("a.html", head) == 90  # saved from a marketplace seller URL
    assert StorefrontPageHTML.sniff("shop.html", (PAGES / "shop_contact.html").read_bytes()) == 60
    assert StorefrontPageHTML.sniff("page.html", b"<!DOCTYPE html><html><body><p>Hello</p></body></html>") == 55
    assert StorefrontPageHTML.sniff("page", b"<html><body><h2>Detailed Seller Information</h2>") == 85
    assert StorefrontPageHTML.sniff("exhibit.html", b"<html><body><h1>Schedule A</h1><table><tr><td>Defendant")\
        == 40
    assert StorefrontPageHTML.sniff("make.py", b'PAGE = """<!DOCTYPE html><html>"""') == 0  # source quoting HTML
    mhtml = (PAGES / "shop_capture.mhtml").read_bytes()
    assert detect("capture.mhtml", mhtml) is StorefrontPageMHTML and StorefrontPageHTML.sniff("x.mhtml", mhtml) == 0
    assert StorefrontPageMHTML.sniff("mail.eml", b"Content-Type: multipart/mixed; boundary=x\r\n\r\n") == 0


def test_css_paths_lines_and_flattening():
    root, _ = parse_html("<html><body><div id='seller-info'><table><tr><td>a</td></tr><tr><th>Phone</th>"
                         "<td>1<br>2</td></tr></table></div><p>x</p><p>y</p></body></html>")
    lines = text_lines(root)
    assert [(x.text, x.locator(), x.cells) for x in lines] == [
        ("a", "css html>body>div#seller-info>table>tr:nth-of-type(1)", []),
        ("Phone 1", "css html>body>div#seller-info>table>tr:nth-of-type(2)", ["Phone", "1"]),
        ("2", "css html>body>div#seller-info>table>tr:nth-of-type(2), line 2", []),
        ("x", "css html>body>p:nth-of-type(1)", []), ("y", "css html>body>p:nth-of-type(2)", [])]
    assert css_path(root) == "html"
    flat = flatten("<div><div><div>text</div></div></div><script>'<div>'</script><p>after</p>", 2)
    assert flat == "<div><div>text</div></div><script>'<div>'</script><p>after</p>"


def test_decoding_and_dates():
    assert decode_html(b'<meta charset="x-unknown-charset"><p>a</p>')[2] == ["unknown charset 'x-unknown-charset'"]
    assert decode_html("<p>é</p>".encode("utf-8"), "iso-8859-1")[1] == "utf-8"  # MIME label on UTF-8 bytes
    assert parse_date("Mon, 14 Sep 2026 10:22:31 +0200") == "2026-09-14T08:22:31+00:00"
    assert parse_date("Thu Sep 10 2026 14:33:07 GMT+0530 (India Standard Time)") == "2026-09-10T09:03:07+00:00"
    assert parse_date("2026-09-14T10:00:00Z") == "2026-09-14T10:00:00+00:00"
    assert parse_date("Feb 31 2026 10:00:00 GMT+0000") is None and parse_date("soon") is None


def test_end_to_end_seller_links_across_marketplace_and_web_shop(sqlite_store):
    for name in ("amazon_seller_profile.html", "shop_contact.html", "shop_capture.mhtml"):
        result = ingest_file(sqlite_store, PAGES / name)
        assert result.status == "ingested", (name, result.reason)
    amazon = NodeRef("Storefront", "amazon:A2KWEXAMPLE07")
    assert sqlite_store.get_node(amazon).name == "KitchenWiz Direct"
    edges = {(e.type, n.key) for e, n in sqlite_store.neighbours(amazon)}
    seller = "SHENZHEN KEWEI ZHICHUANG TECHNOLOGY CO LTD|CN"
    assert {("OPERATED_BY", seller),
            ("LOCATED_AT", "CN|RM 1608 BLK B XINGHE CENTURY BLDG LONGHUA DIST SHENZHEN GUANGDONG 518109"),
            ("USES_PHONE", "+8675523456789"), ("USES_EMAIL", "kitchenwiz.cs@outlook.com"),
            ("LISTS", "amazon:B0KWGARL1C"), ("LISTS", "amazon:B0KWPEEL2R")} == edges
    shop = NodeRef("Storefront", "web:kitchenwiz-shop.com")
    shop_edges = {(e.type, n.key) for e, n in sqlite_store.neighbours(shop)}
    assert {("OPERATED_BY", seller), ("USES_INFRASTRUCTURE", "gtm:GTM-KW7X3PQ"),
            ("USES_INFRASTRUCTURE", "ga4:G-KW4N8T2Z9D"), ("USES_INFRASTRUCTURE", "ga:UA-123456789"),
            ("USES_INFRASTRUCTURE", "gads:AW-987654321"), ("PAID_TO", "paypal:me/kitchenwizshop"),
            ("PAID_TO", "stripe:acct_1OkW9zEXAMPLE42"), ("USES_DOMAIN", "kitchenwiz-outlet.com"),
            ("USES_DOMAIN", "kitchenwiz-shop.de"), ("USES_DOMAIN", "kitchenwiz-shop.com"),
            ("USES_PHONE", "+8613800138000"), ("USES_EMAIL", "support@kitchenwiz-shop.com"),
            ("SHIPS_FROM", "US|KITCHENWIZ RETURNS CTR 2150 E FRANCIS ST ONTARIO CA 91761")} <= shop_edges
    # the Amazon storefront and the web shop share their operator; the two web shops share a GTM container
    operated = {n.key for e, n in sqlite_store.neighbours(NodeRef("Seller", seller))}
    assert {"amazon:A2KWEXAMPLE07", "web:kitchenwiz-shop.com"} <= operated
    gtm = {n.key for e, n in sqlite_store.neighbours(NodeRef("Infrastructure", "gtm:GTM-KW7X3PQ"))}
    assert gtm == {"web:kitchenwiz-shop.com", "web:kitchenwiz-outlet.com"}
    props = sqlite_store.get_node(shop).props
    pixel = {n.key for e, n in sqlite_store.neighbours(NodeRef("Infrastructure", "fbpixel:812345678901234"))}
    assert shop.key in pixel
    assert props["extra:payment methods"] == ["Visa, Mastercard, PayPal, Apple Pay"]
    captured = {Path(s.path).name: s.captured_at for s in sqlite_store.sources()}
    assert captured["shop_capture.mhtml"] == "2026-09-14T08:22:31+00:00"
    unparsed = sqlite_store.unparsed()
    assert [(u["field"], u["locator"]) for u in unparsed] == [
        ("(unreadable)", "css html>head>script:nth-of-type(7) JSON-LD")]
    evidence = sqlite_store.provenance(amazon)
    assert any(ev.locator == "css html>body>div#a-page>div#seller-profile-container>div:nth-of-type(1)>div>"
               "h1#seller-name" and ev.value == "KitchenWiz Direct" for ev in evidence)


def test_end_to_end_every_fixture_and_the_hostile_name_stays_text(sqlite_store, tmp_path):
    expected = {"aliexpress_store_info.html": "aliexpress:1103456789", "ebay_seller.html": "ebay:kitchenwiz_outlet",
                "temu_store.html": "temu:634418210954321", "walmart_seller.html": "walmart:101234567",
                "hostile_page.html": "amazon:A3HOSTILEEXMPL"}
    for name, key in expected.items():
        result = ingest_file(sqlite_store, PAGES / name)
        assert (result.status, result.unparsed) == ("ingested", 0), (name, result.reason)
        assert sqlite_store.get_node(NodeRef("Storefront", key)) is not None
    hostile = sqlite_store.get_node(NodeRef("Storefront", "amazon:A3HOSTILEEXMPL"))
    assert hostile.props["name"] == ["<img src=x onerror=alert(1)>"]
    assert {(e.type, n.key) for e, n in sqlite_store.neighbours(hostile.ref)} >= {
        ("OPERATED_BY", "HOSTILE EXAMPLE TRADING LTD|GB"), ("USES_EMAIL", "hostile.seller@example.net")}
    walmart = sqlite_store.get_node(NodeRef("Storefront", "walmart:101234567"))
    assert {(e.type, n.key) for e, n in sqlite_store.neighbours(walmart.ref)} >= {
        ("OPERATED_BY", "KITCHENWIZ HOME GOODS LLC|US"),
        ("LOCATED_AT", "US|1250 COMMERCE PKWY STE 300 ONTARIO CA 91761"),
        ("USES_PHONE", "+19095550143"), ("LISTS", "walmart:5012345678")}
    again = ingest_file(sqlite_store, PAGES / "temu_store.html")
    assert again.status == "unchanged"
    copy = tmp_path / "temu_store.html"
    copy.write_bytes((PAGES / "temu_store.html").read_bytes() + b"<!-- captured again -->")
    assert ingest_file(sqlite_store, copy).status == "ingested"  # new bytes, a new Source, the same storefront


def test_payment_buttons_checkout_scripts_and_a_seller_id_from_store_links(sqlite_store, tmp_path):
    page = (b'<html><head><title>Amazon.com: KitchenWiz Direct</title>'
            b'<script src="https://www.paypal.com/sdk/js?client-id=AbC1&merchant-id=7XKZ2B9QWERTY"></script></head>'
            b'<body><a href="/s?me=A2KWEXAMPLE07">relative, no page URL</a>'
            b'<a href="https://www.amazon.com/sp?seller=A2KWEXAMPLE07">Seller profile</a>'
            b'<form action="https://www.paypal.com/cgi-bin/webscr" method="post">'
            b'<input type="hidden" name="business" value="sales@kitchenwiz-shop.com"></form>'
            b'<a href="https://buy.stripe.com/8wM5kqEXAMPLE">Pay by card</a></body></html>')
    (record,), _, _ = _parse_bytes(page)
    assert _values(record) == {
        "marketplace": ["amazon"], "paypal": ["sales@kitchenwiz-shop.com", "7XKZ2B9QWERTY"],
        "(stripe payment link)": ["https://buy.stripe.com/8wM5kqEXAMPLE"], "seller_id": ["A2KWEXAMPLE07"],
        "name": ["KitchenWiz Direct"]}
    assert _locator(record, "seller_id", "A2KWEXAMPLE07") == "css html>body>a:nth-of-type(2)@href"
    path = tmp_path / "buttons.html"
    path.write_bytes(page)
    assert ingest_file(sqlite_store, path).status == "ingested"
    paid = {n.key for e, n in sqlite_store.neighbours(NodeRef("Storefront", "amazon:A2KWEXAMPLE07"), ["PAID_TO"])}
    assert paid == {"paypal:sales@kitchenwiz-shop.com", "paypal:7XKZ2B9QWERTY"}


def test_labels_are_reported_like_table_columns():
    _, _, ctx = _parse("amazon_seller_profile.html")
    assert ctx.columns["Business Name"] == "company" and ctx.columns["Customer Services E-mail"] == "email"
    assert ctx.columns["Trade Register Number"] == "(kept as property)"
    assert ctx.columns["product link"] == "listing_url" and ctx.columns["page URL"] == "url"


def test_a_marketplaces_own_email_is_not_the_sellers():
    page = (b"<!-- saved from url=(0046)https://www.amazon.de/sp?seller=A1B2C3D4E5F6G7 -->"
            b"<html><body><p>Business Name: Foo Handels GmbH</p><p>Email: foo.handel@outlook.com</p>"
            b"<footer>Questions? Write to <a href='mailto:cs-reply@amazon.de'>cs-reply@amazon.de</a></footer>"
            b"</body></html>")
    (record,), _, _ = _parse_bytes(page)
    assert _values(record)["email"] == ["foo.handel@outlook.com"]
    assert _values(record)["url"] == ["https://www.amazon.de/sp?seller=A1B2C3D4E5F6G7"]
