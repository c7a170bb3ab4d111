"""Pattern data (``nlp/patterns/*.jsonl``) compiled once per process, and the context helpers built on it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PATTERN_DIR = Path(__file__).with_name("patterns")
_FLAGS = {"i": re.I, "m": re.M, "s": re.S, "x": re.X}


@dataclass(frozen=True)
class Pattern:
    label: str
    id: str
    regex: re.Pattern[str]
    cue: str | None = None
    near: re.Pattern[str] | None = None
    gate: tuple[str, ...] = ()  # the lower-cased text must contain one of these, else the pattern cannot match
    lower: bool = False  # case-insensitive: written in lower case, run on the lower-cased text (faster than re.I)
    anchor: re.Pattern[str] | None = None  # every match contains a match of this at most ``before`` characters
    before: int = 0                         # after its own start: the search starts only near them

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """The matches of ``regex`` in ``text``, exactly as ``regex.finditer(text)`` gives them. With an
        anchor the search starts ``before`` characters ahead of the next anchor at or after the end of the
        last match (a match at or after that end contains such an anchor, so none is skipped); text far from
        any anchor is never scanned. A search that finds nothing ends the scan."""
        if self.anchor is None:
            yield from self.regex.finditer(text)
            return
        pos = 0
        for a in self.anchor.finditer(text):
            if a.start() < pos:
                continue
            m = self.regex.search(text, max(pos, a.start() - self.before))
            if m is None:
                return
            yield m
            pos = max(m.end(), m.start() + 1)


@dataclass(frozen=True)
class Cue:
    start: int
    end: int
    kind: str   # payment, messenger, phone, tracking, seller_id, pixel, negative
    id: str     # provider / app / carrier
    explicit: bool = False  # a table column header: the cell holds the value, no "ID:" needed


def read_jsonl(name: str) -> list[dict]:
    path = PATTERN_DIR / name
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}: line {n}: not JSON ({exc.msg})") from None
    return rows


def _flags(text: str) -> int:
    out = 0
    for ch in text or "":
        out |= _FLAGS[ch]
    return out


@lru_cache(maxsize=None)
def identifier_patterns() -> tuple[Pattern, ...]:
    """The identifier shapes. A pattern with flag ``i`` is written in lower case and compiled WITHOUT
    ``re.I``: it runs on ``lowered(text)`` (same offsets). ``gate``: literal strings (lower case) one of which
    every match contains; a text with none of them skips the pattern."""
    out = []
    for r in read_jsonl("identifiers.jsonl"):
        flags = r.get("flags", "")
        out.append(Pattern(r["label"], r["id"], re.compile(r["pattern"], _flags(flags.replace("i", ""))),
                           r.get("cue"), re.compile(r["near"], re.I) if r.get("near") else None,
                           tuple(r.get("gate", ())), "i" in flags,
                           re.compile(r["anchor"]) if r.get("anchor") else None, int(r.get("before", 0))))
    return tuple(out)


@lru_cache(maxsize=8)
def lowered(text: str) -> str:
    """``text.lower()`` with every offset kept (the few letters whose lower case is longer stay as they are).
    Matching lower-case text with case-sensitive patterns is several times faster than ``re.I``. Memoised:
    every component of the pipeline asks for the same Doc text."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _letter_before(text: str, pos: int) -> bool:
    return pos > 0 and text[pos - 1].isascii() and text[pos - 1].isalpha()


@lru_cache(maxsize=None)
def _starts_regex(starts: tuple[str, ...]) -> re.Pattern[str]:
    """Positions where a word of lower-cased text begins with one of ``starts`` (the match is its first
    character): after no ASCII letter or digit (a non-ASCII character always begins a word); after '/'
    ``_word_start`` decides ('Tel/WeChat:' yes, 'example.com/tel' no)."""
    by_first: dict[str, set[str]] = {}
    for s in starts:
        by_first.setdefault(s[0], set()).add(s[1:])
    branches = []  # first character consumed, the rest looked ahead: the regex engine skips to those characters
    for first, rests in sorted(by_first.items()):
        rest = "" if "" in rests else "(?=" + "|".join(re.escape(r) for r in sorted(rests, key=len, reverse=True)) + ")"
        branches.append(re.escape(first) + rest)
    return re.compile(rf"(?:{'|'.join(branches)})(?:(?<=[\x00-\x7f])(?<![a-z0-9].)|(?<=[^\x00-\x7f]))")


_WORD_BEFORE = re.compile(r"[a-z0-9]+$")


def _word_start(low: str, pos: int) -> bool:
    """After '/', a word begins when the slashes follow no letter or digit ('http://x'), or one slash joins
    two words outside a URL or path ('tel/wechat', not 'example.com/tel' nor 'a/b/c')."""
    if pos == 0 or low[pos - 1] != "/" or not low[pos].isascii():
        return not _letter_before(low, pos)
    i = pos - 1
    while i >= 0 and low[i] == "/":
        i -= 1
    if i < 0 or not (low[i].isascii() and low[i].isalnum()):
        return True
    word = _WORD_BEFORE.search(low, max(0, i - 40), i + 1)
    return pos - i == 2 and word is not None and (word.start() == 0 or low[word.start() - 1].isspace())


def _triggered(regex: re.Pattern[str], starts: tuple[str, ...], low: str) -> list[re.Match[str]]:
    """Matches of ``regex`` tried only where a word of the lower-cased text begins with one of ``starts``.
    A big alternation run at every position is the slowest thing a regex engine does; this is ~10x faster
    (the start words are found by one regex scan, not word by word in Python)."""
    out = []
    last = 0
    for w in _starts_regex(starts).finditer(low):
        pos = w.start()
        if pos < last or not _word_start(low, pos):
            continue
        m = regex.match(low, pos)
        if m and m.end() > pos:
            out.append(m)
            last = m.end()
    return out


@lru_cache(maxsize=None)
def _cue_regex() -> tuple[re.Pattern[str], tuple[str, ...], tuple[tuple[str, str], ...]]:
    """(pattern for lower-cased text, the words a cue can start with, (kind, id) per group)."""
    rows = read_jsonl("cues.jsonl")
    body = "|".join(f"(?P<c{i}>{r['pattern']})" for i, r in enumerate(rows))
    starts = tuple(sorted({w.lower() for r in rows for w in r["starts"]}))
    return (re.compile(rf"(?:{body.lower().replace('(?p<c', '(?P<c')})(?![a-z])"), starts,
            tuple((r["cue"], r["id"]) for r in rows))


def find_cues(text: str) -> list[Cue]:
    """Every cue word (provider, messenger app, 'tel', 'tracking no.', 'order no.', ...) in the text."""
    regex, starts, meta = _cue_regex()
    out = []
    for m in _triggered(regex, starts, lowered(text)):
        if m.lastgroup:
            kind, cid = meta[int(m.lastgroup[1:])]
            out.append(Cue(m.start(), m.end(), kind, cid))
    return out


def cue_before(cues: list[Cue], text: str, pos: int, kinds: tuple[str, ...], window: int = 40) -> Cue | None:
    """The nearest cue of ``kinds`` that ends at most ``window`` characters before ``pos`` on the same line."""
    best = None
    for cue in cues:
        if cue.end > pos:
            break
        if cue.kind in kinds and pos - cue.end <= window and "\n" not in text[cue.end:pos]:
            best = cue
    return best


_COUNTRIES = [
    ("HK", r"hong\s*kong|kowloon|\bHKSAR\b|香港|九龙|九龍|\bHK\b"),
    ("CN", r"china|\bPRC\b|p\.\s?r\.\s?c|shenzhen|guangzhou|guangdong|dongguan|yiwu|zhejiang|fujian|xiamen|"
           r"shanghai|beijing|hangzhou|ningbo|putian|jiangsu|中国|深圳|广州|广东|东莞|义乌|浙江|福建|上海|北京|杭州"),
    ("US", r"united\s+states|\bU\.?S\.?A\b|california|new\s+york|texas|illinois|chicago|florida|new\s+jersey|"
           r"delaware|nevada|(?-i:\b[A-Z]{2}\s\d{5}(?:-\d{4})?\b)"),
    ("GB", r"united\s+kingdom|\bU\.?K\.?\b|england|london|manchester|birmingham"),
    ("DE", r"germany|deutschland|berlin|hamburg|münchen|munich|frankfurt|köln|cologne"),
    ("FR", r"france|paris|lyon|marseille"),
    ("IT", r"italy|italia|milano|milan|roma|rome|napoli"),
    ("ES", r"spain|españa|madrid|barcelona|valencia"),
    ("NL", r"netherlands|nederland|amsterdam|rotterdam"),
    ("PL", r"poland|polska|warszawa|warsaw"),
    ("CA", r"canada|toronto|vancouver|ontario"),
    ("AU", r"australia|sydney|melbourne"),
    ("JP", r"japan|tokyo|osaka|日本|東京|大阪"),
    ("TW", r"taiwan|taipei|kaohsiung|台灣|台湾|台北|臺北|高雄|新北|台中|臺中"),
    ("KR", r"korea|seoul|busan"),
    ("SG", r"singapore"),
    ("MY", r"malaysia|kuala\s+lumpur|penang"),
    ("BE", r"belgium|belgique|belgië|brussels|bruxelles|antwerp"),
    ("AT", r"austria|vienna|wien"),
    ("CH", r"switzerland|schweiz|suisse|zürich|zurich|geneva|genève"),
    ("IE", r"ireland|dublin"),
    ("PT", r"portugal|lisboa|lisbon|porto"),
    ("SE", r"sweden|sverige|stockholm"),
    ("LT", r"lithuania|lietuva|vilnius"),
    ("TR", r"turkey|türkiye|istanbul"),
    ("AE", r"united\s+arab\s+emirates|\bUAE\b|dubai"),
    ("IN", r"india|mumbai|delhi|bangalore|bengaluru"),
    ("BR", r"brazil|brasil|são\s+paulo|sao\s+paulo"),
    ("MX", r"mexico|méxico|ciudad\s+de\s+méxico"),
]
_US_ZIP_PART = "|(?-i:\\b[A-Z]{2}\\s\\d{5}(?:-\\d{4})?\\b)"
_COUNTRY_FAST = re.compile("|".join(f"(?P<{cc}>{pat.replace(_US_ZIP_PART, '').lower()})" for cc, pat in _COUNTRIES))
_COUNTRY_STARTS = tuple(sorted({re.match(r"[a-z\u4e00-\u9fff]+", alt.removeprefix("\\b")).group(0)
                                for _, pat in _COUNTRIES for alt in pat.replace(_US_ZIP_PART, "").lower().split("|")}))
_US_ZIP = re.compile(r"[A-Z]{2}\s\d{5}(?:-\d{4})?\b")


def find_countries(text: str) -> list[tuple[int, str]]:
    """(offset, ISO code) of every country / big-city mention, for phone and address hints."""
    low = lowered(text)
    out = [(m.start(), m.lastgroup) for m in _triggered(_COUNTRY_FAST, _COUNTRY_STARTS, low) if m.lastgroup]
    out += [(m.start(), "US") for m in _US_ZIP.finditer(text) if not _letter_before(text, m.start())]
    return sorted(out)


def country_near(countries: list[tuple[int, str]], pos: int) -> str | None:
    """The country mentioned nearest before ``pos``, else the first one after it."""
    before = [cc for off, cc in countries if off <= pos]
    if before:
        return before[-1]
    return countries[0][1] if countries else None
