"""Storefront URLs of more marketplaces (Shopee, Lazada, Allegro, Rakuten, Mercado Libre, Bol.com, Tokopedia,
Pinduoduo), URLs written against Chinese text, and a domain that is part of a company's name. Passages are
written for these tests; look-alikes must not match."""

from __future__ import annotations

import pytest

from nlp.pipeline import extract, load_pipeline


def _found(text: str) -> set[tuple[str, str, str | None]]:
    ex = extract(text, (), nlp=load_pipeline(False))
    return {(text[m.start:m.end], m.label, m.key) for m in ex.mentions}


@pytest.mark.parametrize("text,span,key", [
    ("蝦皮賣場 https://shopee.tw/lanterncraft_tw 已售出", "https://shopee.tw/lanterncraft_tw", "shopee:lanterncraft_tw"),
    ("Shop: https://shopee.com.my/shop/88120455", "https://shopee.com.my/shop/88120455", "shopee:88120455"),
    ("LazMall https://www.lazada.sg/shop/urban-kicks-sg/ has it", "https://www.lazada.sg/shop/urban-kicks-sg/",
     "lazada:urban-kicks-sg"),
    ("Sprzedawca https://allegro.pl/uzytkownik/zegarki_hurt24", "https://allegro.pl/uzytkownik/zegarki_hurt24",
     "allegro:zegarki_hurt24"),
    ("楽天 https://www.rakuten.co.jp/kirameki-select/ で販売", "https://www.rakuten.co.jp/kirameki-select/",
     "rakuten:kirameki-select"),
    ("Vendedor: https://www.mercadolibre.com.mx/perfil/RELOJES.MAYOREO", "https://www.mercadolibre.com.mx/perfil/RELOJES.MAYOREO",
     "mercadolibre:RELOJES.MAYOREO"),
    ("Winkel: https://www.bol.com/nl/nl/w/fietsbel-direct/1730552/", "https://www.bol.com/nl/nl/w/fietsbel-direct/1730552/",
     "bol:1730552"),
    ("拼多多店铺 http://mobile.yangkeduo.com/mall_page.html?mall_id=9920413", None, "pinduoduo:9920413"),
    # item pages are listing URLs (STORE_URL, keyed as the graph's Listing)
    ("Listing https://shopee.sg/Wireless-Earbuds-i.301122.88120455 copied",
     "https://shopee.sg/Wireless-Earbuds-i.301122.88120455", "shopee:88120455"),
    ("商品链接 https://item.taobao.com/item.htm?spm=a21n57&id=680031245566 已下架",
     "https://item.taobao.com/item.htm?spm=a21n57&id=680031245566", "taobao:680031245566"),
    ("offer https://detail.1688.com/offer/655120987734.html (MOQ 50)", "https://detail.1688.com/offer/655120987734.html",
     "1688:655120987734"),
    ("TikTok Shop page https://shop.tiktok.com/view/shop/7300445566778899001", "https://shop.tiktok.com/view/shop/7300445566778899001",
     "tiktok:7300445566778899001"),
    # a URL in parentheses written against Chinese text ends at the bracket
    ("官方店铺（https://lanxiang.1688.com）主营箱包", "https://lanxiang.1688.com", "1688:lanxiang"),
])
def test_storefront_url(text, span, key):
    found = _found(text)
    if span is None:
        span = text[text.index("http"):]
    assert (span, "STORE_URL", key) in found


@pytest.mark.parametrize("text,span", [
    ("See https://shopee.co.id/search?keyword=tas for more", "https://shopee.co.id/search?keyword=tas"),
    ("The platform https://www.rakuten.co.jp/ itself", "https://www.rakuten.co.jp/"),
    ("Taobao home https://www.taobao.com/ only", "https://www.taobao.com/"),
    ("Search https://item.taobao.com/search.htm?q=bag", "https://item.taobao.com/search.htm?q=bag"),
    ("Help: https://www.tokopedia.com/help", "https://www.tokopedia.com/help"),
])
def test_not_a_storefront_url(text, span):
    assert not any(s == span and label == "STORE_URL" for s, label, _ in _found(text))


def test_domain_inside_a_company_name():
    found = _found("Payments were held by Shopfund.com Co., Ltd. and by Paysafe-Go.com, Inc. pending review.")
    assert not any(label == "DOMAIN" for _, label, _ in found)
    assert ("shopfund.com", "DOMAIN", "shopfund.com") in _found("Contact shopfund.com for help.")
