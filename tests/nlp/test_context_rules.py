"""Rules where the context, not the shape, decides what a value is: payees named in a payment sentence,
labelled values after a short label, messenger and payment accounts that are phone numbers, pixel ids in
page code, address ends of more countries, and store names from listing and key-value layouts."""

from __future__ import annotations

import pytest

from nlp.pipeline import extract, load_pipeline


def _found(text: str, watchlist=()) -> set[tuple[str, str]]:
    ex = extract(text, watchlist, nlp=load_pipeline(False))
    return {(text[m.start:m.end], m.label) for m in ex.mentions}


@pytest.mark.parametrize("text,span,label", [
    # an e-mail a PayPal sentence names is the payment account too
    ("Our test order was paid via PayPal; the receipt named the payee as Ona Brill (ona.brill.shop@gmail.com).",
     "ona.brill.shop@gmail.com", "PAYMENT"),
    ("Payoneer confirmed that the account fernhill.trading@outlook.com received the transfers.",
     "fernhill.trading@outlook.com", "PAYMENT"),
    # the merchant id of a PayPal account is a payment account, not a marketplace seller id
    ("The PayPal account of the store \"Fernhill Goods\" has merchant ID 4KQ7ZP2MX9WT1.", "4KQ7ZP2MX9WT1",
     "PAYMENT"),
    # a label of a few words between the cue and the colon
    ("Merchant ID printed on the packing slip: A2QX7MV4KT9PL3.", "A2QX7MV4KT9PL3", "SELLER_ID"),
    ("WhatsApp chat with +44 7700 900123", "+44 7700 900123", "MESSENGER"),
    ("联系方式：微信同号 139 2750 6184（深圳）", "139 2750 6184", "MESSENGER"),
    ("Pague por Bizum al 622 18 40 95, gracias.", "622 18 40 95", "PAYMENT"),
    ("Tienda en Madrid. Pague por Bizum al 622 18 40 95, gracias.", "622 18 40 95", "PHONE"),
    ("<script>fbq('init', '481923650017342');</script>", "481923650017342", "TAG_ID"),
    ("Shipped with UPS 1Z 4E8 1W2 03 5521 9087 last Monday.", "1Z 4E8 1W2 03 5521 9087", "TRACKING"),
    ("Their support line 1-888-555-0142 answered in English.", "1-888-555-0142", "PHONE"),
    # a second handle of the same app after '/', and a cue word after '/'
    ("Tel/WeChat: +86 755 2390 1187 / lina_bags2024", "lina_bags2024", "MESSENGER"),
    ("Tel. +39 02 555 0134 · Cell./WhatsApp 348 555 0176", "348 555 0176", "MESSENGER"),
    ("Magazyn: ul. Lipowa 7, 62-080 Tarnowo Podgórne, Poland", "ul. Lipowa 7, 62-080 Tarnowo Podgórne, Poland",
     "ADDRESS"),
    ("Office: 18 Boon Lay Way, #07-41, Singapore 609966 · Tel +65 6555 0120",
     "18 Boon Lay Way, #07-41, Singapore 609966", "ADDRESS"),
    ("Returns: Unit 3, 40 Gladstone Road, Highgate Hill QLD 4101", "Unit 3, 40 Gladstone Road, Highgate Hill QLD 4101",
     "ADDRESS"),
])
def test_context_makes_the_identifier(text, span, label):
    assert (span, label) in _found(text)


@pytest.mark.parametrize("text,span,label", [
    ("From: PayPal Legal <legal-requests@paypal.example.com>\nThe account was closed.",
     "legal-requests@paypal.example.com", "PAYMENT"),   # the provider's own address
    ("Ragione sociale: Vetri Lucenti S.r.l. — P.IVA 04417720961", "04417720961", "PHONE"),
    ("[Telegram: Bulk Deals Club]\nMara: hi all", "Bulk", "MESSENGER"),  # a group title, not a handle
    ("Tel/WeChat: +86 755 2390 1187 / lina_bags2024", "+86 755 2390 1187", "MESSENGER"),  # the number is the Tel
    ("Footer: © 2024 Marlowe Store Official. All rights reserved.\nRoom 3, 2/F, 8 Ivy Street, Kowloon, Hong Kong",
     "2024 Marlowe Store", "ADDRESS"),
])
def test_context_rules_out_a_lookalike(text, span, label):
    assert not any(s.startswith(span) and lab == label for s, lab in _found(text))


@pytest.mark.parametrize("text,span,label", [
    ("Visit the Brightwell Tools Store\n4.1 out of 5 stars", "Brightwell Tools", "STORE_NAME"),
    ("Ships from Amazon. Sold by Brightwell Tools.", "Brightwell Tools", "STORE_NAME"),
    ("Seller display name: Larch Hollow Living\nMerchant token: A1B2C3", "Larch Hollow Living", "STORE_NAME"),
    ("店铺：小鹿运动鞋批发  掌柜：xiaolu2020", "小鹿运动鞋批发", "STORE_NAME"),
    ("我们淘宝店“鞋林小铺”已售2万件", "鞋林小铺", "STORE_NAME"),
    ("PayPal (Defendant No. 7, \"Saltmarsh Decor\") and Payoneer", "Saltmarsh Decor", "STORE_NAME"),
    ("Contatti — Vetri Lucenti Outlet Italia", "Vetri Lucenti Outlet Italia", "STORE_NAME"),
    ("Impressum\nBeispiel Handelsgesellschaft mbH\nMusterweg 3", "Beispiel Handelsgesellschaft mbH", "COMPANY"),
    ("Company: 泉州市跑鞋有限公司 (Quanzhou Runner Shoes Co., Ltd.)", "Quanzhou Runner Shoes Co., Ltd.", "COMPANY"),
    ("Follow-up on the DHgate seller \"oakline_store88\" (see the URL)", "oakline_store88", "SELLER_ID"),
])
def test_store_and_company_names_from_layout(text, span, label):
    assert (span, label) in _found(text)


def test_speaker_labels_in_a_chat_are_not_store_names():
    found = _found("卖家: 以后直接找我拿货\n卖家: 收款用支付宝 abc_shop@163.com")
    assert not any(label == "STORE_NAME" for _, label in found)


def test_a_company_in_a_table_alias_column_is_a_company():
    table = ("| No. | Seller Alias | Store URL |\n|---|---|---|\n"
             "| 1 | Larkspur Trading Co., Ltd | https://www.amazon.com/sp?seller=A3LK9QW2ZP7X1M |\n"
             "| 2 | Larkspur Home | https://www.amazon.com/sp?seller=A1ZT8KQ3WM5X2P |")
    found = _found(table)
    assert ("Larkspur Trading Co., Ltd", "COMPANY") in found
    assert ("Larkspur Home", "STORE_NAME") in found


def test_a_list_price_is_not_a_scale_figure_but_the_offer_price_is():
    text = "Bamboo Desk Lamp\n2K+ bought in past month\n$27.49  List Price: $54.99\nSold by Brightwell Tools."
    ex = extract(text, nlp=load_pipeline(False))
    scale = {(text[m.start:m.end], m.props.get("scale_kind")) for m in ex.mentions if m.label == "SCALE"}
    assert ("$27.49", "price") in scale
    assert ("2K+ bought in past month", "units_sold") in scale
    assert not any(span.endswith("54.99") for span, _ in scale)
