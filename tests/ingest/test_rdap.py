"""RDAP domain records: registrants, privacy services, registries, hostile JSON."""

from __future__ import annotations

import json

import pytest

from ingest.errors import ParseError
from ingest.rdap import RDAPDomain
from tests.ingest.domain_records import kept_of, mapped_of, parse_domain_record, rdap


# --- RDAP ------------------------------------------------------------------------------------------

def test_rdap_domain_of_a_registrar_with_a_real_registrant():
    [record], ctx = parse_domain_record(RDAPDomain, "rdap_domain.json")
    assert (record.subject, record.locator, record.hints) == ("Domain", "/", ())
    card = "/entities/1/vcardArray/1"
    assert mapped_of(record) == [
        ("domain_name", "mingyue-watches.com", "/ldhName"),
        ("created", "2023-03-02T06:14:55Z", "/events/0/eventDate"),
        ("expires", "2025-03-02T06:14:55Z", "/events/1/eventDate"),
        ("nameserver", "DNS9.HICHINA.COM", "/nameservers/0/ldhName"),
        ("nameserver", "DNS10.HICHINA.COM", "/nameservers/1/ldhName"),
        ("registrar", "Alibaba Cloud Computing (Beijing) Co., Ltd.", "/entities/0/vcardArray/1/1"),
        ("registrant", "Guangzhou Mingyue Trading Co., Ltd.", f"{card}/3"),
        ("country", "CN", f"{card}/4"),
        ("country", "China", f"{card}/4"),
        ("registrant_email", "mingyue.trade@163.com", f"{card}/7"),
        ("registrant_phone", "+86.2087654321", f"{card}/5"),
        ("registrant_address", "Room 1203, Block B, Wanda Plaza, 88 Tianhe Road, Guangzhou, Guangdong, 510620, China",
         f"{card}/4"),
    ]
    kept = kept_of(record)
    assert kept["registrant name"] == ["Chen Ming"]  # the organisation is the Seller, the person is kept
    assert kept["registrant fax"] == ["+86.2087654322"]
    assert kept["status"] == ["client transfer prohibited", "client delete prohibited"]
    assert kept["DNSSEC"] == ["unsigned"] and kept["registrar IANA Registrar ID"] == ["1599"]
    assert kept["registrar abuse email"] == ["DomainAbuse@service.aliyun.com"]
    assert kept["event last changed"] == ["2024-02-20T01:03:12Z"]
    assert kept["technical remark"] == ["REDACTED FOR PRIVACY: Some of the data in this object has been removed."]
    assert "unicodeName" not in kept  # just the Unicode form of ldhName
    assert ctx.captured_at == "2024-06-11T09:30:12Z"


def test_rdap_privacy_service_registrant_is_kept_but_never_an_identifier():
    [record], _ = parse_domain_record(RDAPDomain, "rdap_redacted.json")
    assert [(f, raw) for f, raw, _ in mapped_of(record) if f.startswith("registrant") or f == "country"] == [
        ("registrant", "REDACTED FOR PRIVACY"), ("registrant", "Super Privacy Service LTD c/o Dynadot")]
    kept = kept_of(record)
    assert kept["registrant email (privacy service)"] == ["sneakerz-outlet.shop@super-privacy.com"]
    assert kept["registrant phone (privacy service)"] == ["+1.6505854708"]
    assert kept["registrant address (privacy service)"] == ["PO Box 701, San Mateo, California, 94401, US"]
    assert kept["registrant country (privacy service)"] == ["US"]
    assert kept["redacted"] == ["Registry Registrant ID (removal)", "Tech Name (emptyValue)"]
    assert kept["technical email"][0].startswith("Please query the RDDS service")
    assert ("created", "2024-01-09T17:42:08Z", "/events/0/eventDate") in mapped_of(record)


def test_registry_rdap_takes_the_registrar_and_its_nested_abuse_contact():
    [record], _ = parse_domain_record(RDAPDomain, "rdap_registry.json")
    assert [f for f, _, _ in mapped_of(record)] == ["domain_name", "created", "expires", "nameserver", "nameserver",
                                                  "registrar"]
    kept = kept_of(record)
    assert kept["registrar abuse email"] == ["abuse@godaddy.com"]
    assert kept["registrar abuse tel"] == ["480-624-2505"]


def test_rdap_registrant_removed_entirely_is_recorded_from_its_remark():
    [record] = rdap({"objectClassName": "domain", "ldhName": "kicks-deal.shop", "entities": [
        {"roles": ["registrant"], "vcardArray": ["vcard", [["version", {}, "text", "4.0"]]],
         "remarks": [{"title": "Data Redacted", "description": ["Registrant data removed (GDPR)."]}]}]})
    assert ("registrant", "Data Redacted", "/entities/0/remarks/0/title") in mapped_of(record)


def test_rdap_search_results_and_mixed_arrays():
    items = rdap({"domainSearchResults": [
        {"objectClassName": "domain", "ldhName": "a-shop.com"},
        {"objectClassName": "nameserver", "ldhName": "ns1.a-shop.com"}]})
    assert [getattr(i, "locator") for i in items] == ["/domainSearchResults/0", "/domainSearchResults/1"]
    assert items[1].reason == "RDAP 'nameserver' object, not a domain"


@pytest.mark.parametrize("name,data,message", [
    ("rdap_error.json", None, "rdap_error.json: RDAP error 404: Not Found (The domain name "
                              "'no-such-shop-2024.com' was not found in the registry.)"),
    ("rdap_truncated.json", None, "rdap_truncated.json: line 25, column 11: malformed JSON (Unterminated string "
                                  "starting at)"),
    ("ns.json", b'{"objectClassName": "entity", "handle": "X"}', "ns.json: /objectClassName: RDAP 'entity' object, "
                                                                "not a domain"),
    ("odd.json", b'"ldhName"', "odd.json: not an RDAP domain object"),
    ("deep.json", b"[" * 100_000 + b"]" * 100_000, "deep.json: JSON nested too deeply"),
    ("latin1.json", b'{"ldhName": "caf\xe9.com"}', "latin1.json: byte 16: not UTF-8 text (RDAP is JSON in UTF-8)"),
])
def test_unreadable_rdap_fails_with_file_and_place(name, data, message):
    with pytest.raises(ParseError) as exc:
        parse_domain_record(RDAPDomain, name, data)
    assert str(exc.value) == message


@pytest.mark.parametrize("obj", [
    {"ldhName": 7, "entities": "x", "events": [None, {"eventAction": 3}], "nameservers": [1, {"ldhName": None}]},
    {"ldhName": "x.com", "entities": [
        {"roles": "registrant", "vcardArray": ["vcard", "x"]},
        {"roles": ["registrant"], "vcardArray": ["vcard", [[1, 2], ["fn"], ["adr", 5, "text", 9],
                                                           ["tel", {"type": 4}, "uri", ["tel:+1"]]]]}]},
    {"ldhName": "x.com", "secureDNS": "yes", "redacted": [{"name": "x"}, 5], "remarks": [{"title": {}}],
     "entities": [{"roles": ["registrar"], "entities": [{"roles": ["abuse"], "entities": [{}] * 3}]}] * 3},
    {"ldhName": "x.com", "entities": [{"roles": ["registrant"], "entities": [{"roles": ["registrant"]}]}] * 2},
])
def test_hostile_rdap_never_crashes(obj):
    [record] = rdap(obj)
    assert record.subject == "Domain"


def test_deeply_nested_entities_stop_with_a_note():
    ent: dict = {"roles": ["technical"], "handle": "H"}
    for _ in range(30):
        ent = {"roles": ["technical"], "entities": [ent]}
    items, ctx = parse_domain_record(RDAPDomain, "deep.json", json.dumps({"ldhName": "x.com", "entities": [ent]}).encode())
    assert len(items) == 1 and any("nested deeper than 8 levels" in n for n in ctx.notes)
