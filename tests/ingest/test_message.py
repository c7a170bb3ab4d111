"""E-mail messages and notes: addresses, dates, bodies, attachments, sloppy and hostile mail."""

from __future__ import annotations

import io
import shutil
import tracemalloc
from email.message import EmailMessage

import pytest

from graph.records import NodeRef, Record, Value
from ingest.base import Embedded, FreeText, ParseContext, Unreadable, detect
from ingest.errors import ParseError
from ingest import message, message_headers, message_parts
from ingest.message import MailMessage
from ingest.message_parts import html_to_text
from ingest.notes import MarkdownNote, PlainTextNote
from ingest.parts import safe_name, unique_name
from ingest.run import flatten, ingest_file
from ingest.seller_table import SellerTableCSV
from tests.conftest import FIXTURES

MESSAGES = FIXTURES / "ingest" / "messages"


def _parse(parser, data: bytes, path: str = "mail.eml"):
    ctx = ParseContext(path=path)
    items = list(parser().parse(io.BufferedReader(io.BytesIO(data)), ctx))
    return items, ctx


def _kinds(items):
    records = [i for i in items if isinstance(i, Record)]
    embedded = {i.name: i for i in items if isinstance(i, Embedded)}
    unreadable = [i for i in items if isinstance(i, Unreadable)]
    return records, embedded, unreadable


def test_customer_service_mail_gives_its_addresses_date_body_and_attachment():
    items, ctx = _parse(MailMessage, (MESSAGES / "seller_cs_with_table.eml").read_bytes())
    records, embedded, unreadable = _kinds(items)
    assert records == [
        Record("Email", "header From", (Value("email", "support@kitchenwizard-pro.com", "header From"),
                                        Value(None, "Kitchen Wizard Customer Service", "header From",
                                              "display name (From)"))),
        Record("Email", "header Reply-To", (Value("email", "kw.refunds@outlook.com", "header Reply-To"),
                                            Value(None, "KW 售后 Refunds", "header Reply-To",
                                                  "display name (Reply-To)"))),
        Record("Email", "header To", (Value("email", "dana.testbuy@example.org", "header To"),
                                      Value(None, "Dana Whitfield", "header To", "display name (To)"))),
        Record("Email", "header Cc", (Value("email", "kw.logistics@163.com", "header Cc"),)),
    ]
    assert unreadable == []
    assert ctx.captured_at == "2026-09-14T01:31:07+00:00"  # Mon, 14 Sep 2026 09:31:07 +0800
    assert list(embedded) == ["body.txt", "sellers.csv"]
    body = embedded["body.txt"].read().decode("utf-8")
    assert body.startswith("Subject: Re: Order #KW-20260911-0412 – refund and wholesale list\n\nDear Dana,\n")
    assert "kw.refunds@outlook.com (not this address) or WhatsApp +86 138 0013 8000.\n" in body
    assert body.endswith("Kitchen Wizard Pro · 深圳市宝安区西乡街道宝源路168号\n")
    assert "<p>" not in body  # the text/plain alternative, not the HTML one
    sellers = embedded["sellers.csv"]
    assert sellers.locator == "attachment 1 (sellers.csv)"
    assert sellers.read().decode("utf-8").startswith("Seller Name,Store URL,Platform,")
    assert ctx.notes == ["Reply-To on another domain (outlook.com) than From (kitchenwizard-pro.com)",
                         "subject 'Re: Order #KW-20260911-0412 – refund and wholesale list'",
                         "body from text/plain", "1 attachment"]


def test_html_only_mail_in_gb18030_becomes_text_without_scripts_and_with_link_targets():
    items, ctx = _parse(MailMessage, (MESSAGES / "html_only_gb18030.eml").read_bytes())
    records, embedded, _ = _kinds(items)
    # labelled GB2312 but written in GBK (艦 is not in GB2312): read as GB18030
    assert records[0].values[1] == Value(None, "好运来家居旗艦店", "header From", "display name (From)")
    assert ctx.captured_at == "2026-09-15T02:02:44+00:00"
    body = embedded["body.txt"].read().decode("utf-8")
    assert body.splitlines() == [
        "Subject: 订单已发货 – 好运来家居", "",
        "亲爱的顾客，您好！", "",
        "您的订单 #HY-0915-2231（€12.99）已发货。如需售后，请联系客服邮箱 <haoyunlai.service@163.com>， 或访问我们的其他店铺：",
        "",
        "平台\t店铺",
        "速卖通\t好运来家居 <https://www.aliexpress.com/store/1106677889>",
        "Temu\tLucky Home Mall <https://www.temu.com/lucky-home-mall-m-634499887766.html>",
        "",
        "微信 / WhatsApp：+86 138 2233 4455 收款 PayPal：haoyunlai.pay@163.com",
    ]
    assert "body from text/html converted to text" in ctx.notes


def test_html_to_text_drops_scripts_styles_and_comments_and_keeps_pre():
    html = ("<html><head><title>t</title><style>b{}</style></head><body><!--[if mso]><xml>o</xml><![endif]-->"
            "<script>alert(1)</script><ul><li>one</li><li>two</li></ul><pre>a  b\n c</pre>"
            "<a href='javascript:alert(1)'>click</a> <a href='https://shop.example/x'>https://shop.example/x</a>"
            "</body></html>")
    assert html_to_text(html) == "- one\n- two\n\na  b\nc\nclick https://shop.example/x"
    assert html_to_text("<p>unclosed <b>tags <div>and &amp; entities&nbsp;here") == "unclosed tags\nand & entities here"
    assert html_to_text("<head><title>no end of head<body>text") == "text"


def test_mail_ingested_end_to_end_with_its_attachment_as_a_source_of_its_own(sqlite_store, tmp_path):
    path = tmp_path / "mail.eml"
    shutil.copy(MESSAGES / "seller_cs_with_table.eml", path)
    result = ingest_file(sqlite_store, path)
    assert (result.status, result.parser, result.records, result.unparsed) == ("ingested", "email-message", 4, 0)
    children = {r.path: r for r in result.children}
    assert list(children) == [f"{path}!body.txt", f"{path}!sellers.csv"]
    assert (children[f"{path}!body.txt"].status, children[f"{path}!body.txt"].parser) == ("ingested", "text-note")
    table = children[f"{path}!sellers.csv"]
    assert (table.status, table.parser, table.records) == ("ingested", "seller-table-csv", 3)
    sources = {s.path: s for s in sqlite_store.sources()}
    assert sources[str(path)].captured_at == "2026-09-14T01:31:07+00:00"
    assert sources[str(path)].media_type == "message/rfc822"
    assert sources[f"{path}!body.txt"].records == 0 and sources[f"{path}!body.txt"].media_type == "text/plain"
    assert sqlite_store.get_node(NodeRef("Storefront", "amazon:A3KWOUTLET7QX9")) is not None
    assert sqlite_store.get_node(NodeRef("Storefront", "aliexpress:1108812345")) is not None
    refunds = sqlite_store.get_node(NodeRef("Email", "kw.refunds@outlook.com"))
    assert refunds.props["extra:display name (Reply-To)"] == ["KW 售后 Refunds"]
    # the Reply-To of the mail is the customer-service mailbox of a storefront in the attached table, and the
    # body names it too (found there by the NLP stage, located by character span)
    evidence = {(e.path, e.locator.startswith("chars ")) for e in sqlite_store.provenance(refunds.ref)}
    assert {p for p, _ in evidence} == {str(path), f"{path}!sellers.csv", f"{path}!body.txt"}
    assert (f"{path}!body.txt", True) in evidence
    assert ingest_file(sqlite_store, path).status == "unchanged"


def test_sloppy_and_hostile_mail_degrades_instead_of_failing():
    gbk_body = "售后请联系 kw.refunds@outlook.com，谢谢".encode("gbk")
    raw = (b"From: J\xc3\xa9r\xc3\xb4me Dupont <jerome@shop-fr.example>\r\n"  # raw 8-bit UTF-8 in a header
           b"Sender: =?x-unknown?Q?Shop_=E9?= <sender@shop-fr.example>\r\n"
           b"To: undisclosed-recipients:;\r\n"
           b"Reply-To: Support Team\r\n"
           b"Date: 2026\xe5\xb9\xb49\xe6\x9c\x8815\xe6\x97\xa5 10:02\r\n"
           b"Subject: Order =?utf-8?B?not-base64!!?=\r\n"
           b"Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
           b"--b1\r\nContent-Type: text/plain; charset=\"utf-8\"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
           + gbk_body + b"\r\n"
           b"--b1\r\nContent-Type: text/csv\r\nContent-Disposition: attachment; filename=\"../../etc/sellers.csv\"\r\n"
           b"\r\nSeller Name,Store URL\r\nA,https://www.ebay.com/usr/a\r\n"
           b"--b1\r\nContent-Type: text/csv\r\nContent-Disposition: attachment; filename*=utf-8''sellers%E2%80%AE.csv"
           b"\r\n\r\nSeller Name\r\nB\r\n"
           b"--b1\r\nContent-Type: text/csv\r\n\r\nSeller Name\r\nC\r\n"
           b"--b1\r\nContent-Type: text/csv\r\n"
           b"Content-Disposition: attachment; filename=\"=?gb2312?B?terGzMHQse0uY3N2?=\""
           b"\r\n\r\nSeller Name\r\nD\r\n"
           b"--b1\r\nContent-Type: message/rfc822\r\n\r\nFrom: a@b.example\r\nSubject: fwd\r\n\r\ninner body\r\n"
           b"--b1\r\nContent-Type: application/octet-stream; name=\"report\"\r\nContent-Transfer-Encoding: base64\r\n"
           b"\r\n!!!not base64###\r\n"
           b"--b1--\r\n")
    items, ctx = _parse(MailMessage, raw)
    records, embedded, unreadable = _kinds(items)
    assert [r.values for r in records] == [
        (Value("email", "jerome@shop-fr.example", "header From"),
         Value(None, "Jérôme Dupont", "header From", "display name (From)")),
        (Value("email", "sender@shop-fr.example", "header Sender"),
         Value(None, "Shop é", "header Sender", "display name (Sender)")),
    ]
    assert unreadable == [Unreadable("header Reply-To", "Support Team", "not an e-mail address: 'Support Team'")]
    assert ctx.captured_at is None and "Date header not understood: '2026年9月15日 10:02'" in ctx.notes
    assert "body: labelled 'utf-8' but read as gb18030" in ctx.notes
    assert embedded["body.txt"].read().decode("utf-8").endswith("售后请联系 kw.refunds@outlook.com，谢谢\n")
    # names are display names only: no folders, no bidi overrides, never the same twice
    assert [(e.name, e.locator) for e in embedded.values()][1:] == [
        ("sellers.csv", "attachment 1 (sellers.csv)"), ("sellers (2).csv", "attachment 2 (sellers (2).csv)"),
        ("attachment-3.csv", "attachment 3 (attachment-3.csv)"), ("店铺列表.csv", "attachment 4 (店铺列表.csv)"),
        ("attachment-5.eml", "attachment 5 (attachment-5.eml)"), ("report", "attachment 6 (report)")]
    assert embedded["attachment-5.eml"].read().replace(b"\r\n", b"\n") == b"From: a@b.example\nSubject: fwd\n\ninner body"


@pytest.mark.parametrize("name,expected", [
    ("../../etc/passwd", "passwd"), ("C:\\Users\\x\\Desktop\\sellers.xlsx", "sellers.xlsx"),
    ("invoice\u202egpj.exe", "invoicegpj.exe"), ("a\x00b\nc.csv", "a b c.csv"), ("..", "attachment-1.bin"),
    ("sellers!.csv", "sellers_.csv"), ("  .hidden.csv ", "hidden.csv"), ("x" * 300 + ".xlsx", "x" * 145 + ".xlsx"),
    ("Schedule A: <sellers>?.pdf", "Schedule A_ _sellers__.pdf"), (None, "attachment-1.bin"),
])
def test_attachment_names_are_made_safe_to_show(name, expected):
    assert safe_name(name, "attachment-1.bin") == expected


def test_names_are_made_unique():
    taken = {"body.txt"}
    assert [unique_name(n, taken) for n in ("body.txt", "a.csv", "A.CSV", "a.csv", "README")] == [
        "body (2).txt", "a.csv", "A (2).CSV", "a (3).csv", "README"]


def test_deep_or_huge_mime_structures_are_read_up_to_the_limits(monkeypatch):
    deep = b"From: a@b.example\r\n" + b"".join(
        b"Content-Type: multipart/mixed; boundary=b%d\r\n\r\n--b%d\r\n" % (i, i) for i in range(40)) + \
        b"Content-Type: text/plain\r\n\r\ndeep inside\r\n"
    _, embedded, unreadable = _kinds(_parse(MailMessage, deep)[0])
    assert unreadable == [Unreadable("MIME structure", "", "more than 1000 parts or multiparts nested more than 30 "
                                                           "deep: the rest is not read")]
    assert "body.txt" not in embedded
    monkeypatch.setattr(message_parts, "MAX_PARTS", 2)
    wide = b"From: a@b.example\r\nContent-Type: multipart/mixed; boundary=w\r\n\r\n" + b"".join(
        b"--w\r\nContent-Type: text/csv\r\nContent-Disposition: attachment; filename=s%d.csv\r\n\r\nx\r\n" % i
        for i in range(5)) + b"--w--\r\n"
    _, embedded, unreadable = _kinds(_parse(MailMessage, wide)[0])
    assert list(embedded) == ["s0.csv", "s1.csv"] and len(unreadable) == 1


def test_addresses_past_the_limit_are_reported_not_read(monkeypatch):
    monkeypatch.setattr(message_headers, "MAX_ADDRESSES", 3)
    raw = (b"From: Shop <cs@shop.example>\r\nTo: a@x.example, \"B, Bee\" <b@x.example>, c@x.example\r\n"
           b"Cc: d@x.example\r\n\r\nhello\r\n")
    records, _, unreadable = _kinds(_parse(MailMessage, raw)[0])
    assert [r.values[0].raw for r in records] == ["cs@shop.example", "a@x.example", "b@x.example"]
    assert [(u.locator, u.reason) for u in unreadable] == [
        ("header To", "addresses past the limit of 3 in one message: not read"),
        ("header Cc", "addresses past the limit of 3 in one message: not read")]


def _mail_with_visit_notes(count: int, size: int) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Field Team <field.team@harborlane.example>"
    msg["To"] = "counsel@harborlane.example"
    msg["Subject"] = "Warehouse visit notes"
    msg.set_content("Notes from the visits are attached.\n")
    for i in range(count):
        line = f"Visit {i}: unbranded serum boxes relabelled on site, cartons marked for Ningbo.\n".encode()
        msg.add_attachment((line * (size // len(line) + 1))[:size], maintype="text", subtype="markdown",
                           filename=f"visit_{i}.md")
    return msg.as_bytes()


def test_a_large_mail_is_parsed_without_copies_of_the_whole_message():
    raw = _mail_with_visit_notes(3, 2 * 2**20)
    ctx = ParseContext(path="visits.eml")
    tracemalloc.start()
    try:
        items = list(MailMessage().parse(io.BufferedReader(io.BytesIO(raw)), ctx))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    _, embedded, _ = _kinds(items)
    assert list(embedded) == ["body.txt", "visit_0.md", "visit_1.md", "visit_2.md"]
    assert embedded["visit_2.md"].read().startswith(b"Visit 2: unbranded serum boxes")
    # parsed whole, the message was held as bytes, as text and as a UCS-4 buffer at once: 7.6x its size
    assert peak < 3.5 * len(raw), f"peak {peak / 2**20:.1f} MiB for a {len(raw) / 2**20:.1f} MiB message"


def test_a_mail_over_the_size_limit_is_refused_at_the_limit(monkeypatch):
    monkeypatch.setattr(message, "MAX_MESSAGE_BYTES", 4096)
    monkeypatch.setattr(message, "CHUNK", 1000)
    with pytest.raises(ParseError) as exc:
        _parse(MailMessage, _mail_with_visit_notes(1, 5000))
    assert str(exc.value) == "mail.eml: byte 4096: message larger than the limit of 4,096 bytes"



@pytest.mark.parametrize("raw", [
    b"From: a@b.example\r\nTo: " + b'"' * 200_000 + b"\r\n\r\n",  # quadratic in the strict header parser
    b"From: a@b.example\r\nSubject: " + b"=?utf-8?q?a?= " * 50_000 + b"\r\n\r\n",
    b"From: a@b.example\r\nTo: " + b'"a",' * 50_000 + b"\r\n\r\n",
    b"From: a@b.example\r\nContent-Type: text/html\r\n\r\n" + b"<a " * 300_000,  # quadratic in html.parser
    b"", b"From:", b"From: <>\r\n\r\n", b"To: ,,,,@,<@>,\"\r\nCc: =?utf-8?q?=ZZ?= <a@b>\r\n\r\nx",
    b"Content-Type: multipart/mixed\r\nFrom: a@b.example\r\n\r\n--x\r\nno boundary",
    b"Content-Type: multipart/mixed; boundary=a\r\nFrom: a@b.example\r\n\r\n"
    + b"--a\r\nContent-Type: multipart/mixed; boundary=a\r\n\r\n" * 60,
    b"From: a@b.example\r\nContent-Type: text/plain; charset=\"no-such-charset\"\r\n\r\n\xff\xfe\xfa",
    b"From: a@b.example\r\nContent-Type: text/html; charset=\"utf-8\r\n\r\n<a href=\"" + b"<a>" * 3000,
    b"From: a@b.example\r\nContent-Type: ;;;==\r\nContent-Disposition: attachment; filename*=bogus''%ZZ\r\n\r\nx",
    b"Date: Thu, 31 Feb 99999 25:61:61 +9999\r\nFrom: \"\xff\xfe\" <\xff@\xfe>\r\n\r\n",
])
def test_hostile_mail_never_crashes(raw):
    try:
        _parse(MailMessage, raw)
    except ParseError as exc:
        assert str(exc) == "mail.eml: line 1: no message headers (not an e-mail message)"


@pytest.mark.parametrize("data,message", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "x.eml: byte 0: an Outlook .msg file, not an RFC 5322 message "
                                                       "(save it as .eml)"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(100), "x.eml: byte 0: binary data, not an e-mail message"),
    (b"just some words, no header here\n", "x.eml: line 1: no message headers (not an e-mail message)"),
])
def test_what_is_not_a_mail_is_refused_with_the_reason(data, message):
    with pytest.raises(ParseError) as exc:
        _parse(MailMessage, data, "x.eml")
    assert str(exc.value) == message


def test_detection_of_mail_and_notes():
    head = (MESSAGES / "seller_cs_with_table.eml").read_bytes()[:4096]
    assert detect("mail.eml", head) is MailMessage
    assert detect("saved message", head) is MailMessage  # headers recognised without an extension
    assert detect("body.txt", b"Subject: hello\n\nDear Dana,\n") is PlainTextNote
    assert detect("notes.TXT", b"anything at all\n") is PlainTextNote
    assert detect("investigator_note.md", b"# Kitchen Wizard network\n") is MarkdownNote
    assert detect("sellers.txt", b"Seller Name\tStore URL\tEmail\n") is SellerTableCSV  # specific parsers win
    assert PlainTextNote.sniff("x.txt", b"text") < SellerTableCSV.sniff("x.txt", b"Store Name,Store URL\n")


def test_markdown_note_hands_its_text_to_the_nlp_stage(sqlite_store):
    data = (MESSAGES / "investigator_note.md").read_bytes()
    items, ctx = _parse(MarkdownNote, data, "investigator_note.md")
    assert items == [FreeText(data.decode("utf-8"))]
    assert ctx.notes == ["encoding utf-8", "1,017 characters on 28 lines of free text (kept for the NLP stage)"]
    result = ingest_file(sqlite_store, MESSAGES / "investigator_note.md")
    assert (result.status, result.parser, result.records) == ("ingested", "markdown-note", 0)
    [source] = sqlite_store.sources()
    assert source.media_type == "text/markdown"
    # the table row "| KW Outlet Store | Amazon (A3KWOUTLET7QX9) | support@kitchenwizard-pro.com |"
    store = NodeRef("Storefront", "amazon:A3KWOUTLET7QX9")
    assert sqlite_store.get_node(store).props["name"] == ["KW Outlet Store"]
    [(edge, email)] = sqlite_store.neighbours(store, ["USES_EMAIL"])
    assert (email.key, edge.props.get("confidence")) == ("support@kitchenwizard-pro.com", "high")
    nodes, _ = sqlite_store.counts()
    assert nodes["Email"] == 4 and nodes["Phone"] == 1


@pytest.mark.parametrize("data,encoding,notes", [
    ((MESSAGES / "test_buy_note.txt").read_bytes(), "utf-8", "399 characters on 7 lines"),
    ("售后电话 +86 138 2233 4455\n".encode("gb18030"), "gb18030", "23 characters on 1 lines"),
    ("\ufeffMüller Taschen\r\n".encode("utf-16-le"), "utf-16", "16 characters on 1 lines"),
    (b"", "utf-8", "0 characters on 0 lines"),
])
def test_plain_text_notes_in_the_encodings_seen(data, encoding, notes):
    items, ctx = _parse(PlainTextNote, data, "note.txt")
    assert [type(i) for i in items] == ([FreeText] if data else []) and ctx.notes[0] == f"encoding {encoding}"
    assert ctx.notes[1].startswith(notes)


def test_bytes_past_the_sniffed_head_that_do_not_decode_are_counted():
    _, ctx = _parse(PlainTextNote, b"a" * 70_000 + b"\n\xff\xfe caf\xc3\xa9\n", "note.txt")
    assert ctx.notes == ["encoding utf-8", "70,009 characters on 2 lines of free text (kept for the NLP stage)",
                         "2 undecodable byte sequences read as U+FFFD"]


@pytest.mark.parametrize("data,message", [
    (b"\x7fELF\x02\x01\x01\x00" + bytes(64), "note.txt: byte 7: binary data, not text"),
    (b"looks like text " * 5000 + b"\x00\x01\x02", "note.txt: byte 80000: binary data, not text"),
])
def test_binary_data_is_not_a_note(data, message, sqlite_store, tmp_path):
    with pytest.raises(ParseError) as exc:
        _parse(PlainTextNote, data, "note.txt")
    assert str(exc.value) == message
    path = tmp_path / "note.txt"
    path.write_bytes(data)
    result = ingest_file(sqlite_store, path)
    assert (result.status, result.reason) == ("rejected", message.removeprefix("note.txt: "))
    assert sqlite_store.sources() == []


def test_mail_in_a_mail_and_its_results_flatten(sqlite_store, tmp_path):
    inner = (MESSAGES / "html_only_gb18030.eml").read_bytes()
    outer = (b"From: Dana Whitfield <dana.testbuy@example.org>\r\nTo: evidence@example.org\r\n"
             b"Subject: Fwd: test buy 07\r\nDate: Wed, 16 Sep 2026 08:00:00 -0400\r\n"
             b"Content-Type: multipart/mixed; boundary=\"f\"\r\n\r\n"
             b"--f\r\nContent-Type: text/plain\r\n\r\nForwarding the shop's reply.\r\n"
             b"--f\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment; filename=\"reply.eml\"\r\n\r\n"
             + inner + b"\r\n--f--\r\n")
    path = tmp_path / "fwd.eml"
    path.write_bytes(outer)
    results = list(flatten([ingest_file(sqlite_store, path)]))
    assert [(r.path.removeprefix(str(tmp_path)), r.status, r.parser) for r in results] == [
        ("/fwd.eml", "ingested", "email-message"),
        ("/fwd.eml!body.txt", "ingested", "text-note"),
        ("/fwd.eml!reply.eml", "ingested", "email-message"),
        ("/fwd.eml!reply.eml!body.txt", "ingested", "text-note"),
    ]
    sender = sqlite_store.get_node(NodeRef("Email", "haoyunlai.home@163.com"))
    assert sender.props["extra:display name (From)"] == ["好运来家居旗艦店"]
