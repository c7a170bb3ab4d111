"""Store names, company names, watchlist brands with variants, and scale figures."""

from __future__ import annotations

from nlp.pipeline import extract, load_pipeline

TEXT = ("The Amazon seller \"Sunny Home Store\" (operating as 'SunnyHome Deals') is run by "
        "Shenzhen Youli Trading Co., Ltd. and sells Nlke and Adidaas sneakers, 1,200+ sold, 4,531 reviews, "
        "about $35,000 in sales. 卖家为深圳市优利贸易有限公司，店铺名称：运动鞋专卖店。")


def _found(label):
    ex = extract(TEXT, ["Nike", "Adidas"], nlp=load_pipeline(False))
    return [(m.text, m.value, m.props.get("scale_kind")) for m in ex.mentions if m.label == label]


def test_store_names():
    assert [t for t, *_ in _found("STORE_NAME")] == ["Sunny Home Store", "SunnyHome Deals", "运动鞋专卖店"]


def test_company_names_with_legal_suffix():
    assert [t for t, *_ in _found("COMPANY")] == ["Shenzhen Youli Trading Co., Ltd.", "深圳市优利贸易有限公司"]


def test_brand_variants_map_to_the_watchlist_mark():
    assert [(t, v) for t, v, _ in _found("BRAND")] == [("Nlke", "Nike"), ("Adidaas", "Adidas")]


def test_brands_only_from_the_watchlist():
    ex = extract("Nice bikes like Nike", [], nlp=load_pipeline(False))
    assert not [m for m in ex.mentions if m.label == "BRAND"]


def test_scale_figures():
    # a revenue figure's span is the amount ("in sales" only decides the kind), as in every eval set's annotations
    assert _found("SCALE") == [("1,200+ sold", "1200", "units_sold"), ("4,531 reviews", "4531", "reviews"),
                               ("$35,000", "35000", "revenue")]
