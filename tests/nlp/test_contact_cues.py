"""Messenger ids by chat-export layout and label, more messenger apps, tag-style payment accounts, bank accounts
after a remittance word or a sort code, PayPal merchant ids in other languages, seller-id cues of more
marketplaces and social handles. Passages are written for these tests; each rule has a look-alike that must not
match."""

from __future__ import annotations

import pytest

from nlp.pipeline import extract, load_pipeline


def _found(text: str) -> set[tuple[str, str, str | None]]:
    ex = extract(text, (), nlp=load_pipeline(False))
    return {(text[m.start:m.end], m.label, m.value) for m in ex.mentions}


def _spans(text: str) -> set[tuple[str, str]]:
    return {(span, label) for span, label, _ in _found(text)}


@pytest.mark.parametrize("text,span,label,value", [
    # the speaker lines of a QQ chat export carry the QQ number
    ("QQ群聊天记录导出\n鞋厂小王(2750184463) 09:12:40\n货都在仓库\n鞋厂小王(2750184463) 09:15:02\n今天发",
     "2750184463", "MESSENGER", "2750184463"),
    # a Telegram export's speaker line with its handle
    ("Telegram export, group \"bulk buyers\"\nMarco (@marco_bulkline) 2025-03-04 18:22\nprices attached",
     "marco_bulkline", "MESSENGER", "marco_bulkline"),
    # a label saying the phone is also the WeChat / WhatsApp contact
    ("深圳门店 销售电话（微信同号）：139 2217 6604", "139 2217 6604", "MESSENGER", "+8613922176604"),
    ("UK office\nMobile / WhatsApp: +44 7700 900461", "+44 7700 900461", "MESSENGER", "+447700900461"),
    # 'WhatsApp me on …', 'WeChat us at …'
    ("whatsapp me on +34 612 55 01 87 for the wholesale list", "+34 612 55 01 87", "MESSENGER", "+34612550187"),
    # more apps
    ("Contact: Viber +380 67 555 0142", "+380 67 555 0142", "MESSENGER", "+380675550142"),
    ("KakaoTalk ID: seoul_lux77", "seoul_lux77", "MESSENGER", "seoul_lux77"),
    ("Zalo: 0912 555 047 (anh Tuấn)", "0912 555 047", "MESSENGER", "0912555047"),
    ("需要货的加V：ql_shoes_2024", "ql_shoes_2024", "MESSENGER", "ql_shoes_2024"),
    # a Revolut / Venmo tag without digits
    ("Send it to Revolut @marisbakes please", "marisbakes", "PAYMENT", "marisbakes"),
    # bank accounts after a remittance word (Taiwan, with a bank code) and a UK sort code
    ("阿傑: 匯款 玉山銀行 (808) 0954-9680-12345 戶名 林傑", "0954-9680-12345", "PAYMENT", "0954968012345"),
    ("pay by transfer: sort code 20-31-77, account 40551277 (K Doyle)", "40551277", "PAYMENT", "40551277"),
    # PayPal merchant ids named in other languages
    ("Paiement PayPal (ID marchand 3KX7QW2M9RT4B) accepté", "3KX7QW2M9RT4B", "PAYMENT", "3KX7QW2M9RT4B"),
    ("Zahlung per PayPal, Händler-ID 7MZ2K4QX8WP3R.", "7MZ2K4QX8WP3R", "PAYMENT", "7MZ2K4QX8WP3R"),
    # seller-id cues: Xianyu number, Bol.com retailer id, an Instagram handle as the seller's account
    ("闲鱼卖家（闲鱼号 tb_kexin0921）在卖", "tb_kexin0921", "SELLER_ID", "tb_kexin0921"),
    ("the Bol.com shop \"Fietsbel Direct\" (retailer ID 1730552)", "1730552", "SELLER_ID", "1730552"),
    ("Instagram DM export: Priya (@glowcrate.priya) and me, 03/02/2025", "glowcrate.priya", "SELLER_ID",
     "glowcrate.priya"),
])
def test_contact_cue(text, span, label, value):
    assert (span, label, value) in _found(text)


@pytest.mark.parametrize("text,span,label", [
    # a chat line with a time but no QQ named: the bracket holds an order number
    ("Warehouse log\nPacker Li (2750184463) 09:12:40 sealed box", "2750184463", "MESSENGER"),
    # 'Tel/WeChat: number / handle': the number is the phone, the handle the WeChat
    ("Tel/WeChat: +86 755 2233 9101 / lin_case88", "+86 755 2233 9101", "MESSENGER"),
    # 'signal' as an English word
    ("This is a signal that 4410 units left the port.", "4410", "MESSENGER"),
    # a remittance word followed by an amount, not an account
    ("已经汇款 5000 元", "5000", "PAYMENT"),
    # an Instagram profile URL is a URL, its path is not a seller id
    ("Instagram https://www.instagram.com/glowcrate.priya/ is theirs", "glowcrate.priya", "SELLER_ID"),
    # a Revolut tag followed by nothing id-like
    ("Revolut @ 10am tomorrow", "10am", "PAYMENT"),
])
def test_contact_cue_look_alike(text, span, label):
    assert (span, label) not in _spans(text)


@pytest.mark.parametrize("text,span,value", [
    ("Write to ivy.lane {at} orchard-mail {dot} com for prices", "ivy.lane {at} orchard-mail {dot} com",
     "ivy.lane@orchard-mail.com"),
    ("Mail: ivy<at>orchard-mail<dot>net", "ivy<at>orchard-mail<dot>net", "ivy@orchard-mail.net"),
])
def test_braced_obfuscated_email(text, span, value):
    assert (span, "EMAIL", value) in _found(text)


def test_braced_words_without_an_address():
    assert not any(label == "EMAIL" for _, label, _ in _found("Templates write {at} for the sign, e.g. name {at} host."))


@pytest.mark.parametrize("text,span,label", [
    # a host with a path but no scheme is a URL (the contract: a path makes a URL)
    ("Buyers are sent to t.me/harbourlamps_deals for restocks.", "t.me/harbourlamps_deals", "URL"),
    ("Linktree: linktr.ee/harbourlamps", "linktr.ee/harbourlamps", "URL"),
    ("Seller page amazon.com/sp?seller=A2HBLMP7Q9XK4T copied.", "amazon.com/sp?seller=A2HBLMP7Q9XK4T", "STORE_URL"),
    # a chat export's header line names WhatsApp and the contact's number
    ("Chat export (WhatsApp) with Oskar (+48 512 660 174)\n[03.10.25, 09:01] Oskar: hi", "+48 512 660 174", "MESSENGER"),
    # an Instagram handle ending a sentence
    ("Their Instagram is @harbour.lamps. Orders by DM.", "harbour.lamps", "SELLER_ID"),
    # carrier service names before the number
    ("Versand: DHL Paket 00340434299901234567", "00340434299901234567", "TRACKING"),
    ("Shipped USPS Priority Mail 9405 5118 9956 0412 3340 77", "9405 5118 9956 0412 3340 77", "TRACKING"),
])
def test_layout_identifier(text, span, label):
    assert (span, label) in _spans(text)


@pytest.mark.parametrize("text,span,label", [
    ("See src/main.py/notes and utils.py/helpers in the repo", "main.py/notes", "URL"),   # file names
    ("Speed was 80 km/h on the way.", "km/h", "URL"),
    ("Export log: 14 rows, +48 512 660 174 called twice", "+48 512 660 174", "MESSENGER"),  # no app named
])
def test_layout_identifier_look_alike(text, span, label):
    assert (span, label) not in _spans(text)
