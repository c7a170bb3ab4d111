"""Everything the NLP stage writes into the graph is declared in graph/schema: node properties (scale
figures, brand variants, Infrastructure kinds of chat ids and tracking numbers) and the edge properties
``confidence`` / ``via``."""

from __future__ import annotations

from graph.model import get_model
from nlp.facts import _EDGES, _SELLER_EDGES, extraction_facts
from nlp.pipeline import extract, load_pipeline

PASSAGE = ("Test buy 14: the seller \"Maple Kite Store\" (Merchant ID A2MAPLEKITE77Q) lists 2,300+ sold and "
           "418 reviews at US $24.99, about $58,000 in sales. It sells Nlke trainers. Payment went to PayPal "
           "maplekite.pay@outlook.com, support answers on WeChat: maplekite_cs and WhatsApp +86 139 0011 2233. "
           "The parcel came with tracking no. LX123456785CN. The site maplekite-shop.com carries GTM-MK7ABCD "
           "and sits on 203.0.113.45. Returns go to Room 1203, 12/F, Tower B, 88 Nanshan Road, Shenzhen "
           "518000, China. The account holder is Shenzhen Maple Kite Trading Co., Ltd.")


def test_every_property_the_nlp_stage_writes_is_declared_in_the_schema():
    model = get_model()
    facts = extraction_facts(extract(PASSAGE, ["Nike"], nlp=load_pipeline(False)))
    written = {(s.node.type, s.prop) for s in facts.nodes}
    # the passage exercises what needs a declaration (so this test cannot pass vacuously)
    assert {("Storefront", "units_sold"), ("Storefront", "reviews"), ("Storefront", "revenue"),
            ("Brand", "variant"), ("Brand", "variant_score"), ("Infrastructure", "kind"),
            ("Infrastructure", "app")} <= written
    for node_type, prop in written:
        nt = model.node(node_type)
        assert prop == nt.name_property or prop in nt.properties, f"{node_type}.{prop} is not declared"
    kinds = {(s.node.key.split(":")[0], s.value) for s in facts.nodes if s.prop == "kind"}
    assert {("wechat", "messenger"), ("tracking", "tracking"), ("gtm", "analytics"), ("ip", "ip")} <= kinds
    assert facts.edges, "the passage links identifiers to the store"
    for edge in facts.edges:
        declared = model.edge(edge.type).properties
        assert {name for name, _ in edge.props} <= set(declared), edge.type


def test_every_edge_type_the_nlp_stage_can_make_declares_confidence_and_via():
    model = get_model()
    for etype in {*_EDGES.values(), *_SELLER_EDGES.values()}:
        assert {"confidence", "via"} <= set(model.edge(etype).properties), etype
