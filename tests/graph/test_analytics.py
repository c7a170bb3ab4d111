"""Analytics on the example case and on small hand-made cases; expected values worked out by hand from the CSVs."""

from __future__ import annotations

import pytest

from graph.analytics.communities import find_communities
from graph.analytics.jurisdiction import country_of_tld, operator_footprint
from graph.analytics.network import load_operator, load_operators
from graph.analytics.paths import find_path, neighbourhood, parse_ref
from graph.analytics.scale import load_config, rank_operators
from graph.errors import GraphError
from graph.records import NodeRef
from graph.store import open_store
from tests.graph.case_helpers import demo_store, ingest_text, operator_controlling, write_operators


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    store = demo_store(tmp_path_factory.mktemp("analytics"))
    yield store
    store.close()


# (a member, storefronts, marketplaces) per operator of examples/demo-case, counted from the CSV:
# HuaXin: Amazon, eBay, AliExpress, Walmart, Temu, own web shop, DHgate; Jiale: Amazon x2, eBay, AliExpress, Walmart;
# Luxe: two web shops, Etsy, Shopify; Golden Time: Amazon, eBay, DHgate; CozyNest: Temu, Wish.
# Default score = 25 * min(storefronts/10, 1) + 15 * min(marketplaces/5, 1) (no listings, sales, brands in the CSV).
EXPECTED_SCALE = [("amazon:A1HX7Q2M9ZK3LP", 7, 7, 32.5, True), ("amazon:A3JL5R8T2W6YQN", 5, 4, 24.5, True),
                  ("web:luxe-outlet-sale.de", 4, 3, 19.0, True), ("amazon:A1GT3W8K5P2RZX", 3, 3, 16.5, True),
                  ("temu:635512349876", 2, 2, 11.0, False)]


def test_operators_rank_by_scale_with_explained_factors(demo):
    profiles = rank_operators(demo, load_operators(demo))
    got = [(p.operator, p.storefronts, len(p.marketplaces), p.score, p.candidate) for p in profiles]
    assert got == [(operator_controlling(demo, k), n, m, s, c) for k, n, m, s, c in EXPECTED_SCALE]
    top = profiles[0]
    assert top.factor("storefronts").explanation == "storefronts controlled: 7 (cap 10) -> 17.5 of 25"
    assert top.factor("listings").value is None
    assert "not known from the evidence" in top.factor("units_sold").explanation
    assert top.reason == "score 32.5 >= 15; 7 storefronts >= 5"
    assert profiles[-1].reason == "score 11 < 15"


def test_scale_config_file_overrides_defaults(demo, tmp_path):
    cfg = tmp_path / "scale.yaml"
    cfg.write_text("factors:\n  storefronts: {weight: 50, cap: 2}\ncandidate: {min_score: 60}\n", encoding="utf-8")
    profiles = rank_operators(demo, load_operators(demo), load_config(cfg))
    # storefronts now give 50 from two up: HuaXin 50 + 15 = 65, Jiale 50 + 12 = 62, Luxe and Golden Time
    # 50 + 9 = 59, CozyNest 50 + 6 = 56; only the first two reach 60 (none else has 5 storefronts)
    by_member = {p.operator: p for p in profiles}
    assert by_member[operator_controlling(demo, "temu:635512349876")].score == 56.0
    assert [p.candidate for p in profiles] == [True, True, False, False, False]


@pytest.mark.parametrize("text, message", [
    ("factors:\n  bogus: {weight: 1, cap: 1}\n", "unknown factor 'bogus'"),
    ("factors:\n  storefronts: {weight: 1, cap: 0}\n", "cap must be > 0"),
    ("factors: [\n", "not valid YAML"),
])
def test_bad_scale_config_is_one_clear_error(tmp_path, text, message):
    cfg = tmp_path / "bad.yaml"
    cfg.write_text(text, encoding="utf-8")
    with pytest.raises(GraphError, match=message):
        load_config(cfg)


def test_jurisdiction_footprint_cites_its_evidence(demo):
    golden = operator_footprint(demo, load_operator(demo, operator_controlling(demo, "amazon:A1GT3W8K5P2RZX")))
    got = {(f.country, f.basis, f.value, f.storefront) for f in golden.facts}
    assert got == {("HK", "phone", "+852 2345 6789", "amazon:A1GT3W8K5P2RZX"),
                   ("HK", "phone", "+852 2345 6789", "dhgate:20987654"),
                   ("HK", "seller", "Golden Time Trading Limited", "amazon:A1GT3W8K5P2RZX"),
                   ("GB", "bank", "GB71 HBUK 4012 7612 3456 78", "amazon:A1GT3W8K5P2RZX"),
                   ("GB", "bank", "GB71 HBUK 4012 7612 3456 78", "ebay:prestige.timepieces")}
    assert list(golden.countries()) == ["HK", "GB"]  # two bases for Hong Kong, one for the UK
    bank = next(f for f in golden.facts if f.storefront == "ebay:prestige.timepieces")
    assert [e.locator for e in bank.evidence] == ["row 19, column 'Payment Account'"]
    luxe = operator_footprint(demo, load_operator(demo, operator_controlling(demo, "web:luxe-outlet-sale.de")))
    assert {(f.country, f.basis) for f in luxe.facts} == {("DE", "bank"), ("DE", "ccTLD"), ("DE", "phone"),
                                                          ("NL", "bank")}
    huaxin = operator_footprint(demo, load_operator(demo, operator_controlling(demo, "amazon:A1HX7Q2M9ZK3LP")))
    assert ("US", "payment provider") in {(f.country, f.basis) for f in huaxin.facts}  # PayPal and Stripe


def test_country_of_tld():
    assert country_of_tld("luxe-outlet-sale.de") == "DE"
    assert country_of_tld("www.ebay.co.uk") == "GB"
    assert country_of_tld("shop.io") is None
    assert country_of_tld("huaxin-direct.com") is None


def test_shortest_path_has_evidence_on_every_hop(demo):
    hops = find_path(demo, parse_ref("Storefront:ebay:sunnybloom_shop"), parse_ref("Storefront:temu:634418212233"))
    assert [(h.edge.src.key, h.edge.type, h.edge.dst.key) for h in hops] == [
        ("ebay:sunnybloom_shop", "USES_PHONE", "+8613800138000"),
        ("temu:634418212233", "USES_PHONE", "+8613800138000")]
    assert [[e.locator for e in h.evidence] for h in hops] == [["row 3, column 'Customer Service Phone'"],
                                                              ["row 6, column 'Customer Service Phone'"]]
    assert find_path(demo, parse_ref("Storefront:etsy:vintagevibesco"), parse_ref("Storefront:temu:634400001111")) is None
    with pytest.raises(GraphError, match="no node Storefront:ebay:nobody"):
        find_path(demo, parse_ref("Storefront:ebay:nobody"), parse_ref("Storefront:temu:634400001111"))
    with pytest.raises(GraphError, match="expected TYPE:KEY"):
        parse_ref("sunnybloom_shop")


def test_neighbourhood_filtered_by_type(demo):
    sub = neighbourhood(demo, NodeRef("Storefront", "amazon:A3JL5R8T2W6YQN"), hops=2, node_types=["Storefront"])
    # Jiale Sports shares its e-mail (SportyMax, Jiale Official), Payoneer (Kick Zone) and phone (Jiale Official,
    # RunFast Gear); its operator is one hop away and controls them all
    assert {n.key for n in sub.nodes} == {"amazon:A3JL5R8T2W6YQN", "ebay:sportymax-2024", "aliexpress:1109876543",
                                          "amazon:A2KZ9V4N7M1XBQ", "walmart:101998877"}


FORWARDER_CASE = """Seller Alias,Store URL,PayPal,Ship From
Alpha Home,https://www.ebay.com/usr/alpha_home,alpha.pay@example.net,"Unit 5, 18 Harbour Road, Wan Chai, Hong Kong"
Alpha Deals,https://www.ebay.com/usr/alpha_deals,alpha.pay@example.net,
Beta Shoes,https://www.ebay.com/usr/beta_shoes,beta.pay@example.net,"Unit 5, 18 Harbour Road, Wan Chai, Hong Kong"
Beta Kicks,https://www.ebay.com/usr/beta_kicks,beta.pay@example.net,
Gamma Bags,https://www.ebay.com/usr/gamma_bags,gamma.pay@example.net,"Unit 5, 18 Harbour Road, Wan Chai, Hong Kong"
Delta Toys,https://www.ebay.com/usr/delta_toys,delta.pay@example.net,
"""


def test_communities_of_operators_sharing_a_forwarder(tmp_path):
    store = open_store(f"sqlite:///{tmp_path}/fwd.db")
    ingest_text(store, tmp_path / "forwarder.csv", FORWARDER_CASE)
    write_operators(store, {"op-alpha": ["ebay:alpha_home", "ebay:alpha_deals"],
                            "op-beta": ["ebay:beta_shoes", "ebay:beta_kicks"]})
    communities, shared = find_communities(store)
    # Alpha, Beta and the lone storefront Gamma ship from one forwarder warehouse; Delta shares nothing
    assert len(communities) == 1
    assert {str(u) for u in communities[0].units} == {"Operator:op-alpha", "Operator:op-beta",
                                                      "Storefront:ebay:gamma_bags"}
    assert [r.type for r in communities[0].shared] == ["Address"]
    assert [(s.ref.type, s.units, s.storefronts) for s in shared] == [("Address", 3, 3)]
    assert shared[0].betweenness == 1.0  # every path between the three units runs through the warehouse
    store.close()


SCALE_CASE = """Seller Alias,Store URL,PayPal,E-mail,Brand,Listing URL,Units Sold,Reviews,Notes
Aurora Shoes,https://www.ebay.com/usr/aurora_shoes,aurora.pay@example.net,aurora[at]outlook,Nikko; Adibas,\
https://www.ebay.com/itm/334455667788,1200,310,
Nlkko Outlet,https://www.ebay.com/usr/nlkko_outlet,aurora.pay@example.net,,Nikko,https://www.ebay.com/itm/334455667799,\
"300",40,Reappeared after takedown of Aurora Shoes
"""


def test_scale_counts_listings_sales_brands_reappearances_and_lookalikes(tmp_path):
    store = open_store(f"sqlite:///{tmp_path}/scale.db")
    ingest_text(store, tmp_path / "scale.csv", SCALE_CASE)
    write_operators(store, {"op-aurora": ["ebay:aurora_shoes", "ebay:nlkko_outlet"]})
    (p,) = rank_operators(store, load_operators(store))
    values = {f.name: (f.value, f.points) for f in p.factors}
    assert values == {"storefronts": (2, 5.0), "marketplaces": (1, 3.0), "listings": (2, 0.2),
                      "units_sold": (1500, 10.0), "reviews": (350, 3.5), "revenue": (None, 0.0),
                      "brands": (2, 4.0), "active_days": (None, 0.0), "reappearances": (1, 2.5),
                      "alias_churn": (0, 0.0), "evasion": (2, 1.67)}
    # 5 + 3 + 0.2 + 10 + 3.5 + 4 + 2.5 + 1.67
    assert p.score == 29.9 and p.candidate
    assert p.factor("evasion").detail == ("aurora[at]outlook (row 2, column 'E-mail'); "
                                          "'nlkko' looks like the mark 'nikko'")
    assert p.factor("reappearances").detail == "Nlkko Outlet"
    store.close()


def test_footprint_reads_the_domain_record_registrar_and_registrant(tmp_path):
    from ingest.run import ingest_file
    from tests.conftest import FIXTURES
    from tests.graph.case_helpers import DEMO_CSV

    store = open_store(f"sqlite:///{tmp_path}/whois.db")
    for f in (DEMO_CSV, FIXTURES / "ingest" / "domains" / "whois_hichina.txt"):
        assert ingest_file(store, f).status == "ingested"
    write_operators(store, {"op-huaxin": ["web:huaxin-direct.com", "dhgate:21345678"]})
    facts = operator_footprint(store, load_operator(store, "op-huaxin")).facts
    # whois_hichina.txt: huaxin-direct.com, registrar Alibaba Cloud (Beijing), registrant organisation in CN
    assert ("CN", "registrar", "Alibaba Cloud Computing (Beijing) Co., Ltd.") in {(f.country, f.basis, f.value)
                                                                                  for f in facts}
    registrant = next(f for f in facts if f.basis == "seller")
    assert (registrant.country, registrant.value) == ("CN", "深圳市华鑫贸易有限公司")
    assert registrant.evidence[0].path.endswith("whois_hichina.txt")
    store.close()
