"""Identifiers that context, not their own shape, makes payment accounts or messenger contacts: an e-mail a
PayPal sentence names as the account ("PayPal produced records for the account x@…", "the PayPal receipt
identified the recipient as … (x@…)"), a merchant id of a PayPal account, a second messenger handle
written after the first ("WeChat: +86 769 … / amy_bags"), IBANs and account values after a provider's name, a phone number that a chat export's header or a
"same number on WeChat" remark makes a messenger contact."""

from __future__ import annotations

import re

from graph.clean import clean

from nlp.mention import Mention
from nlp.patterns import Cue

_EMAIL_PROVIDERS = {"paypal", "payoneer", "wise", "zelle", "skrill", "interac"}  # providers whose accounts are e-mail addresses
_SENTENCE_END = re.compile(r"[.!?。！？](?:\s|$)|\n")
_REACH = 100  # characters between the provider's name and the account, in one sentence
_HANDLE_AFTER = re.compile(r"[ \t]*(?:/|\bor\b|或)[ \t]*(@?[A-Za-z][A-Za-z0-9_.-]{3,31}[A-Za-z0-9])(?![\w@.-])")
_HANDLE_CHAR = re.compile(r"[\d_]")
_BANK_NUMBER = re.compile(r"\d{2,6}(?:[ -]?\d{2,8}){1,4}")
_ABBREVIATION = re.compile(r"(?:\b(?:Inc|Co|Ltd|Corp|No|Nos|Fed|Civ|Dkt|St|Mr|Ms|Mrs|Dr|U\.S|e\.g|i\.e|etc|approx)|"
                           r"(?<![\w.])[A-Z])$")
_ACCOUNT_BEFORE = re.compile(r"\baccounts?\b[^;\n]{0,30}$", re.I)  # '… the account of Defendant No. 14 ('
_ACCOUNT_REACH = 300


def _sentence_ends(text: str, start: int, end: int) -> bool:
    """A sentence ends between ``start`` and ``end`` (a period after an abbreviation — 'PayPal, Inc. shall',
    'Fed. R. Civ. P. 65(b)', 'No. 14' — ends none)."""
    for m in _SENTENCE_END.finditer(text, start, end):
        if m.group(0)[:1] != "." or not _ABBREVIATION.search(text, max(0, m.start() - 8), m.start()):
            return True
    return False


def provider_before(text: str, cues: list[Cue], pos: int, reach: int = _REACH) -> str | None:
    """The payment provider named last before ``pos`` in the same sentence (at most ``reach`` characters
    back), else None."""
    best = None
    for cue in cues:
        if cue.end > pos:
            break
        if cue.kind == "payment" and pos - cue.end <= reach and not _sentence_ends(text, cue.end, pos):
            best = cue.id
    return best


def payee_emails(text: str, found: list[Mention], cues: list[Cue]) -> list[Mention]:
    """PAYMENT mentions for e-mails that a PayPal / Payoneer sentence names (the e-mail stays an EMAIL too);
    e-mails already found as a payment account, and the provider's own addresses, are skipped."""
    paid = {(m.start, m.end) for m in found if m.label == "PAYMENT"}
    out = []
    for m in found:
        if m.label != "EMAIL" or (m.start, m.end) in paid or not m.key:
            continue
        provider = provider_before(text, cues, m.start)
        if provider is None and _ACCOUNT_BEFORE.search(text, max(0, m.start - 40), m.start):
            # 'PayPal, Inc. shall restrain the funds in the accounts …, including the account of … (x@…)'
            provider = provider_before(text, cues, m.start, _ACCOUNT_REACH)
        if provider not in _EMAIL_PROVIDERS or provider in m.key.partition("@")[2]:
            continue  # the provider's own address (legal@paypal.com, gi-responses@paypal-legal.example)
        c = clean("payment", m.key, {"provider": provider})
        if c.ok:
            out.append(Mention(m.start, m.end, "PAYMENT", m.text, value=c.props.get("account", m.key), key=c.key,
                               node="PaymentAccount", score=0.9, props={"provider": provider, "cue": "sentence"}))
            paid.add((m.start, m.end))
    return out


def alternative_handles(text: str, end: int, cue: Cue) -> list[Mention]:
    """A second contact of the same app right after a value: 'WeChat: +86 769 2287 5403 / amyzheng_bags'
    (a handle needs a digit or an underscore; a plain word after '/' is prose)."""
    m = _HANDLE_AFTER.match(text, end)
    if not m or not _HANDLE_CHAR.search(m.group(1)):
        return []
    start, value = m.start(1), m.group(1)
    if value.startswith("@"):
        start, value = start + 1, value[1:]
    return [Mention(start, m.end(1), "MESSENGER", value, value=value, key=f"{cue.id}:{value.lower()}",
                    node="Infrastructure", props={"app": cue.id, "cue": cue.id})]


_SAME_NUMBER = re.compile(r"[ \t]*[（(]?[ \t]*(?:(?P<a>微信|WeChat|WhatsApp|whatsapp|wechat)[ \t]?同[号號]|同微信|"
                          r"(?P<b>WeChat|WhatsApp)[ \t]+(?:same[ \t]+number|same|too|also)|"
                          r"same[ \t]+(?:number[ \t]+)?(?:on|for)[ \t]+(?P<c>WeChat|WhatsApp))", re.I)
_HEADER_REACH = 80
_EXPORT_LINE = re.compile(r"(?i:chat|export|conversation)|聊天|对话|對話|記録|记录")  # a chat export's header line


def _export_line(text: str, cue: Cue) -> bool:
    """The cue's line is a chat export's header ('Chat export (WhatsApp) with Lena (+49 …)')."""
    end = text.find("\n", cue.end)
    return _EXPORT_LINE.search(text, text.rfind("\n", 0, cue.start) + 1, end if end >= 0 else len(text)) is not None


def chat_numbers(text: str, found: list[Mention], cues: list[Cue]) -> list[Mention]:
    """MESSENGER mentions for phone numbers that are chat contacts by context: the number on a WhatsApp chat
    export's header line ('WhatsApp chat with Tony (+86 137 …)', 'WhatsApp chat export — +86 …'), and a number
    followed by '(微信同号)' / '(WeChat same number)' (the WeChat id is the phone number)."""
    have = {(m.start, m.end) for m in found if m.label == "MESSENGER"}
    headers = [c for c in cues if c.id == "whatsapp" and ("chat" in text[c.start:c.end].lower() or _export_line(text, c))]
    out = []
    for m in found:
        if m.label != "PHONE" or (m.start, m.end) in have:
            continue
        app = None
        for c in headers:
            if 0 <= m.start - c.end <= _HEADER_REACH and "\n" not in text[c.end:m.start]:
                app = "whatsapp"
        same = _SAME_NUMBER.match(text, m.end)
        if same:
            word = (same.group("a") or same.group("b") or same.group("c") or "wechat").lower()
            app = "whatsapp" if word == "whatsapp" else "wechat"
        if app:
            value = m.key or m.value
            out.append(Mention(m.start, m.end, "MESSENGER", m.text, value=value, key=f"{app}:{value}",
                               node="Infrastructure", props={"app": app, "cue": "context"}))
            have.add((m.start, m.end))
    return out


def iban_value(m: Mention) -> Mention | None:
    """The longest IBAN-shaped prefix that validates (the pattern may run into a following word). One that
    passes the IBAN check (mod 97) but not the country's own account check digits, which the graph's cleaner
    also tests, is still reported as written (no node: the graph would reject it)."""
    text, loose = m.text, None
    while len(text.replace(" ", "")) >= 15:
        c = clean("payment", text)
        if c.ok and c.key.startswith("iban:") and c.props.get("account", "") == text.replace(" ", "").upper():
            m.end = m.start + len(text)
            m.text, m.value, m.key, m.node = text, c.props["account"], c.key, "PaymentAccount"
            m.props["provider"] = "iban"
            return m
        if loose is None and c.reason == "iban checksum fails" and _mod97(text.replace(" ", "")):
            loose = text
        cut = max(text.rfind(" "), len(text) - 1) if " " in text else len(text) - 1
        text = text[:cut].rstrip()
    if loose is None:
        return None
    m.end = m.start + len(loose)
    m.text, m.value, m.key, m.node = loose, loose.replace(" ", ""), None, None
    m.props.update(provider="iban", check="national check digits fail")
    return m


def _mod97(iban: str) -> bool:
    if not 15 <= len(iban) <= 34 or not iban[:2].isalpha() or not iban[2:4].isdigit() or not iban.isalnum():
        return False
    digits = "".join(str(int(ch, 36)) for ch in (iban[4:] + iban[:4]).upper())
    return int(digits) % 97 == 1


def payment_value(text: str, start: int, end: int, value: str, cue: Cue) -> Mention | None:
    """A PAYMENT mention for a value after a provider / bank cue, checked by the graph's payment cleaner."""
    provider = cue.id
    if provider == "bankname":  # 'HSBC 411-582903-838': a bank's name, then the account number
        if not _BANK_NUMBER.fullmatch(value):
            return None
        provider = "bank"
        hint = {"provider": "bank", "bank": text[cue.start:cue.end]}
    elif provider == "bank":
        bank = re.search(r"([A-Z][\w&.]*(?:\s+[A-Z][\w&.]*){0,5}\s+Bank|Bank\s+of\s+[A-Z]\w+(?:\s+[A-Z]\w+)?|"
                         r"[\u4e00-\u9fff]{2,8}银行|HSBC|ICBC|Citibank|Barclays)", text[max(0, start - 120):start + 120])
        hint = {"provider": "bank", "bank": bank.group(1)} if bank else {"provider": "bank"}
        if "@" in value:
            return None
    else:
        hint = {"provider": provider}
    if "@" not in value and re.search(r"\[at\]|\(at\)", value, re.I):
        e = clean("email", value)
        if not e.ok:
            return None
        c = clean("payment", e.key, hint)
    else:
        c = clean("payment", value, hint)
    if not c.ok:
        return None
    if c.props.get("provider") == "iban" and provider != "bank":
        return None  # an IBAN is found by its own pattern
    m = Mention(start, end, "PAYMENT", value, value=c.props.get("account", value), key=c.key, node="PaymentAccount")
    m.props["provider"] = c.props.get("provider", provider)
    return m


# a bank account after a remittance word and an optional bank name / bank code ('匯款 國泰世華 (013) 0123-5501-8826'),
# and a UK / US / AU account number after its sort code / routing number / BSB ('sort code 04-00-75 acc 31926048')
_REMIT = re.compile(r"(?:匯款|汇款|轉帳|转账|轉賬|匯至|汇至|轉入|转入)[ \t:：]*(?:[\u4e00-\u9fff]{2,8}(?:銀行|银行)?[ \t]*)?"
                    r"(?:[(（]\d{3,4}[)）][ \t]*)?(?:(?:帳號|账号|賬號|帳戶|账户)[ \t:：]*)?(?P<n>\d{3,6}(?:[ -]?\d{2,8}){1,4})(?![\d-])"
                    r"|\bsort[ \t]?code[ \t:]*\d{2}[- ]?\d{2}[- ]?\d{2}[,;]?[ \t]*(?:a/c|acc(?:ount)?|acct)\.?"
                    r"(?:[ \t]*(?:no\.?|number|#))?[ \t:]*(?P<uk>\d{8})(?!\d)"
                    r"|\b(?:routing(?:[ \t]+(?:number|no\.?))?|ABA|BSB)[ \t:#]*\d{3}-?\d{3}(?:\d{3})?[,;]?[ \t]*"
                    r"(?:a/c|acc(?:oun)?t?)\.?(?:[ \t]*(?:no\.?|number|#))?[ \t:#]*(?P<us>\d{6,17})(?!\d)", re.I)


def remitted_accounts(text: str, found: list[Mention]) -> list[Mention]:
    """PAYMENT mentions for bank account numbers that a remittance word or a sort code introduces."""
    taken = [(m.start, m.end) for m in found if m.label in ("PAYMENT", "PHONE")]
    out = []
    low = text.lower()
    if not ("sort" in low or "routing" in low or " aba" in low or "bsb" in low or any(w in text for w in "匯汇轉转")):
        return out
    for m in _REMIT.finditer(text):
        group = next(g for g in ("n", "uk", "us") if m.group(g))
        start, end = m.span(group)
        if any(s < end and start < e for s, e in taken):
            continue
        value = m.group(group)
        c = clean("payment", value, {"provider": "bank"})
        if c.ok:
            out.append(Mention(start, end, "PAYMENT", value, value=c.props.get("account", value), key=c.key,
                               node="PaymentAccount", props={"provider": "bank", "cue": "remittance"}))
    return out
