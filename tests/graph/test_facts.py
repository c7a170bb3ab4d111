"""Records of raw values -> statements: keys, links, and nothing silently dropped."""

from __future__ import annotations

from graph.facts import extract_facts
from graph.records import NodeRef, Record, Value


def _record(*values: tuple[str | None, str], hints=()) -> Record:
    return Record("Storefront", "row 9", tuple(Value(f, v, f"row 9, column {f or 'Notes'!r}", f or "Notes")
                                               for f, v in values), hints)


def _props(facts, ref):
    """Stated and derived properties of ``ref``."""
    return {(s.prop, s.value) for s in facts.nodes if s.node == ref} | set(facts.derived.get(ref, {}).items())


def _edges(facts):
    return {(e.type, str(e.src), str(e.dst)) for e in facts.edges}


def test_storefront_keyed_by_url_links_each_identifier():
    facts = extract_facts(_record(("name", "HuaXin Direct"), ("url", "https://www.amazon.com/sp?seller=A1HX7Q2M9ZK3LP"),
                                  ("email", "Service@Huaxin-Direct.com; huaxin.cs@gmail.com"),
                                  ("phone", "138 0013 8000"), ("country", "China")))
    sf = NodeRef("Storefront", "amazon:A1HX7Q2M9ZK3LP")
    assert {("name", "HuaXin Direct"), ("marketplace", "amazon"), ("platform_id", "A1HX7Q2M9ZK3LP"),
            ("key_basis", "url")} <= _props(facts, sf)
    assert _edges(facts) == {
        ("USES_EMAIL", str(sf), "Email:service@huaxin-direct.com"),
        ("USES_EMAIL", str(sf), "Email:huaxin.cs@gmail.com"),
        ("USES_PHONE", str(sf), "Phone:+8613800138000"),  # a local number, read with the row's country
    }
    assert facts.unparsed == []
    assert {e.locator for e in facts.edges if e.type == "USES_EMAIL"} == {"row 9, column 'email'"}


def test_storefront_keyed_by_platform_id_with_the_marketplace_column():
    facts = extract_facts(_record(("name", "Jiale Sports"), ("marketplace", "Amazon.com"), ("seller_id", "A3JL5R8T2W6YQN")))
    assert {s.node.key for s in facts.nodes} == {"amazon:A3JL5R8T2W6YQN"}
    assert ("key_basis", "id") in _props(facts, NodeRef("Storefront", "amazon:A3JL5R8T2W6YQN"))


def test_name_only_storefront_is_kept_with_the_weakest_key_basis():
    facts = extract_facts(_record(("name", "Lucky  Star Trading"), ("marketplace", "Amazon")))
    ref = NodeRef("Storefront", "amazon:name:lucky star trading")
    assert ("key_basis", "name") in _props(facts, ref)


def test_a_row_without_any_key_is_kept_whole_as_unparsed():
    facts = extract_facts(_record(("email", "a@b.com"), (None, "seen on 2026-10-01")))
    assert facts.nodes == [] and facts.edges == []
    assert [(u.field, u.raw) for u in facts.unparsed] == [("email", "a@b.com"), ("Notes", "seen on 2026-10-01")]
    assert all(u.reason.startswith("no key for the storefront") for u in facts.unparsed)


def test_values_that_do_not_clean_are_kept_with_their_reason_and_subject():
    facts = extract_facts(_record(("url", "https://www.ebay.com/usr/shoeking_uk"), ("iban", "GB00 WEST 1234 5698 7654 32"),
                                  ("email", "glamourbags[at]outlook")))
    reasons = {u.field: u for u in facts.unparsed}
    assert set(reasons) == {"iban", "email"}
    assert reasons["iban"].subject == NodeRef("Storefront", "ebay:shoeking_uk")
    assert reasons["iban"].raw == "GB00 WEST 1234 5698 7654 32"


def test_unknown_columns_become_extra_properties():
    facts = extract_facts(_record(("url", "https://www.etsy.com/shop/VintageVibesCo"), (None, "Reappeared after takedown")))
    assert ("extra:Notes", "Reappeared after takedown") in _props(facts, NodeRef("Storefront", "etsy:vintagevibesco"))


def test_web_shop_is_linked_to_its_domain_and_defendant_number_is_kept():
    facts = extract_facts(_record(("url", "https://www.luxe-outlet-sale.de/impressum"), ("defendant_no", "13")))
    sf = NodeRef("Storefront", "web:luxe-outlet-sale.de")
    assert ("USES_DOMAIN", str(sf), "Domain:luxe-outlet-sale.de") in _edges(facts)
    assert ("defendant_no", "13") in _props(facts, sf)


def test_defendant_number_goes_on_the_case_edge_when_the_row_names_the_case():
    facts = extract_facts(_record(("url", "https://www.dhgate.com/store/21345678"), ("defendant_no", "7"),
                                  ("case", "Case No. 1:24-cv-01234 (N.D. Ill.)")))
    [edge] = [e for e in facts.edges if e.type == "NAMED_IN"]
    assert ("defendant_no", "7") in edge.props and edge.dst.type == "Case"


def test_repeated_values_in_one_cell_count_once():
    facts = extract_facts(_record(("url", "https://www.dhgate.com/store/21345678"),
                                  ("email", "a@shop-one.com\na@shop-one.com | b@shop-one.com")))
    assert len([e for e in facts.edges if e.type == "USES_EMAIL"]) == 2


def _subject_record(subject: str, *values: tuple[str, str]) -> Record:
    return Record(subject, "record 1", tuple(Value(f, v, f"record 1, {f}", f) for f, v in values))


def test_domain_registration_record_links_registrant_and_infrastructure():
    facts = extract_facts(_subject_record(
        "Domain", ("domain_name", "HUAXIN-DIRECT.COM"), ("registrar", "Alibaba Cloud Computing (Beijing) Co., Ltd."),
        ("registrant", "Shenzhen Huaxin Trading Co., Ltd."), ("country", "CN"),
        ("registrant_email", "domains@huaxin-direct.com"), ("nameserver", "dns1.hichina.com; dns2.hichina.com")))
    domain = NodeRef("Domain", "huaxin-direct.com")
    assert ("registrar", "Alibaba Cloud Computing (Beijing) Co., Ltd.") in _props(facts, domain)
    edges = _edges(facts)
    assert ("REGISTERED_BY", str(domain), "Seller:SHENZHEN HUAXIN TRADING CO LTD|CN") in edges
    assert ("USES_EMAIL", str(domain), "Email:domains@huaxin-direct.com") in edges
    assert ("USES_INFRASTRUCTURE", str(domain), "Infrastructure:ns:dns1.hichina.com") in edges
    [email_edge] = [e for e in facts.edges if e.type == "USES_EMAIL"]
    assert ("role", "registration") in email_edge.props


def test_privacy_proxy_registrant_is_never_a_shared_identifier():
    facts = extract_facts(_subject_record("Domain", ("domain_name", "nlke-outlet-store.com"),
                                          ("registrant", "REDACTED FOR PRIVACY")))
    assert not any(e.type == "REGISTERED_BY" for e in facts.edges)
    [kept] = facts.unparsed
    assert (kept.field, kept.raw) == ("registrant", "REDACTED FOR PRIVACY") and "redacted" in kept.reason


def test_account_holder_record_holds_its_accounts():
    facts = extract_facts(_subject_record("Seller", ("legal_name", "Yiwu Jiale E-commerce Co., Ltd."),
                                          ("country", "China"), ("payoneer", "48213377"), ("balance", "USD 12,480.55")))
    seller = NodeRef("Seller", "YIWU JIALE E COMMERCE CO LTD|CN")
    assert ("HOLDS", str(seller), "PaymentAccount:payoneer:48213377") in _edges(facts)
    assert ("balance", "USD 12,480.55") in _props(facts, seller)


def test_case_record_uses_the_court_as_context_for_its_docket():
    facts = extract_facts(_subject_record("Case", ("case", "No. 24-cv-01234"), ("court", "Northern District of Illinois"),
                                          ("plaintiff", "Acme Brands LLC")))
    [case] = {s.node for s in facts.nodes}
    assert case.type == "Case" and case.key.startswith("ilnd:")
    assert ("plaintiff", "Acme Brands LLC") in _props(facts, case)
