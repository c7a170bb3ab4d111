"""Domain registration records: WHOIS text, privacy services, bulk files, errors, end to end (RDAP JSON is in
test_rdap.py)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.records import NodeRef
from ingest.base import detect
from ingest.domain_contact import Contact, is_placeholder, is_privacy_email, is_proxy, iso_date, registrant_values
from ingest.rdap import RDAPDomain
from ingest.whois_text import WhoisText
from ingest.errors import ParseError
from ingest.run import ingest_file
from tests.ingest.domain_records import DOMAINS, kept_of, mapped_of, parse_domain_record, whois


# --- WHOIS -----------------------------------------------------------------------------------------

def test_whois_of_a_registrar_with_a_real_registrant():
    [record], ctx = parse_domain_record(WhoisText, "whois_godaddy.txt")
    assert record.locator == "lines 1-39"
    assert mapped_of(record) == [
        ("domain_name", "mingyue-replica.com", "line 1"),
        ("created", "2023-05-18T03:27:41Z", "line 6"),
        ("expires", "2025-05-18T03:27:41Z", "line 7"),
        ("registrar", "GoDaddy.com, LLC", "line 8"),
        ("nameserver", "NS41.DOMAINCONTROL.COM", "line 35"),
        ("nameserver", "NS42.DOMAINCONTROL.COM", "line 36"),
        ("registrant", "Guangzhou Mingyue Trading Co., Ltd.", "line 16"),
        ("country", "CN", "line 22"),
        ("registrant_email", "mingyue.trade@163.com", "line 27"),
        ("registrant_phone", "+86.2087654321", "line 23"),
        ("registrant_address", "Room 1203, Block B, Wanda Plaza, 88 Tianhe Road, Guangzhou, Guangdong, 510620, CN",
         "lines 17-22"),
    ]
    kept = kept_of(record)
    assert kept["registrant name"] == ["Chen Ming"]
    assert kept["Domain Status"] == ["clientTransferProhibited https://icann.org/epp#clientTransferProhibited",
                                     "clientUpdateProhibited https://icann.org/epp#clientUpdateProhibited"]
    assert kept["DNSSEC"] == ["unsigned"] and kept["Registrar Abuse Contact Email"] == ["abuse@godaddy.com"]
    assert kept["Admin Name"] == ["REDACTED FOR PRIVACY"]
    assert not any("TERMS OF USE" in c or "ICANN" in c for c in kept)  # legal boilerplate is not data
    assert ctx.captured_at == "2024-06-11T09:45:20Z"
    assert ctx.columns["Registrant Street"] == "registrant_address" and ctx.columns["DNSSEC"] == "(kept as property)"


def test_whois_privacy_service_values_are_kept_apart():
    [record], _ = parse_domain_record(WhoisText, "whois_namecheap.txt")
    assert [(f, raw) for f, raw, _ in mapped_of(record) if f not in ("nameserver",)] == [
        ("domain_name", "luxbag-clearance.com"), ("created", "2024-03-01T22:05:33Z"),
        ("expires", "2025-03-01T22:05:33Z"), ("registrar", "NAMECHEAP INC"),
        ("registrant", "Redacted for Privacy"), ("registrant", "Privacy service provided by Withheld for Privacy ehf")]
    kept = kept_of(record)
    assert kept["registrant email (privacy service)"] == [
        "6c1d9e3f0b7a4c2e8f5a1b9d7e3c2a10.protect@withheldforprivacy.com"]
    assert kept["registrant phone (privacy service)"] == ["+354.4212434"]
    assert kept["registrant address (privacy service)"] == ["Kalkofnsvegur 2, Reykjavik, Capital Region, 101, IS"]
    assert kept["registrant country (privacy service)"] == ["IS"]


def test_whois_partly_redacted_chinese_registrant():
    [record], _ = parse_domain_record(WhoisText, "whois_hichina.txt")
    mapped = mapped_of(record)
    assert ("registrant", "深圳市华鑫贸易有限公司", "line 14") in mapped
    assert ("registrant", "REDACTED FOR PRIVACY", "line 13") in mapped  # recorded, rejected by the seller cleaner
    assert ("country", "CN", "line 19") in mapped
    assert not any(f in ("registrant_email", "registrant_phone", "registrant_address") for f, _, _ in mapped)
    kept = kept_of(record)
    assert kept["Registrant Email"] == ["https://whois.aliyun.com/whois/whoisForm"]
    assert kept["Registrant State/Province"] == ["guang dong"]  # a province alone is no Address node
    assert kept["Registrant Street"] == ["REDACTED FOR PRIVACY"]


def test_cnnic_whois_in_gb18030_infers_china_for_a_chinese_registrant():
    [record], ctx = parse_domain_record(WhoisText, "whois_cnnic.txt")
    assert "encoding gb18030" in ctx.notes
    assert record.hints == (("country", "CN"),)
    assert mapped_of(record) == [
        ("domain_name", "huaxin-trade.cn", "line 1"),
        ("registrar", "阿里云计算有限公司（万网）", "line 6"),
        ("nameserver", "dns1.hichina.com", "line 7"),
        ("nameserver", "dns2.hichina.com", "line 8"),
        ("created", "2021-03-15T10:22:41", "line 9"),
        ("expires", "2026-03-15T10:22:41", "line 10"),
        ("registrant", "深圳市华鑫贸易有限公司", "line 4"),
        ("registrant_email", "hx_trade2019@163.com", "line 5"),
    ]
    assert kept_of(record) == {"ROID": ["20210315s10001s38822144-cn"], "Domain Status": ["clientTransferProhibited"],
                             "DNSSEC": ["unsigned"]}


def test_bulk_whois_file_splits_at_each_new_domain():
    records, ctx = parse_domain_record(WhoisText, "whois_bulk.txt")
    assert [(r.locator, r.values[0].raw) for r in records] == [
        ("lines 2-31", "vintage-kicks-store.com"), ("lines 34-58", "luxbag-outlet.net"),
        ("lines 70-74", "luxbag-sale.de")]
    tucows = kept_of(records[0])
    assert tucows["registrant email (privacy service)"] == ["vintage-kicks-store.com@contactprivacy.com"]
    denic = records[2]
    assert mapped_of(denic) == [("domain_name", "luxbag-sale.de", "line 70"),
                              ("nameserver", "ns1.lb-webhost.de", "line 71"),
                              ("nameserver", "ns2.lb-webhost.de", "line 72")]
    assert kept_of(denic) == {"Status": ["connect"], "Changed": ["2024-01-18T10:44:02+01:00"]}
    assert "4 lines without a label (headers, legal text) not read" in ctx.notes


def test_registry_and_registrar_answers_for_one_domain_stay_one_record():
    [record] = whois("   Domain Name: SHOP-ONE.COM\n   Registry Expiry Date: 2025-01-02T03:04:05Z\n"
                      "   Name Server: NS1.SHOP-HOST.NET 192.0.2.53\n"
                      ">>> Last update of whois database: 2024-06-01T00:00:00Z <<<\n\nNOTICE: legal text: more\n"
                      "Domain Name: shop-one.com\nRegistrar Registration Expiration Date: 2025-01-02T03:04:05Z\n"
                      "Registrant Organization: Yiwu Shop One Co., Ltd.\n")
    assert [(f, raw) for f, raw, _ in mapped_of(record)] == [
        ("domain_name", "shop-one.com"), ("expires", "2025-01-02T03:04:05Z"), ("nameserver", "NS1.SHOP-HOST.NET"),
        ("registrant", "Yiwu Shop One Co., Ltd.")]
    kept = kept_of(record)
    assert kept["nameserver ip"] == ["192.0.2.53"]
    assert kept["Registrar Registration Expiration Date"] == ["2025-01-02T03:04:05Z"]


def test_values_on_indented_lines_after_a_bare_label():
    [record] = whois("    Domain name:\n        shop-two.co.uk\n\n    Registrant:\n        Harbour Goods Ltd\n\n"
                      "    Registrant's address:\n        12 Quay Street\n        Bristol\n        BS1 4DJ\n"
                      "        United Kingdom\n\n    Name servers:\n        ns1.harbour-dns.co.uk\n"
                      "        ns2.harbour-dns.co.uk\n")
    assert [(f, raw, loc) for f, raw, loc in mapped_of(record)] == [
        ("domain_name", "shop-two.co.uk", "line 2"),
        ("nameserver", "ns1.harbour-dns.co.uk", "line 14"), ("nameserver", "ns2.harbour-dns.co.uk", "line 15"),
        ("registrant", "Harbour Goods Ltd", "line 5"),
        ("registrant_address", "12 Quay Street, Bristol, BS1 4DJ, United Kingdom", "lines 8-11")]


def test_legacy_registrant_block_is_a_name_then_its_address():
    [record] = whois("Domain Name: 华鑫.中国\nDomain Name: XN--XKR482M.XN--FIQS8S\nRegistrar: Example Registrar\n"
                      "Registrant:\n    Contact Privacy Inc. Customer 0123\n    96 Mowat Ave\n"
                      "    Toronto, ON M4K 3K1\n    CA\n")
    assert [(f, raw) for f, raw, _ in mapped_of(record)] == [
        ("domain_name", "华鑫.中国"), ("registrar", "Example Registrar"),
        ("registrant", "Contact Privacy Inc. Customer 0123")]
    assert kept_of(record) == {"Domain Name": ["XN--XKR482M.XN--FIQS8S"],  # the same domain: one record
                             "registrant address (privacy service)": ["96 Mowat Ave, Toronto, ON M4K 3K1, CA"]}


def test_whois_saved_by_powershell_in_utf16():
    text = (DOMAINS / "whois_godaddy.txt").read_text(encoding="utf-8")
    data = ("\ufeff" + text).encode("utf-16-le")
    assert detect("whois.txt", data[:65536]) is WhoisText
    [record], ctx = parse_domain_record(WhoisText, "whois.txt", data)
    assert "encoding utf-16" in ctx.notes and record.values[0].raw == "mingyue-replica.com"


@pytest.mark.parametrize("lines,registrant,kept", [
    # a proxy's person name is no Seller either
    (["Registrant Name: Registration Private", "Registrant Organization: Domains By Proxy, LLC",
      "Registrant Email: Select Contact Domain Holder link at https://www.godaddy.com/whois",
      "Registrant Phone: +1.4806242599"],
     ["Registration Private", "Domains By Proxy, LLC"],
     {"registrant email (privacy service)": ["Select Contact Domain Holder link at https://www.godaddy.com/whois"],
      "registrant phone (privacy service)": ["+1.4806242599"]}),
    # an RDDS placeholder: sent as the registrant, which the seller cleaner rejects as redacted
    (["Registrant Organization: Please query the RDDS service of the Registrar of Record identified in this output",
      "Registrant Email: REDACTED FOR PRIVACY"],
     ["Please query the RDDS service of the Registrar of Record identified in this output"],
     {"Registrant Email": ["REDACTED FOR PRIVACY"]}),
    (["Registrant Name: Data Protected", "Registrant Organization: Data Protected",
      "Registrant Email: reg-4471@privacyprotect.org"],
     ["Data Protected", "Data Protected"],
     {"registrant email (privacy service)": ["reg-4471@privacyprotect.org"]}),
    # the registrar's abuse mailbox and phone standing in for the registrant's
    (["Registrant Name: Wang Lei", "Registrant Email: abuse@gname.com", "Registrant Phone: +65.31581931",
      "Registrar Abuse Contact Phone: +65 3158 1931"],
     ["Wang Lei"],
     {"registrant email (privacy service)": ["abuse@gname.com"],
      "registrant phone (privacy service)": ["+65.31581931"]}),
    (["Registrant Organization: PrivacyGuardian.org llc", "Registrant Street: 1928 E. Highland Ave. Ste F104 PMB# 255"],
     ["PrivacyGuardian.org llc"],
     {"registrant address (privacy service)": ["1928 E. Highland Ave. Ste F104 PMB# 255"]}),
])
def test_privacy_placeholders_inwhois(lines, registrant, kept):
    [record] = whois("\n".join(["Domain Name: proxy-case.com", "Registrar: Example Registrar, Inc.", *lines]) + "\n")
    assert [raw for f, raw, _ in mapped_of(record) if f == "registrant"] == registrant
    assert not any(f in ("registrant_email", "registrant_phone", "registrant_address", "country")
                   for f, _, _ in mapped_of(record))
    assert {k: v for k, v in kept_of(record).items() if k.startswith("registrant") or k == "Registrant Email"} == kept


def test_registrant_phone_extension_joins_the_number():
    [record] = whois("Domain Name: ext-case.com\nRegistrar: X\nRegistrant Name: Li Na\n"
                      "Registrant Phone: +86.75588881234\nRegistrant Phone Ext: 808\nRegistrant Fax: +86.75588881235\n")
    assert ("registrant_phone", "+86.75588881234 ext. 808", "line 4") in mapped_of(record)
    assert kept_of(record) == {"Registrant Fax": ["+86.75588881235"]}


def test_whois_without_a_record_fails_with_the_reason():
    with pytest.raises(ParseError) as exc:
        whois("\nNo match for \"NO-SUCH-SHOP-2024.COM\".\n>>> Last update of whois database: 2024-06-11 <<<\n")
    assert str(exc.value) == ("lookup.txt: line 2: no registration record (the answer says "
                              "'No match for \"NO-SUCH-SHOP-2024.COM\".')")
    with pytest.raises(ParseError) as exc:
        whois("just some words\n")
    assert str(exc.value) == 'lookup.txt: line 1: no WHOIS record (no "Domain Name:" or similar line)'
    with pytest.raises(ParseError, match="byte 0: binary data, not WHOIS text"):
        parse_domain_record(WhoisText, "x.whois", b"\x00\x01\x02Domain Name: x.com")


def test_hostile_whois_never_crashes():
    text = ("Domain Name: x.com\n" + "A" * 50_000 + ": " + "b" * 50_000 + "\n: \n:::\n\t\t\t:x\n"
            "Registrant Street:\n" + "  ;|;|\n" * 3 + "Creation Date: 2023-02-30\nName Server: ., ,\n"
            "Domain Name: y.com\r\nRegistrant Name: \ufeff\u200b\nRegistrant Country: ZZ-Nowhere\n")
    records = whois(text)
    assert [r.values[0].raw for r in records] == ["x.com", "y.com"]
    assert ("Creation Date", ["2023-02-30"]) in kept_of(records[0]).items()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(["Domain Name: ", "Registrant: ", "Registrant Street: ", "Name Server: ",
                                 "Creation Date: ", "Registrant Email: ", ">>> Last update of whois database: ",
                                 "  ", "%", "\n", ":"]) | st.text(max_size=30), max_size=40).map("".join))
def test_any_text_gives_records_or_a_parse_error(text):
    try:
        records = whois("Domain Name: a-shop.com\n" + text)
    except ParseError:
        return
    assert all(r.subject == "Domain" for r in records)


# --- dates and privacy rules -------------------------------------------------------------------

@pytest.mark.parametrize("raw,expected", [
    ("2023-04-12", "2023-04-12"), ("2023-04-12T08:21:33Z", "2023-04-12T08:21:33Z"),
    ("2023-04-12T08:21:33.0Z", "2023-04-12T08:21:33Z"), ("2023-04-12T16:21:33+08:00", "2023-04-12T08:21:33Z"),
    ("2023-04-12T01:21:33-0700", "2023-04-12T08:21:33Z"), ("2021-03-15 10:22:41", "2021-03-15T10:22:41"),
    ("12-apr-2023", "2023-04-12"), ("April 12, 2023", "2023-04-12"), ("2023年04月12日", "2023-04-12"),
    ("2023/04/12 08:21:33 (UTC)", "2023-04-12T08:21:33Z"), ("18.01.2024", "2024-01-18"),
    ("Wed Apr 12 08:21:33 GMT 2023", "2023-04-12T08:21:33Z"), ("12/25/2024", "2024-12-25"),
    ("04/05/2024", None), ("2023-02-30", None), ("before Aug-1996", None), ("", None),
])
def test_dates_become_iso_8601(raw, expected):
    assert iso_date(raw) == expected


def test_privacy_recognisers():
    assert is_proxy("Privacy service provided by Withheld for Privacy ehf") and is_proxy("Domains By Proxy, LLC")
    assert is_proxy("Super Privacy Service LTD c/o Dynadot") and not is_proxy("Guangzhou Mingyue Trading Co., Ltd.")
    assert is_placeholder("Redacted for Privacy Purposes") and is_placeholder("N/A")
    assert not is_placeholder("Private Label Goods Ltd")
    assert is_privacy_email("x.protect@withheldforprivacy.com") and is_privacy_email("abuse@registrar.example")
    assert is_privacy_email("support@registrar.example", {"support@registrar.example"})
    assert not is_privacy_email("mingyue.trade@163.com")
    contact = Contact()
    contact.add("org", "Acme Ltd", "line 1", "Registrant Organization")
    contact.add("name", "acme ltd", "line 2", "Registrant Name")
    values, proxy = registrant_values(contact)
    assert not proxy and [(v.field, v.raw) for v in values] == [("registrant", "Acme Ltd")]


# --- detection and end to end ----------------------------------------------------------------------

def test_detection_takes_clear_records_and_leaves_notes_alone():
    assert detect("rdap_domain.json", (DOMAINS / "rdap_domain.json").read_bytes()) is RDAPDomain
    assert detect("rdap_error.json", (DOMAINS / "rdap_error.json").read_bytes()) is RDAPDomain
    for name in ("whois_godaddy.txt", "whois_cnnic.txt", "whois_bulk.txt"):
        assert detect(name, (DOMAINS / name).read_bytes()) is WhoisText
    assert WhoisText.sniff("luxbag-sale.de", b"Domain: luxbag-sale.de\nStatus: connect\n") == 80
    assert WhoisText.sniff("note.txt", b"Called the registrar today.\nDomain: shop.com looks fake.\n") == 0
    assert WhoisText.sniff("mail.eml", (DOMAINS / "whois_godaddy.txt").read_bytes()) == 0
    assert RDAPDomain.sniff("data.json", b'{"sellers": [{"name": "x"}]}') == 0


def _ingest_all(store):
    return {p.name: ingest_file(store, p) for p in sorted(DOMAINS.iterdir())}


def _linked(store, domain: str, edge: str) -> set[str]:
    return {n.key for e, n in store.neighbours(NodeRef("Domain", domain), [edge])}


def test_end_to_end_registrants_privacy_and_name_servers(sqlite_store):
    results = _ingest_all(sqlite_store)
    assert {n: r.status for n, r in results.items()} == {
        "rdap_domain.json": "ingested", "rdap_error.json": "rejected", "rdap_redacted.json": "ingested",
        "rdap_registry.json": "ingested", "rdap_truncated.json": "rejected", "whois_bulk.txt": "ingested",
        "whois_cnnic.txt": "ingested", "whois_godaddy.txt": "ingested", "whois_hichina.txt": "ingested",
        "whois_namecheap.txt": "ingested"}
    assert results["rdap_error.json"].reason.startswith("RDAP error 404: Not Found")
    assert results["whois_bulk.txt"].records == 3

    # one organisation behind two domains, whichever format said so
    seller = "GUANGZHOU MINGYUE TRADING CO LTD|CN"
    for domain in ("mingyue-watches.com", "mingyue-replica.com"):
        assert _linked(sqlite_store, domain, "REGISTERED_BY") == {seller}
        assert _linked(sqlite_store, domain, "USES_EMAIL") == {"mingyue.trade@163.com"}
        assert _linked(sqlite_store, domain, "USES_PHONE") == {"+862087654321"}
    assert len(_linked(sqlite_store, "mingyue-watches.com", "LOCATED_AT")) == 1
    for domain in ("huaxin-direct.com", "huaxin-trade.cn"):
        assert _linked(sqlite_store, domain, "REGISTERED_BY") == {"深圳市华鑫贸易有限公司|CN"}

    # privacy-protected domains share nothing that identifies a registrant
    private = ("luxbag-clearance.com", "luxbag-outlet.net", "vintage-kicks-store.com", "sneakerz-outlet.shop")
    for domain in private:
        for edge in ("REGISTERED_BY", "USES_EMAIL", "USES_PHONE", "LOCATED_AT"):
            assert not _linked(sqlite_store, domain, edge), (domain, edge)
    node = sqlite_store.get_node(NodeRef("Domain", "luxbag-outlet.net"))
    assert node.props["extra:registrant phone (privacy service)"] == ["+354.4212434"]
    counts, _ = sqlite_store.counts()
    assert (counts["Seller"], counts["Email"], counts["Phone"], counts["Address"]) == (2, 2, 1, 1)

    # redactions are kept as unparsed values with the reason
    redacted = {(u["raw"], u["reason"]) for u in sqlite_store.unparsed() if u["field"] == "registrant"}
    assert ("Privacy service provided by Withheld for Privacy ehf", "redacted") in redacted
    assert ("Super Privacy Service LTD c/o Dynadot", "redacted") in redacted

    # name servers are shared infrastructure
    assert _linked(sqlite_store, "mingyue-outlet.com", "USES_INFRASTRUCTURE") == {
        "ns:ns41.domaincontrol.com", "ns:ns42.domaincontrol.com"}
    shared = {e.src.key for e, n in sqlite_store.neighbours(NodeRef("Infrastructure", "ns:dns1.registrar-servers.com"))}
    assert shared == {"luxbag-clearance.com", "luxbag-outlet.net"}
    domain = sqlite_store.get_node(NodeRef("Domain", "huaxin-trade.cn"))
    assert domain.props["created"] == ["2021-03-15T10:22:41"]
    assert domain.props["registrar"] == ["阿里云计算有限公司（万网）"]
