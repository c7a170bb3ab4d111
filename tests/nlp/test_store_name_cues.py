"""Store-name and company cues added after blind set 2 was retired: each with a passage it must fire on and a
distractor it must not. Passages are written for these tests."""

from __future__ import annotations

import pytest

from nlp.pipeline import extract, load_pipeline


def _found(text: str) -> set[tuple[str, str]]:
    ex = extract(text, [], nlp=load_pipeline(False))
    return {(text[m.start:m.end], m.label) for m in ex.mentions}


@pytest.mark.parametrize("text,span,label", [
    # a Chinese platform's kind of shop (抖音小店, 门店, 門市) followed by the quoted name
    ("老板: 我们抖音小店叫“山野茶舍”，每天直播", "山野茶舍", "STORE_NAME"),
    ("记录：快手小店「阿飞潮牌」销售仿冒卫衣", "阿飞潮牌", "STORE_NAME"),
    ('阿強: 我哋門市 "Jade Lane 玉巷" 喺深水埗', "Jade Lane 玉巷", "STORE_NAME"),
    ("卖家: 我们店叫“橙子家居”，欢迎来看", "橙子家居", "STORE_NAME"),
    # a web page's title line names the shop next to a navigation word
    ("Contact Us | Maple Trail Outfitters\nQuestions about your order?", "Maple Trail Outfitters", "STORE_NAME"),
    ("Kestrow Kids Corner | About Us\nWe ship worldwide.", "Kestrow Kids Corner", "STORE_NAME"),
    ("关于我们 | 晨光文具铺\n主营办公用品", "晨光文具铺", "STORE_NAME"),
    # a trailing country word belongs to the store name
    ("Fernwood Outlet Canada ships parkas from Ontario.", "Fernwood Outlet Canada", "STORE_NAME"),
    # quoted names followed by their marketplace id or marketplace
    ('Defendant operates "Brisk Nest" (Merchant ID A3KX9PQ2MZ7RT1) and "Lumo Kitchen" (seller ID 20554781).',
     "Brisk Nest", "STORE_NAME"),
    ('Defendant operates "Brisk Nest" (Merchant ID A3KX9PQ2MZ7RT1) and "Lumo Kitchen" (seller ID 20554781).',
     "Lumo Kitchen", "STORE_NAME"),
    ('It sells as "Cobalt Gear" on eBay and elsewhere.', "Cobalt Gear", "STORE_NAME"),
    # 'does business as' is an alias phrase like 'doing business as'
    ('Defendant Wu Lei does business as "Polar Thread" and "Tundra Deals".', "Polar Thread", "STORE_NAME"),
    ('The shop is called "Quiet Harbor Candles".', "Quiet Harbor Candles", "STORE_NAME"),
    # company names with a bracketed region, in capitals, and the platforms' own companies
    ("Funds held by Skyline Payments (Hong Kong) Limited were frozen.", "Skyline Payments (Hong Kong) Limited",
     "COMPANY"),
    ("Funds held by Orchid Trade (HK) Limited were frozen.", "Orchid Trade (HK) Limited", "COMPANY"),
    ('The card statement shows the descriptor "BLUEFIN OUTDOOR LTD".', "BLUEFIN OUTDOOR LTD", "COMPANY"),
    ("Notice was served on Walmart Inc. and Amazon Services LLC on Monday.", "Walmart Inc.", "COMPANY"),
    ("Notice was served on Walmart Inc. and Amazon Services LLC on Monday.", "Amazon Services LLC", "COMPANY"),
    # European-language imprint / about-page phrasing
    ("La boutique en ligne Belle Époque Paris (www.belle-epoque.example) est éditée par", "Belle Époque Paris",
     "STORE_NAME"),
    ("Visita il negozio online Luna Gioielli Outlet per le offerte.", "Luna Gioielli Outlet", "STORE_NAME"),
    ("Chi siamo — Vento Sereno Italia è un marchio di Rivalta Commercio S.r.l.", "Vento Sereno Italia",
     "STORE_NAME"),
    ("Impressum\nHolzwerk24 – ein Angebot der\nTannberg Handels GmbH", "Holzwerk24", "STORE_NAME"),
    ("Ölmühle Handels GmbH liefert nach Österreich.", "Ölmühle Handels GmbH", "COMPANY"),
])
def test_store_name_cue(text, span, label):
    assert (span, label) in _found(text)


@pytest.mark.parametrize("text,span,label", [
    ("老板: 我们抖音小店叫“山野茶舍”，每天直播", "我们抖音小店", "STORE_NAME"),  # the kind of shop is no name
    ("记录：快手小店「阿飞潮牌」销售仿冒卫衣", "快手小店", "STORE_NAME"),
    ("About Maple Trail Outfitters\nFounded in 2019.", "About Maple Trail Outfitters", "STORE_NAME"),
    ("Contact Us | Maple Trail Outfitters\nQuestions?", "Contact Us", "STORE_NAME"),
    ("The shop is open from 9 to 5.", "open", "STORE_NAME"),
    ('The slogan "Pure Comfort" (seen on the box) is printed in gold.', "Pure Comfort", "STORE_NAME"),
    ("Funds held by (Hong Kong) Limited were frozen.", "(Hong Kong) Limited", "COMPANY"),
    ("THE PARTNERSHIPS, CORPORATIONS, LIMITED LIABILITY COMPANIES IDENTIFIED ON SCHEDULE A", "CORPORATIONS, LIMITED",
     "COMPANY"),                                             # a court caption, not a company in capitals
    ("Legal forms are normalised (CO LTD, GMBH).", "CO LTD", "COMPANY"),
    ("La boutique est fermée le dimanche.", "est", "STORE_NAME"),
    ("Nike is a brand of Nike, Inc. and not of this seller.", "Nike", "STORE_NAME"),  # a product brand
    ("Pelvano è un marchio di Pelvano S.p.A.", "Pelvano", "STORE_NAME"),   # one word: a product brand
])
def test_store_name_cue_distractor(text, span, label):
    assert (span, label) not in _found(text)


def test_walmart_company_is_not_a_store():
    found = _found("Walmart Inc. received the order.")
    assert ("Walmart Inc.", "COMPANY") in found and not any(lab == "STORE_NAME" for _, lab in found)


def _brands(text: str, watchlist: list[str]) -> set[tuple[str, str]]:
    ex = extract(text, watchlist, nlp=load_pipeline(False))
    return {(text[m.start:m.end], m.value) for m in ex.mentions if m.label == "BRAND"}


@pytest.mark.parametrize("text,span,value", [
    ("【2025新款】KORVELL同款 蓝牙音箱 包邮", "KORVELL", "Korvell"),      # a mark written against 同款
    ("到货了，K0RVELL标，做工一比一", "K0RVELL", "Korvell"),              # a look-alike against 标
    ("你们Korvell的音箱有发票吗？", "Korvell", "Korvell"),
])
def test_brand_against_chinese_characters(text, span, value):
    assert (span, value) in _brands(text, ["Korvell"])


def test_brand_fused_into_a_latin_word_is_not_split_out():
    assert _brands("Korvellshop同款 音箱", ["Korvell"]) == set()
