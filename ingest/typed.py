"""Typed cell values as clean text: dates to ISO 8601, numbers without float noise, money as '12480.55 USD'.

Pure functions shared by the table parsers (CSV, XLSX, JSON). Each returns ``None`` for text it cannot
type with certainty; the caller then keeps the text as written (and says so in a note).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from functools import lru_cache

# --- numbers ----------------------------------------------------------------------------------------


def number_text(value: int | float | Decimal) -> str:
    """12480.55 -> '12480.55', 48213377.0 -> '48213377', 0.30000000000000004 -> '0.3' (15 digits, as Excel shows)."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        value = Decimal(format(value, ".15g"))
    text = format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def lossy_integer(value: float) -> bool:
    """True for a float that stands for an identifier longer than the 15 digits a spreadsheet keeps."""
    return isinstance(value, float) and value == value and abs(value) >= 1e15 and value.is_integer()


# --- dates ------------------------------------------------------------------------------------------

_MONTHS = {m: i for i, names in enumerate((
    "jan january janv januar enero", "feb february fevr fev februar febrero", "mar march mars marz märz marzo",
    "apr april avr avril abril", "may mai mayo", "jun june juin juni junio", "jul july juil juillet juli julio",
    "aug august aout août agosto", "sep sept september septembre septiembre", "oct october octobre oktober octubre",
    "nov november novembre noviembre", "dec december decembre décembre dezember diciembre"), start=1)
    for m in names.split()}
_TIME = r"(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*([AaPp][Mm])?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?)?"
_YMD = re.compile(r"^(\d{4})[-/.年]\s*(\d{1,2})[-/.月]\s*(\d{1,2})日?" + _TIME + "$")
_DMY_DOT = re.compile(r"^(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{2}|\d{4})" + _TIME + "$")
_NUMERIC = re.compile(r"^(\d{1,2})[/-](\d{1,2})[/-](\d{2}|\d{4})" + _TIME + "$")
_D_MON_Y = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[\s./-]*([A-Za-zäéû]{3,9})\.?[\s./,-]*(\d{4})" + _TIME + "$")
_MON_D_Y = re.compile(r"^([A-Za-zäéû]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})" + _TIME + "$")


def _year(text: str) -> int:
    y = int(text)
    return y if len(text) == 4 else (2000 + y if y < 70 else 1900 + y)


def _assemble(y: int, m: int, d: int, time: tuple) -> str | None:
    hh, mm, ss, ampm, zone = time
    try:
        day = dt.date(y, m, d)
        if hh is None:
            return day.isoformat()
        h = int(hh)
        if ampm:
            if not 1 <= h <= 12:
                return None
            h = h % 12 + (12 if ampm.lower() == "pm" else 0)
        moment = dt.datetime(y, m, d, h, int(mm), int(ss or 0))
    except ValueError:
        return None
    if zone is None and moment.time() == dt.time(0):
        return day.isoformat()
    text = moment.isoformat()
    if zone:
        text += "Z" if zone.upper() in ("Z", "UTC", "GMT") else f"{zone[:3]}:{zone[-2:]}"
    return text


def date_text(raw: str) -> str | None:
    """An unambiguous date (and time) in ISO 8601: '2024-03-14', '2024-03-14T08:15:00Z'; None when unsure.

    Slashed day/month orders are typed only when a part is above 12 ('14/03/2024', '03/14/2024');
    '03/04/2024' stays as written. Dotted dates are day first (14.03.2024), as in Europe.
    """
    text = " ".join(unicodedata.normalize("NFKC", raw).split())
    if not text or len(text) > 40:
        return None
    if m := _YMD.match(text):
        return _assemble(int(m[1]), int(m[2]), int(m[3]), m.groups()[3:])
    if m := _DMY_DOT.match(text):
        return _assemble(_year(m[3]), int(m[2]), int(m[1]), m.groups()[3:])
    if m := _NUMERIC.match(text):
        a, b = int(m[1]), int(m[2])
        if a > 12 >= b:
            return _assemble(_year(m[3]), b, a, m.groups()[3:])
        if b > 12 >= a:
            return _assemble(_year(m[3]), a, b, m.groups()[3:])
        return None
    if m := _D_MON_Y.match(text):
        month = _MONTHS.get(m[2].lower())
        return _assemble(int(m[3]), month, int(m[1]), m.groups()[3:]) if month else None
    if m := _MON_D_Y.match(text):
        month = _MONTHS.get(m[1].lower())
        return _assemble(int(m[3]), month, int(m[2]), m.groups()[3:]) if month else None
    return None


def moment_text(value: dt.datetime | dt.date | dt.time) -> str:
    """A spreadsheet date/time cell in ISO 8601 (midnight datetimes as plain dates)."""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    return value.isoformat()


def epoch_text(value: int) -> str | None:
    """Unix seconds or milliseconds (as JSON exports write them) in ISO 8601 UTC, for 1990..2100."""
    seconds = value / 1000 if value > 10**11 else value
    if not 631152000 <= seconds < 4102444800:
        return None
    moment = dt.datetime.fromtimestamp(seconds, dt.timezone.utc)
    return moment.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


# --- money ------------------------------------------------------------------------------------------

# longest first: 'US$' before '$'; None: a symbol shared by several currencies (kr)
_SYMBOLS = (("US$", "USD"), ("USD$", "USD"), ("HK$", "HKD"), ("NT$", "TWD"), ("CA$", "CAD"), ("C$", "CAD"),
            ("AU$", "AUD"), ("A$", "AUD"), ("NZ$", "NZD"), ("S$", "SGD"), ("R$", "BRL"), ("MX$", "MXN"),
            ("RMB", "CNY"), ("CN¥", "CNY"), ("JP¥", "JPY"), ("$", "USD"), ("€", "EUR"), ("£", "GBP"),
            ("¥", "CNY"), ("元", "CNY"), ("円", "JPY"), ("₹", "INR"), ("₩", "KRW"), ("₽", "RUB"), ("₺", "TRY"),
            ("₱", "PHP"), ("₫", "VND"), ("฿", "THB"), ("zł", "PLN"), ("Kč", "CZK"), ("руб", "RUB"))
_SYMBOL_RE = re.compile("|".join(re.escape(s) for s, _ in _SYMBOLS))
_SYMBOL_CODE = dict(_SYMBOLS)
_CODE_RE = re.compile(r"(?<![A-Za-z])([A-Za-z]{3})(?![A-Za-z])")
_AMOUNT = re.compile(r"^[+-]?\d[\d.,' \u00a0\u2009\u202f]*$")


@lru_cache(maxsize=1)
def _iso_codes() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.currencies)


def currency_code(text: str) -> str | None:
    """'usd' -> 'USD', '€' -> 'EUR', 'RMB' -> 'CNY', '人民币' -> 'CNY'; None when not a currency."""
    text = unicodedata.normalize("NFKC", text).strip().strip(".")
    if not text:
        return None
    if text.upper() in _iso_codes():
        return text.upper()
    if text in ("人民币", "人民幣"):
        return "CNY"
    return _SYMBOL_CODE.get(text) or _SYMBOL_CODE.get(text.upper())


def _plain_amount(text: str) -> str | None:
    """'12,480.55' -> '12480.55'; '12.480,55' -> '12480.55'; '3,200' -> '3200'; '3,20' -> '3.20'."""
    sign = "-" if text.startswith("-") else ""
    body = re.sub(r"[ '\u00a0\u2009\u202f]", "", text.lstrip("+-"))
    if not body or not body[0].isdigit():
        return None
    dots, commas = body.count("."), body.count(",")
    if dots and commas:
        decimal = "." if body.rfind(".") > body.rfind(",") else ","
    elif dots + commas == 1:
        sep = "." if dots else ","
        whole, frac = body.split(sep)
        # '12,480' and '12.480' are grouped thousands; '0.125', '3,20', '12480.55' carry decimals
        decimal = None if len(frac) == 3 and whole != "0" else sep
    elif dots + commas > 1:
        decimal = None  # '1,234,567' / '1.234.567': grouping only
    else:
        decimal = None
    if decimal is None:
        whole, frac = body, ""
    else:
        whole, _, frac = body.rpartition(decimal)
        if not frac.isdigit():
            return None
    if not re.fullmatch(r"\d+|\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*", whole):
        return None  # '1.2.3', '12,34,5': not grouped thousands
    whole = re.sub(r"[.,]", "", whole)
    if not whole.isdigit():
        return None
    whole = whole.lstrip("0") or "0"
    return f"{sign}{whole}.{frac}" if frac else f"{sign}{whole}"


def money_text(raw: str, currency: str | None = None) -> str | None:
    """'USD 12,480.55' / '12.480,55 €' / '¥3,200' / '(1,200.00)' -> '12480.55 USD' / '12480.55 EUR' / '3200 CNY' /
    '-1200.00'. ``currency`` (from a Currency column) is used when the amount names none. None: not an amount."""
    text = unicodedata.normalize("NFKC", raw).strip()
    if not text or len(text) > 60:
        return None
    negative = text.startswith("(") and text.endswith(")")
    if negative:
        text = text[1:-1].strip()
    found = None
    if m := _SYMBOL_RE.search(text):
        found = _SYMBOL_CODE[m[0]]
        text = (text[:m.start()] + " " + text[m.end():]).strip()
    for m in _CODE_RE.finditer(text):
        code = m[1].upper()
        if code in _iso_codes():
            found = found or code
            text = (text[:m.start()] + " " + text[m.end():]).strip()
            break
    if text.endswith("-") and text[:-1].strip():  # '1.200,00-' as some ledgers write debits
        negative, text = True, text[:-1].strip()
    if not _AMOUNT.match(text):
        return None
    amount = _plain_amount(text)
    if amount is None:
        return None
    if negative and not amount.startswith("-"):
        amount = "-" + amount
    code = found or (currency_code(currency) if currency else None)
    return f"{amount} {code}" if code else amount


def format_currency(number_format: str) -> str | None:
    """The currency of a spreadsheet number format: '"$"#,##0.00' -> USD, '[$€-407]#,##0.00' -> EUR,
    '[$¥-411]#,##0' -> JPY, '[$USD] #,##0.00' -> USD; None for plain number formats."""
    if not number_format or number_format == "General":
        return None
    if m := re.search(r"\[\$([^\]\-]*)(?:-([0-9A-Fa-f]+))?\]", number_format):
        symbol, locale = m[1].strip(), (m[2] or "").lower()
        if symbol in ("¥", "￥") and locale.endswith("411"):
            return "JPY"
        if symbol:
            return currency_code(symbol)
    visible = re.sub(r"\[[^\]]*\]", "", number_format)
    if m := re.search(r'"([^"]+)"', visible):
        code = currency_code(m[1])
        if code:
            return code
    if m := _SYMBOL_RE.search(visible.replace('"', "")):
        return _SYMBOL_CODE[m[0]]
    return None
