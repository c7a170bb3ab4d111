"""Provider account formats, messenger cues and address shapes added after blind set 2 was retired (each rule
with a passage it must fire on and a distractor it must not). Passages are written for these tests."""

from __future__ import annotations

import pytest

from nlp.pipeline import extract, load_pipeline


def _mentions(text: str, watchlist=()) -> list[tuple[str, str, str | None]]:
    ex = extract(text, watchlist, nlp=load_pipeline(False))
    return [(text[m.start:m.end], m.label, m.value) for m in ex.mentions]


def _labels(text: str) -> set[tuple[str, str]]:
    return {(span, label) for span, label, _ in _mentions(text)}


@pytest.mark.parametrize("text,span,label,value", [
    # Wise (ex-TransferWise) accounts are e-mail addresses
    ("Pay the balance by Wise to ruta.kelmer@fastmail.example before Friday.", "ruta.kelmer@fastmail.example",
     "PAYMENT", "ruta.kelmer@fastmail.example"),
    # a bank's name directly before an account number (HSBC Hong Kong: 3-6-3 digits)
    ("Please remit to Kowloon Bay Gifts Limited, HSBC 502-318877-001, thanks.", "502-318877-001", "PAYMENT",
     "502318877001"),
    # FPS identifiers are written after 識別碼 / 识别码 in Hong Kong chats
    ("阿明: 用 FPS 識別碼 1602284 過數就得", "1602284", "PAYMENT", "1602284"),
    # Bizum is a Spanish service: its phone number is Spanish even when the passage names no country
    ("Puedes pagar por Bizum al 644 20 13 58.", "644 20 13 58", "PHONE", "+34644201358"),
    # PayMe is a Hong Kong service
    ("Deposit via PayMe 9123 4407 please", "9123 4407", "PHONE", "+85291234407"),
    # Skype ids 'live:.cid.…' (the colon is part of the id, not a label)
    ("Talk to me on Skype live:.cid.5be20a91f3 after 6pm.", "live:.cid.5be20a91f3", "MESSENGER",
     "live:.cid.5be20a91f3"),
    # 'LINE:' as a contact line
    ("Customer service\nLINE: kumo_select88\nMail: help@kumo.example", "kumo_select88", "MESSENGER",
     "kumo_select88"),
    # the phone number of a WhatsApp chat export's header is the WhatsApp contact
    ("WhatsApp chat with Ravi Menon (+91 98450 12377)\n12/03/2025, 09:12 - Ravi Menon: hello",
     "+91 98450 12377", "MESSENGER", "+919845012377"),
    # '(微信同号)' / '(WeChat same number)' after a number
    ("手机 +86 139 0571 2286（微信同号）", "+86 139 0571 2286", "MESSENGER", "+8613905712286"),
    ("Mobile +86 139 0571 2286 (WeChat same number)", "+86 139 0571 2286", "MESSENGER", "+8613905712286"),
    # TikTok pixel ids: 'C' + 19 upper-case letters and digits, named as a pixel or loaded by ttq.load
    ("The three sites share TikTok pixel CQ1B7M2X9RT4K6VN3P0D.", "CQ1B7M2X9RT4K6VN3P0D", "TAG_ID",
     "CQ1B7M2X9RT4K6VN3P0D"),
    ("<script>ttq.load('CR8D2N5Z1WQ7H3JT6K4A'); ttq.page();</script>", "CR8D2N5Z1WQ7H3JT6K4A", "TAG_ID",
     "CR8D2N5Z1WQ7H3JT6K4A"),
    # DHL Express waybills: ten digits printed 4-4-2
    ("Sample sent by DHL, waybill 3316 0984 27.", "3316 0984 27", "TRACKING", "3316098427"),
    # eBay user ids are lower case, with or without digits
    ("| 7 | Pine Ridge Goods | eBay user pineridge-goods | Ohio |", "pineridge-goods", "SELLER_ID",
     "pineridge-goods"),
    # an IBAN that passes mod 97 but not the Spanish national check digits is still an IBAN as written
    ("Transferencia a ES64 2100 0418 4502 0005 1333 (titular: Lumen Mar S.L.).", "ES64 2100 0418 4502 0005 1333",
     "PAYMENT", "ES6421000418450200051333"),
    # a shop's own sub-domain on 1688 / Taobao is its storefront
    ("我们的店铺: https://qingfengxie.1688.com/ 欢迎", "https://qingfengxie.1688.com/", "STORE_URL",
     "https://qingfengxie.1688.com/"),
])
def test_account_format(text, span, label, value):
    assert (span, label, value) in _mentions(text)


@pytest.mark.parametrize("text,span,label", [
    ("Otherwise the payment goes to ruta.kelmer@fastmail.example as usual.", "ruta.kelmer@fastmail.example",
     "PAYMENT"),                                            # 'wise' inside another word is no provider
    ("SWIFT HSBCHKHHHKH, HSBC Hong Kong branch", "Hong", "PAYMENT"),   # no number after the bank
    ("Product line: Summer2025 collection", "Summer2025", "MESSENGER"),  # 'line' in prose
    ("WhatsApp chat with Ravi Menon (+91 98450 12377)\n12/03/2025, 09:15 - Ravi Menon: call +91 80 4000 1234",
     "+91 80 4000 1234", "MESSENGER"),                       # a number in the body, not on the header line
    ("Office +86 571 8800 2231, WeChat: hz_lina88", "+86 571 8800 2231", "MESSENGER"),
    ("TikTok shop order CQ1B7M2X9RT4K6VN3P0D shipped", "CQ1B7M2X9RT4K6VN3P0D", "TAG_ID"),  # no pixel named
    ("Call 3316 0984 27 for the office.", "3316 0984 27", "TRACKING"),   # no carrier / tracking word
    ("Installed Android app 8.41.0.100 on the test phone.", "8.41.0.100", "IP"),  # an app version
    ("Transferencia a ES64 2100 0418 4502 0005 1334.", "ES64 2100 0418 4502 0005 1334", "PAYMENT"),  # mod 97 fails
    ("See https://www.1688.com/ for the platform.", "https://www.1688.com/", "STORE_URL"),  # the platform's home
])
def test_account_format_distractor(text, span, label):
    assert (span, label) not in _labels(text)


def test_quoted_store_name_after_seller_is_no_seller_id():
    text = 'Seller: "Harbor Lane Store" (seller ID 300441287), order 20001234.'
    found = _labels(text)
    assert ("Harbor Lane Store", "STORE_NAME") in found
    assert ("Harbor", "SELLER_ID") not in found and ("300441287", "SELLER_ID") in found
    assert ("harbor_lane88", "SELLER_ID") in _labels('Seller: "harbor_lane88" (seller ID 300441287)')


@pytest.mark.parametrize("text,span", [
    ("Canada office: 88 Queen St E, Suite 300, Toronto, ON M5C 1S6, Canada",
     "88 Queen St E, Suite 300, Toronto, ON M5C 1S6, Canada"),
    ("Returns to 1450 Rue Peel, Montréal, QC H3A 1S8", "1450 Rue Peel, Montréal, QC H3A 1S8"),
    ("Run by Kaede Trading Co., Ltd., 3-5-12 Namba, Chuo-ku, Osaka 542-0076, Japan",
     "3-5-12 Namba, Chuo-ku, Osaka 542-0076, Japan"),
    ("La société, au capital de 10 000 €, dont le siège est situé 14 rue Paradis, 13001 Marseille, France.",
     "14 rue Paradis, 13001 Marseille, France"),
    ("发货地址：浙江省温州市鹿城区双屿鞋都三期12栋405档", "浙江省温州市鹿城区双屿鞋都三期12栋405档"),
    ("经营地址陕西省西安市雁塔区科技路48号创业大厦902室。", "陕西省西安市雁塔区科技路48号创业大厦902室"),
])
def test_address_shapes(text, span):
    assert (span, "ADDRESS") in _labels(text)


@pytest.mark.parametrize("text,bad", [
    ("Tel: +86 577 8123 4410  WeChat: lucy_shoes", "86 577 8123 4410  WeChat"),  # a phone, then a label
    ("Call (416) 555-0143 for the Toronto office.", "555-0143"),       # no Japan after a 3-4 number
    ("La société au capital de 5 000 €, siège situé 9 rue Sainte, 13001 Marseille.", "5 000 €"),
])
def test_address_distractor(text, bad):
    assert not any(label == "ADDRESS" and span.startswith(bad) for span, label in _labels(text))


@pytest.mark.parametrize("text,span,value", [
    ("Gesamtbetrag: 1.249,00 € inkl. MwSt.", "1.249,00 €", "1249"),    # euro amounts with a decimal comma
    ("Prezzo: € 39,90 spedizione inclusa", "€ 39,90", "39.9"),
    ("Precio final 27,50 EUR por unidad", "27,50 EUR", "27.5"),
])
def test_euro_amounts_with_decimal_comma(text, span, value):
    assert (span, "SCALE", value) in _mentions(text)


@pytest.mark.parametrize("text,bad", [
    ("SARL au capital de 8 000 €, RCS Lyon", "000 €"),                 # the tail of a number written with spaces
    ("Prezzo: € 39,90 spedizione inclusa", "€ 39"),
    ("Total $1,250 for 50 units", "$1,25"),                             # a US thousands comma is no decimal comma
])
def test_euro_amount_distractor(text, bad):
    assert not any(label == "SCALE" and span == bad for span, label, _ in _mentions(text))


def test_paypal_sentence_with_abbreviations_names_the_account():
    text = ("ORDERED that, under Fed. R. Civ. P. 65(b), PayPal, Inc. shall freeze the funds held for the "
            "defendants listed in Schedule B, including the account of Defendant No. 7 (rivermoor.pay@gmail.com).")
    assert ("rivermoor.pay@gmail.com", "PAYMENT", "rivermoor.pay@gmail.com") in _mentions(text)


def test_account_email_after_a_sentence_end_is_not_a_paypal_account():
    text = ("PayPal, Inc. froze the funds. The store's contact account on the forum lists "
            "(rivermoor.help@gmail.com) for questions.")
    assert ("rivermoor.help@gmail.com", "PAYMENT") not in _labels(text)


@pytest.mark.parametrize("text", ["The eBay seller since 2019 has 4,000 ratings.", "The eBay user profile was removed."])
def test_ebay_prose_is_no_user_id(text):
    assert not any(label == "SELLER_ID" for _, label, _ in _mentions(text))


@pytest.mark.parametrize("text,span,label", [
    ("Send it by Venmo @Marta-Quill-07 before shipping.", "Marta-Quill-07", "PAYMENT"),   # the handle, no @
    ("Cash App $martaquill7 works too.", "martaquill7", "PAYMENT"),
    ("Zelle to marta.quill@fastmail.example, thanks", "marta.quill@fastmail.example", "PAYMENT"),
    ("Revolut @mquill7 or Skrill mq.pay@mailbox.example", "mq.pay@mailbox.example", "PAYMENT"),
    ("有事加VX: lulu_bags77", "lulu_bags77", "MESSENGER"),            # WeChat written as VX
    ("扣扣 3092817465 也可以", "3092817465", "MESSENGER"),              # QQ written as 扣扣
])
def test_more_payment_and_messenger_cues(text, span, label):
    assert (span, label) in _labels(text)


@pytest.mark.parametrize("text", ["We paid cash, about 40 dollars, on pickup.", "My Venmo is broken today.",
                                  "Ask the Zelle help desk about it."])
def test_payment_app_words_in_prose(text):
    assert not any(label == "PAYMENT" for _, label, _ in _mentions(text))


@pytest.mark.parametrize("text,span", [("运动鞋 已售 8600+ 双\n", "已售 8600+ 双"), ("月销 3000+ 套餐", "月销 3000+")])
def test_chinese_count_word_after_units_sold(text, span):
    assert (span, "SCALE") in _labels(text)


@pytest.mark.parametrize("text,span", [
    ("Its items have been sold more than 5,200 times since March.", "5,200 times"),
    ("Upon information and belief, the defendant has sold over 3,900 counterfeit wallets.", "3,900"),
    ("The Etsy shop reports 1,882 sales and 4.9 stars.", "1,882 sales"),
    ("商品页 累计评价 1.4万 条", "累计评价 1.4万"),
    ("拼单页面显示已拼5万+件", "已拼5万+件"),
])
def test_more_count_forms(text, span):
    assert (span, "SCALE") in _labels(text)


@pytest.mark.parametrize("text,bad", [
    ("The listing sold 30 days ago.", "3"), ("It sold over 95% of its stock.", "95"),
    ("Totals: $3,074 sales tax included", "3,074 sales"),
])
def test_count_form_distractors(text, bad):
    assert (bad, "SCALE") not in _labels(text)


@pytest.mark.parametrize("text,span,is_scale", [
    ("Plaintiff shall post a bond in the amount of $5,000.", "$5,000", False),
    ("Price: US $18.40 · Shipping: US $4.20 · Returns accepted", "US $4.20", False),
    ("We can refund you $12 if you delete the review.", "$12", False),
    ("Amount on hold: $930.15", "$930.15", False),
    ("Price: US $18.40 · Shipping: US $4.20 · Returns accepted", "US $18.40", True),
    ("$31.99  List Price: $59.99", "$31.99", True),
])
def test_money_that_is_not_a_sales_figure(text, span, is_scale):
    assert ((span, "SCALE") in _labels(text)) is is_scale


@pytest.mark.parametrize("text,span,found", [
    ('Follow-up on the AliExpress seller "brightlamp_co" (store 1103827461): chat replies in English.', "1103827461",
     True),
    ("The store 24 hours a day; our shop 1234 Main Street is closed.", "1234", False),   # short numbers
    ("Order 118822 shipped from store 77 in Ohio.", "118822", False),
])
def test_store_followed_by_a_store_number(text, span, found):
    assert ((span, "SELLER_ID") in _labels(text)) is found
