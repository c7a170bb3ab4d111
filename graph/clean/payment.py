"""Payment accounts: wallets, IBANs, bank accounts and card-acquirer merchant ids.

Key formats (``provider`` is a lower-case slug):

* ``paypal:<e-mail lower>`` | ``paypal:<13-char merchant id, upper>`` | ``paypal:me/<user lower>``
* ``stripe:acct_<id>`` (the id part keeps its case)
* ``iban:<IBAN compact, upper>`` (ISO 13616 mod-97, per-country length and format)
* ``bank:<bank slug>:<account digits>`` (slug ``unknown`` when no bank is named)
* ``mid:<digits, else ID upper>`` (card-acquirer merchant id)
* ``<provider>:<e-mail lower | digits | ID upper>`` for payoneer, pingpong, lianlian,
  alipay, worldfirst, wechatpay, airwallex, wise and any provider named only by the hint.

The provider comes from ``hint["provider"]`` (free text) or the text itself (earliest
provider word wins; a valid IBAN or a Stripe ``acct_`` id wins over provider words).
Generic ids must contain a digit (letters-only wallet ids are not recognised).
Props: ``provider``, ``account``; IBANs add ``country`` and ``bank`` (the first BBAN field of
the SWIFT registry structure, i.e. the bank code: BLZ, sort-code bank, ABI after the IT CIN);
bank accounts add ``bank`` (slug) and ``country`` (hint, or known for some big banks).
"""

from __future__ import annotations

import re
import unicodedata

from stdnum import iban as _iban
from stdnum import numdb
from stdnum.exceptions import InvalidChecksum, InvalidFormat, ValidationError

from graph.clean.text import fold_text
from graph.clean import Cleaned, Hint, accept, reject
from graph.clean.country import country_code

_MAX_IN = 1000
_PROVIDERS = {  # slug -> alias pattern (matched on lower-cased text)
    "paypal": r"pay\s?pal|贝宝",
    "payoneer": r"payoneer|派安盈",
    "pingpong": r"ping\s?pong",
    "lianlian": r"lian\s?lian(?:\s?pay)?|连连(?:支付)?|llpay",
    "alipay": r"ali\s?pay|支付宝",
    "worldfirst": r"world\s?first|万里汇",
    "stripe": r"stripe",
    "wechatpay": r"we\s?chat(?:\s?pay)?|weixin(?:\s?pay)?|微信(?:支付)?",
    "airwallex": r"airwallex|空中云汇",
    "wise": r"transfer\s?wise|wise",
    "iban": r"iban",
    "mid": r"merchant\s?id|mid|acquirer",
    "bank": r"bank|银行",
}
_B, _E = r"(?<![a-z])(?:", r")(?![a-z])"
_ALIAS = {slug: re.compile(_B + pat + _E) for slug, pat in _PROVIDERS.items()}
_ANY_ALIAS = re.compile("|".join(f"(?P<{s}>{_B}{p}{_E})" for s, p in _PROVIDERS.items()))
_LABELS = re.compile(
    r"(?<![a-z0-9])(?:account|acct|a/c|id|no|nr|number|num|merchant|customer|user(?:name)?"
    r"|e-?mail|mail|card|holder|name|beneficiary|payee|pay|wallet)(?![a-z0-9])"
    r"|帐号|账号|账户|卡号|户名|收款")
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+"
                    r"(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}(?![A-Za-z0-9-])")
_TAG_PROVIDERS = {"venmo", "cashapp", "revolut"}
_VPA = re.compile(r"[A-Za-z0-9._-]{2,64}@[A-Za-z]{2,20}(?![\w.@])")
_TAG = re.compile(r"[@$]?([A-Za-z][A-Za-z0-9_.-]{2,40}[A-Za-z0-9])")
_DIGITS = re.compile(r"(?<![A-Za-z0-9])[0-9](?:[ .-]?[0-9]){5,33}(?![A-Za-z0-9])")
_TOKEN = re.compile(r"(?<![A-Za-z0-9_.-])[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,62}[A-Za-z0-9])?"
                    r"(?![A-Za-z0-9_-])")
_IA = re.I | re.A
_STRIPE = re.compile(r"(?<![A-Za-z0-9])acct_([A-Za-z0-9]{8,40})(?![A-Za-z0-9])", _IA)
_PAYPAL_ME = re.compile(r"(?:paypal\.me/|(?<![A-Za-z0-9./])me/)([A-Za-z0-9_-]{2,64})", _IA)
_MERCHANT13 = re.compile(r"(?<![A-Za-z0-9])(?=[A-Za-z]*[0-9])[A-Za-z0-9]{13}(?![A-Za-z0-9])")
_IBAN_AT = re.compile(r"(?<![A-Z0-9])(?=([A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11,30}))")
_BANK_KEY = re.compile(r"bank:([^\s:]+):([0-9]{6,34})")
_IBAN_DB = numdb.get("iban")
# canonical bank slugs (and their country) for banks sellers name in many spellings
_BANKS: dict[str, tuple[str, str]] = {}
for _canon, _cc, _names in (
    ("bank-of-china", "CN", "boc 中国银行"),
    ("icbc", "CN", "industrial-and-commercial-bank-of-china 工商银行 中国工商银行"),
    ("china-construction-bank", "CN", "ccb 建设银行 中国建设银行"),
    ("agricultural-bank-of-china", "CN", "农业银行 中国农业银行"),
    ("china-merchants-bank", "CN", "cmb 招商银行"),
    ("bank-of-communications", "CN", "bocom 交通银行"),
    ("postal-savings-bank-of-china", "CN", "psbc 邮政储蓄银行 中国邮政储蓄银行"),
    ("ping-an-bank", "CN", "平安银行"),
    ("china-citic-bank", "CN", "中信银行"),
    ("hang-seng-bank", "HK", "hang-seng 恒生银行"),
    ("bank-of-america", "US", "bofa"),
    ("jpmorgan-chase", "US", "chase chase-bank jpmorgan-chase-bank"),
    ("wells-fargo", "US", "wells-fargo-bank"),
):
    for _n in (_canon, *_names.split()):
        _BANKS[_n] = (_canon, _cc)


def _prep(raw: str) -> str:
    return " ".join(fold_text(raw, _MAX_IN).split())


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[^a-z0-9\u3400-\u9fff]+", "-", text).strip("-")
    return text[:40].strip("-")


def _hint_provider(hint: Hint | None) -> str | None:
    raw = (hint or {}).get("provider")
    if not isinstance(raw, str):
        return None
    text = _prep(raw).lower()
    m = _ANY_ALIAS.search(text)
    return m.lastgroup if m else (_slug(text) or None)


def _iban_candidates(text: str):
    """Per IBAN-shaped run: its space-group prefixes, compacted, longest first."""
    for m in _IBAN_AT.finditer(text.upper()):
        groups = m.group(1).split(" ")
        cands = ["".join(groups[:k]) for k in range(len(groups), 0, -1)]
        yield [c for c in cands if 15 <= len(c) <= 34]


def _iban_length(cc: str) -> int | None:
    bban = _IBAN_DB.info(cc)[0][1].get("bban")
    return 4 + sum(int(n) for n in re.findall(r"([0-9]+)!", bban)) if bban else None


def _valid_iban(text: str) -> str | None:
    for cands in _iban_candidates(text):
        for c in cands:
            if _iban.is_valid(c):
                return c
    return None


def _iban_problem(text: str) -> str | None:
    """Why the first IBAN-shaped string of a known country does not validate."""
    for cands in _iban_candidates(text):
        want = _iban_length(cands[0][:2]) if cands else None
        if want is None:
            continue
        for c in cands:
            if len(c) == want:
                try:
                    _iban.validate(c)
                except InvalidChecksum:
                    return "iban checksum fails"
                except InvalidFormat:
                    return "iban format wrong for country"
                except ValidationError:
                    return "iban invalid"
        return "iban length wrong for country"
    return None


def _iban_result(number: str) -> Cleaned:
    parts = re.findall(r"([0-9]+)!", _IBAN_DB.info(number[:2])[0][1].get("bban", ""))
    sizes = [int(p) for p in parts][1 if number[:2] in ("IT", "SM") else 0:]
    skip = 4 + (1 if number[:2] in ("IT", "SM") else 0)
    bank = number[skip:skip + sizes[0]] if sizes else ""
    return accept(f"iban:{number}", _iban.format(number), provider="iban",
                  account=number, country=number[:2], bank=bank)


def _strip(text: str, provider: str) -> str:
    """Lower-cased text without the provider's own words and account labels."""
    alias = _ALIAS.get(provider) or re.compile(_B + re.escape(provider) + _E)
    return _LABELS.sub(" ", alias.sub(" ", text.lower()))


def _generic(text: str, provider: str) -> str | None:
    m = _EMAIL.search(text)
    if m:
        return m.group(0).lower()
    rest = _strip(text, provider)
    m = _DIGITS.search(rest)
    if m:
        return re.sub(r"[^0-9]", "", m.group(0))
    for m in _TOKEN.finditer(rest):
        if re.search(r"[0-9]", m.group(0)):
            return m.group(0).upper()
    return None


def _paypal(text: str) -> str | None:
    m = _EMAIL.search(text)
    if m:
        return m.group(0).lower()
    m = _PAYPAL_ME.search(text)
    if m:
        return "me/" + m.group(1).lower()
    m = _MERCHANT13.search(_strip(text, "paypal"))
    return m.group(0).upper() if m else None


def _bank(text: str, hint: Hint | None) -> Cleaned:
    problem = _iban_problem(text)
    if problem:
        return reject(problem)
    m = _BANK_KEY.fullmatch(text)
    if m and _slug(m.group(1)) == m.group(1):
        slug, digits = m.group(1), m.group(2)
    else:
        runs = list(_DIGITS.finditer(text))
        if not runs:
            return reject("no account id")
        run = max(runs, key=lambda r: (len(re.sub(r"[^0-9]", "", r.group(0))), r.start()))
        digits = re.sub(r"[^0-9]", "", run.group(0))
        before, after = text[:run.start()], text[run.end():]
        name = before if re.search(r"[^\W\d_]", before) else after
        name = re.sub(r"^\s*bank\s*(?:name)?\s*[:=]", " ", name, flags=re.I)
        name = _LABELS.sub(" ", name.lower())
        parts = [p for p in re.split(r"[,;(|]", name) if re.search(r"[^\W\d_]", p)]
        slug = _slug(parts[0]) if parts else ""
        slug = slug or "unknown"
    slug, cc = _BANKS.get(slug, (slug, ""))
    cc = country_code((hint or {}).get("country")) or cc
    return accept(f"bank:{slug}:{digits}", provider="bank", account=digits,
                  bank=slug if slug != "unknown" else "", country=cc or "")


def clean_payment(raw: str, hint: Hint | None = None) -> Cleaned:
    """'PayPal: Sales.HK@outlook.com' -> 'paypal:sales.hk@outlook.com', IBANs, banks, ..."""
    text = _prep(raw)
    if not text:
        return reject("empty")
    provider = _hint_provider(hint)
    if provider in (None, "bank", "iban"):
        number = _valid_iban(text)
        if number:
            return _iban_result(number)
    if provider is None:
        if _STRIPE.search(text):
            provider = "stripe"
        else:
            m = _ANY_ALIAS.search(text.lower())
            provider = m.lastgroup if m else None
    if provider is None:
        problem = _iban_problem(text)
        if problem:
            return reject(problem)
        return reject("no provider for an e-mail" if _EMAIL.search(text) else "unknown provider")
    if provider == "iban":
        return reject(_iban_problem(text) or "no account id")
    if provider == "bank":
        return _bank(text, hint)
    if provider == "stripe":
        m = _STRIPE.search(text)
        account = "acct_" + m.group(1) if m else None
    elif provider == "paypal":
        account = _paypal(text)
    elif provider == "upi" and _VPA.search(text):  # an Indian UPI address 'name@bank' (no domain dot)
        account = _VPA.search(text).group(0).lower()
    else:
        account = _generic(text, provider)
        tag = _TAG.fullmatch(text.strip()) if account is None and provider in _TAG_PROVIDERS else None
        if tag:  # a Venmo / Cash App / Revolut tag is a user name, often without digits ('@lucyknits')
            account = tag.group(1).lower()
    if not account:
        return reject("no account id")
    return accept(f"{provider}:{account}", provider=provider, account=account)
