"""Parcel tracking numbers: the value shapes carriers print, their check digits, and placeholder numbers.

Carrier names and tracking words (EN, ZH, JA, DE, FR, IT, ES, NL) are cues in ``patterns/cues.jsonl``; the
shapes found without a cue are in ``patterns/identifiers.jsonl``. Where a carrier's format has a check digit
(UPU S10 ``XX123456789YY``: mod 11; UPS ``1Z``: mod 10) a number found WITHOUT a cue must pass it; a number after a
carrier or tracking word is kept either way (investigators copy numbers by hand, and the check is for telling
numbers apart from other codes, which the cue already does). Placeholder numbers (``9400 0000 0000 …``,
``YT0000000000000000``) are never tracking numbers.
"""

from __future__ import annotations

import re

# the value after a carrier / tracking word, as carriers print it
VALUE = re.compile(
    r"1Z(?: [0-9A-Z]{3}){2} [0-9A-Z]{2}(?: [0-9A-Z]{4}){2}(?![A-Z0-9])"        # UPS, spaced 1Z 999 AA1 01 2345 6784
    r"|[A-Z]{2} ?(?:\d{3} ?\d{3} ?\d{3}|\d{4} ?\d{4} ?\d) ?[A-Z]{2}(?![A-Z0-9])"  # UPU S10, also spaced
    r"|(?=[A-Z]*\d)[A-Z0-9]{10,34}"                                             # one block of letters and digits
    r"|\d{4}(?: \d{4}){2,6}(?: \d{1,4})?"                                       # digits in groups of four
    r"|\d{4}(?:-\d{4}){2,5}(?:-\d{1,4})?(?![\d-])"                           # hyphenated 4-4-4 (Yamato)
    r"|\d{4} \d{4} \d{2}(?!\d)"                                                 # DHL Express waybill, 4-4-2
    r"|\d{3}(?: \d{3}){3,6}(?![\d])")                                           # groups of three
_S10 = re.compile(r"[A-Z]{2}\d{9}[A-Z]{2}")
_S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
_UPS = re.compile(r"1Z[0-9A-Z]{16}")
_RUN = re.compile(r"(\d)\1{6}")  # seven equal digits in a row: a format hint, not a parcel


def s10_ok(code: str) -> bool:
    """UPU S10 check digit (the ninth digit of ``XX12345678 9 YY``), mod 11 with weights 8 6 4 2 3 5 9 7."""
    total = sum(int(d) * w for d, w in zip(code[2:10], _S10_WEIGHTS))
    check = 11 - total % 11
    check = 0 if check == 10 else 5 if check == 11 else check
    return check == int(code[10])


def ups_ok(code: str) -> bool:
    """UPS 1Z check digit: the 15 characters after ``1Z`` (letters as (ord - 63) mod 10), odd positions once,
    even positions twice, the check digit brings the sum to a multiple of ten."""
    body, check = code[2:17], code[17]
    if not check.isdigit():
        return False
    values = [int(c) if c.isdigit() else (ord(c) - 63) % 10 for c in body]
    total = sum(v * (2 if i % 2 else 1) for i, v in enumerate(values))
    return (10 - total % 10) % 10 == int(check)


def placeholder(code: str) -> bool:
    """A number shown as a format hint: all its digits equal, or seven equal digits in a row."""
    digits = "".join(c for c in code if c.isdigit())
    return len(digits) >= 6 and (len(set(digits)) == 1 or _RUN.search(digits) is not None)


def tracking_ok(code: str, cued: bool) -> bool:
    """Whether ``code`` (no spaces) is kept as a tracking number: never a placeholder; without a cue, an S10 or
    UPS number must pass its check digit."""
    if placeholder(code):
        return False
    if cued:
        return True
    if _S10.fullmatch(code):
        return s10_ok(code)
    return True


def check_digits(code: str) -> dict[str, str]:
    """``{"check": "ok" | "fails"}`` for a format with a check digit (S10, UPS), else ``{}``: a number that
    fails may be mistyped or made up (kept when a cue names it a tracking number)."""
    if _S10.fullmatch(code):
        return {"check": "ok" if s10_ok(code) else "fails"}
    if _UPS.fullmatch(code):
        return {"check": "ok" if ups_ok(code) else "fails"}
    return {}
