"""Annotation tool for the NLP gold set: gold_src.yaml (written by hand) -> gold.jsonl (offsets computed).

    python -m benchmarks.nlp_eval.build_gold            # rebuild benchmarks/nlp_eval/gold.jsonl
    python -m benchmarks.nlp_eval.build_gold --check    # only check; exit 1 when gold.jsonl is stale
    python -m benchmarks.nlp_eval.build_gold --src heldout_src.yaml --out heldout.jsonl [--check]   # held-out set

A bare file name given to --src/--out names a file in benchmarks/nlp_eval/; a path with a directory is used as is.

The annotator writes each entity as its text (plus label, value and, when the text occurs more than once in the
passage, which occurrence), never as offsets; this tool finds the spans and checks the annotation against the
contract in NLP_EVAL_FORMAT.md. Any inconsistency stops the build with one line naming the passage.

Entity forms in gold_src.yaml (a YAML flow list):
    [LABEL, text]                       value = text
    [LABEL, text, value]
    [LABEL, text, value, {n: 2, scale_kind: price, currency: USD}]   n = 1-based occurrence of text
Relation forms: [head, TYPE, tail], head/tail an entity index (0-based, source order) or a reference string
"text", "LABEL:text" or "LABEL:text#n" naming exactly one entity.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
SRC = HERE / "gold_src.yaml"
OUT = HERE / "gold.jsonl"

KINDS = {"note", "email", "declaration", "order", "complaint", "webpage", "chat", "listing"}
LANGS = {"en", "zh", "mixed", "de", "fr", "es", "it"}
IDENTIFIERS = {"EMAIL", "PHONE", "URL", "DOMAIN", "STORE_URL", "SELLER_ID", "PAYMENT", "MESSENGER", "TAG_ID", "IP",
               "ADDRESS", "TRACKING"}
NAMES = {"STORE_NAME", "COMPANY", "PERSON"}
LABELS = IDENTIFIERS | NAMES | {"BRAND", "SCALE"}
SCALE_KINDS = {"units_sold", "reviews", "price", "revenue"}
STOREISH = {"STORE_NAME", "STORE_URL", "SELLER_ID", "COMPANY"}
# relation type -> (allowed head labels, allowed tail labels)
RELATIONS = {
    "USES": (STOREISH, {"EMAIL", "PHONE", "URL", "DOMAIN", "STORE_URL", "SELLER_ID", "MESSENGER", "TAG_ID", "IP",
                        "ADDRESS", "TRACKING"}),
    "PAID_TO": (STOREISH, {"PAYMENT"}),
    "OPERATED_BY": (STOREISH, {"COMPANY", "PERSON"}),
    "ALIAS_OF": (STOREISH, STOREISH),
    "REGISTERED_BY": ({"DOMAIN", "URL"}, {"COMPANY", "PERSON", "EMAIL"}),
    "SHIPS_FROM": (STOREISH, {"ADDRESS"}),
    "SELLS": (STOREISH, {"BRAND"}),
    "SCALE_OF": (STOREISH, {"SCALE"}),
}
# one span, two labels: only these pairs (a PayPal e-mail, a WhatsApp number, a PayPal/Alipay phone login)
SAME_SPAN_PAIRS = {frozenset(p) for p in (("EMAIL", "PAYMENT"), ("PHONE", "MESSENGER"), ("EMAIL", "MESSENGER"),
                                          ("PHONE", "PAYMENT"))}
# a span inside another: a watchlist brand inside a store or company name
NESTED_OK = {("BRAND", "STORE_NAME"), ("BRAND", "COMPANY")}
IBAN_COUNTRIES = set("AT BE BG CH CY CZ DE DK EE ES FI FR GB GR HR HU IE IS IT LI LT LU LV MT NL NO PL PT RO SE SI SK"
                     .split())
ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
TRAILING_PUNCT = tuple(".,;:!?)]}>\"'。，；：！？）")


class GoldError(Exception):
    """An inconsistency in gold_src.yaml; the message names the passage."""


def fold(text: str) -> str:
    """NFKC, zero-width characters removed: what a careful human reads."""
    return unicodedata.normalize("NFKC", text).translate(ZERO_WIDTH)


def iban_ok(iban: str) -> bool:
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", iban):
        return False
    moved = iban[4:] + iban[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def _occurrences(text: str, needle: str) -> list[int]:
    found, at = [], text.find(needle)
    while at != -1:
        found.append(at)
        at = text.find(needle, at + 1)
    return found


def _parse_entity(pid: str, i: int, raw, text: str) -> dict:
    if not isinstance(raw, list) or not 2 <= len(raw) <= 4:
        raise GoldError(f"passage {pid}: entity {i} must be [LABEL, text, value?, {{options}}?], got {raw!r}")
    label, etext = raw[0], raw[1]
    value = raw[2] if len(raw) > 2 else etext
    opts = raw[3] if len(raw) > 3 else {}
    if label not in LABELS:
        raise GoldError(f"passage {pid}: entity {i} {etext!r}: unknown label {label!r}")
    if not isinstance(etext, str) or not etext or etext != etext.strip():
        raise GoldError(f"passage {pid}: entity {i} {etext!r}: text must be a non-empty string without outer spaces")
    if not isinstance(opts, dict) or set(opts) - {"n", "scale_kind", "currency"}:
        raise GoldError(f"passage {pid}: entity {i} {etext!r}: options may be n, scale_kind, currency: {opts!r}")
    places = _occurrences(text, etext)
    if not places:
        raise GoldError(f"passage {pid}: entity {i} {etext!r} ({label}) not found in the text")
    n = opts.get("n")
    if n is None and len(places) > 1:
        raise GoldError(f"passage {pid}: entity {i} {etext!r} occurs {len(places)} times; say which with n")
    n = n or 1
    if not isinstance(n, int) or not 1 <= n <= len(places):
        raise GoldError(f"passage {pid}: entity {i} {etext!r}: n={n} but it occurs {len(places)} times")
    ent = {"start": places[n - 1], "end": places[n - 1] + len(etext), "label": label, "text": etext, "value": value}
    for key in ("scale_kind", "currency"):
        if key in opts:
            ent[key] = opts[key]
    _check_value(pid, i, ent)
    _check_edges(pid, i, ent, text)
    return ent


def _check_value(pid: str, i: int, ent: dict) -> None:
    label, etext, value = ent["label"], ent["text"], ent["value"]
    where = f"passage {pid}: entity {i} {etext!r} ({label})"
    if label == "SCALE":
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise GoldError(f"{where}: a SCALE value must be a number, got {value!r}")
        if ent.get("scale_kind") not in SCALE_KINDS:
            raise GoldError(f"{where}: scale_kind must be one of {sorted(SCALE_KINDS)}")
        if "currency" in ent and not re.fullmatch(r"[A-Z]{3}", str(ent["currency"])):
            raise GoldError(f"{where}: currency must be an ISO 4217 code, got {ent['currency']!r}")
        return
    if "scale_kind" in ent or "currency" in ent:
        raise GoldError(f"{where}: scale_kind/currency only belong to SCALE")
    if not isinstance(value, str) or not value or value != value.strip():
        raise GoldError(f"{where}: value must be a non-empty string, got {value!r}")
    if label == "EMAIL" or (label in {"PAYMENT", "MESSENGER"} and "@" in value):
        if value != value.lower() or " " in value or value.count("@") != 1 or "." not in value.split("@")[1]:
            raise GoldError(f"{where}: e-mail value must be one lower-case address, got {value!r}")
        if not any(c in etext for c in "[( ") and value != fold(etext).lower():
            raise GoldError(f"{where}: value {value!r} is not the folded address {fold(etext).lower()!r}")
    if label == "PHONE":
        digits = re.sub(r"\D", "", fold(etext))
        if not re.fullmatch(r"\+?\d{6,15}", value):
            raise GoldError(f"{where}: phone value must be E.164 (+digits) or digits, got {value!r}")
        if not value.lstrip("+").endswith(digits.lstrip("0")):
            raise GoldError(f"{where}: phone value {value!r} does not end with the written digits {digits!r}")
    if label in {"URL", "DOMAIN", "STORE_URL"}:
        if " " in value or "[" in value or "hxxp" in value.lower() or value != fold(value):
            raise GoldError(f"{where}: {label} value must be de-obfuscated, got {value!r}")
    if label == "PAYMENT" and re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9 ]{10,40}", fold(etext).upper()) \
            and value[:2] in IBAN_COUNTRIES:
        if value != fold(etext).replace(" ", "").upper() or not iban_ok(value):
            raise GoldError(f"{where}: IBAN value {value!r} is not the spaceless text or fails mod-97")
    if label in {"IP", "TAG_ID", "TRACKING"} and value != fold(etext).replace(" ", ""):
        raise GoldError(f"{where}: value {value!r} should be the id as written (folded, no spaces)")


def _check_edges(pid: str, i: int, ent: dict, text: str) -> None:
    """A span must not cut a Latin word or number in half, and identifiers end before sentence punctuation."""
    s, e, etext = ent["start"], ent["end"], ent["text"]
    where = f"passage {pid}: entity {i} {etext!r} ({ent['label']})"
    if s > 0 and text[s - 1].isascii() and text[s - 1].isalnum() and etext[0].isascii() and etext[0].isalnum():
        raise GoldError(f"{where}: span starts inside a word ({text[max(0, s - 10):e]!r})")
    if e < len(text) and text[e].isascii() and text[e].isalnum() and etext[-1].isascii() and etext[-1].isalnum():
        raise GoldError(f"{where}: span ends inside a word ({text[s:e + 10]!r})")
    if ent["label"] in IDENTIFIERS - {"ADDRESS"} and etext.endswith(TRAILING_PUNCT):
        raise GoldError(f"{where}: identifier span ends with punctuation")


def _check_overlaps(pid: str, ents: list[dict]) -> None:
    for a_i, a in enumerate(ents):
        for b in ents[a_i + 1:]:
            if a["end"] <= b["start"] or b["end"] <= a["start"]:
                continue
            what = f"passage {pid}: {a['text']!r} ({a['label']}) and {b['text']!r} ({b['label']})"
            if (a["start"], a["end"]) == (b["start"], b["end"]):
                if a["label"] == b["label"]:
                    raise GoldError(f"{what}: the same entity twice")
                if frozenset((a["label"], b["label"])) not in SAME_SPAN_PAIRS:
                    raise GoldError(f"{what}: these labels may not share a span")
                continue
            inner, outer = (a, b) if b["start"] <= a["start"] and a["end"] <= b["end"] else (b, a)
            if not (outer["start"] <= inner["start"] and inner["end"] <= outer["end"]):
                raise GoldError(f"{what}: spans cross")
            if (inner["label"], outer["label"]) not in NESTED_OK:
                raise GoldError(f"{what}: a {inner['label']} may not sit inside a {outer['label']}")


def _check_every_mention(pid: str, ents: list[dict], text: str) -> None:
    """A mention annotated once is annotated wherever it occurs again (unless inside another entity's span)."""
    spans = {(e["start"], e["end"], e["label"]) for e in ents}
    for e in ents:
        for k, at in enumerate(_occurrences(text, e["text"]), 1):
            end = at + len(e["text"])
            if (at, end, e["label"]) in spans or any(o["start"] <= at and end <= o["end"] and (o["start"], o["end"])
                                                     != (at, end) for o in ents):
                continue
            before, after = text[at - 1:at], text[end:end + 1]
            if (before.isascii() and before.isalnum() and e["text"][0].isascii() and e["text"][0].isalnum()) or \
                    (after.isascii() and after.isalnum() and e["text"][-1].isascii() and e["text"][-1].isalnum()):
                continue  # part of a longer word
            raise GoldError(f"passage {pid}: occurrence {k} of {e['text']!r} is not annotated as {e['label']};"
                            " annotate every mention")


def _resolve(pid: str, ref, ents: list[dict]) -> int:
    if isinstance(ref, int) and not isinstance(ref, bool):
        if not 0 <= ref < len(ents):
            raise GoldError(f"passage {pid}: relation refers to entity {ref}, there are {len(ents)}")
        return ref
    if not isinstance(ref, str):
        raise GoldError(f"passage {pid}: relation end must be an index or a reference string, got {ref!r}")
    label, rest = (ref.split(":", 1) if ref.split(":", 1)[0] in LABELS else (None, ref))
    nth = None
    if re.search(r"#\d+$", rest):
        rest, nth = rest.rsplit("#", 1)
    hits = [k for k, e in enumerate(ents) if e["text"] == rest and label in (None, e["label"])]
    if nth is not None:
        hits = [k for k in hits if ents[k]["start"] == _occurrences(ents[k]["_text"], rest)[int(nth) - 1]]
    if len(hits) != 1:
        raise GoldError(f"passage {pid}: relation reference {ref!r} matches {len(hits)} entities, need exactly 1")
    return hits[0]


def _parse_relations(pid: str, raws, ents: list[dict]) -> list[dict]:
    rels, seen = [], set()
    for raw in raws or []:
        if not isinstance(raw, list) or len(raw) != 3 or raw[1] not in RELATIONS:
            raise GoldError(f"passage {pid}: relation must be [head, TYPE, tail] with TYPE in {sorted(RELATIONS)},"
                            f" got {raw!r}")
        head, tail = _resolve(pid, raw[0], ents), _resolve(pid, raw[2], ents)
        heads, tails = RELATIONS[raw[1]]
        if ents[head]["label"] not in heads or ents[tail]["label"] not in tails or head == tail:
            raise GoldError(f"passage {pid}: {raw[1]} cannot go from {ents[head]['text']!r} ({ents[head]['label']})"
                            f" to {ents[tail]['text']!r} ({ents[tail]['label']})")
        if ents[head]["start"] <= ents[tail]["start"] and ents[tail]["end"] <= ents[head]["end"]:
            raise GoldError(f"passage {pid}: {raw!r}: a name does not {raw[1]} what is written inside it")
        if (head, tail, raw[1]) in seen:
            raise GoldError(f"passage {pid}: relation {raw!r} given twice")
        seen.add((head, tail, raw[1]))
        rels.append({"head": head, "tail": tail, "type": raw[1]})
    return rels


def build_passage(raw: dict, seen_ids: set[str]) -> dict:
    pid = raw.get("id") if isinstance(raw, dict) else None
    if not isinstance(pid, str) or not pid:
        raise GoldError(f"a passage without an id: {str(raw)[:60]!r}")
    if pid in seen_ids:
        raise GoldError(f"passage {pid}: the id is used twice")
    seen_ids.add(pid)
    extra = set(raw) - {"id", "kind", "lang", "text", "watchlist", "entities", "relations"}
    if extra:
        raise GoldError(f"passage {pid}: unknown keys {sorted(extra)}")
    if raw.get("kind") not in KINDS or raw.get("lang") not in LANGS:
        raise GoldError(f"passage {pid}: kind must be one of {sorted(KINDS)} and lang one of {sorted(LANGS)}")
    text, watchlist = raw.get("text"), raw.get("watchlist") or []
    if not isinstance(text, str) or not text.strip():
        raise GoldError(f"passage {pid}: text is missing")
    if not isinstance(watchlist, list) or not all(isinstance(w, str) for w in watchlist):
        raise GoldError(f"passage {pid}: watchlist must be a list of brand names")
    ents = [_parse_entity(pid, i, e, text) for i, e in enumerate(raw.get("entities") or [])]
    for e in ents:
        if e["label"] == "BRAND" and e["value"] not in watchlist:
            raise GoldError(f"passage {pid}: brand {e['text']!r} -> {e['value']!r} is not on the watchlist")
        e["_text"] = text
    _check_overlaps(pid, ents)
    _check_every_mention(pid, ents, text)
    rels = _parse_relations(pid, raw.get("relations"), ents)
    # entities in reading order; relation indexes follow them
    order = sorted(range(len(ents)), key=lambda k: (ents[k]["start"], ents[k]["end"], ents[k]["label"]))
    new_index = {old: new for new, old in enumerate(order)}
    for e in ents:
        del e["_text"]
    for r in rels:
        r["head"], r["tail"] = new_index[r["head"]], new_index[r["tail"]]
    rels.sort(key=lambda r: (r["head"], r["tail"], r["type"]))
    return {"id": pid, "kind": raw["kind"], "lang": raw["lang"], "text": text, "watchlist": watchlist,
            "entities": [ents[k] for k in order], "relations": rels}


def build(src: Path = SRC) -> list[dict]:
    try:
        data = yaml.safe_load(src.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise GoldError(f"{src.name}: cannot read: {str(exc).splitlines()[0]}") from exc
    if not isinstance(data, list):
        raise GoldError(f"{src.name}: expected a list of passages")
    seen: set[str] = set()
    return [build_passage(p, seen) for p in data]


def dumps(passages: list[dict]) -> str:
    return "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in passages)


def summarise(passages: list[dict], title: str = "NLP gold set"):
    from infringer_graph.tables import make_table

    labels = Counter(e["label"] for p in passages for e in p["entities"])
    kinds = Counter(p["kind"] for p in passages)
    langs = Counter(p["lang"] for p in passages)
    rels = Counter(r["type"] for p in passages for r in p["relations"])
    rows = [("passages", "", len(passages))]
    rows += [("kind", k, n) for k, n in sorted(kinds.items())] + [("lang", k, n) for k, n in sorted(langs.items())]
    rows += [("label", k, n) for k, n in sorted(labels.items())] + [("relation", k, n) for k, n in sorted(rels.items())]
    return make_table(title, ["what", "name", "count"], rows, numeric=["count"])


def _in_here(path: Path) -> Path:
    """A bare file name means a file next to this tool; anything with a directory part is used as given."""
    return HERE / path if path.parent == Path(".") and not path.is_absolute() else path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=SRC)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--check", action="store_true", help="only check; fail when --out is stale")
    args = parser.parse_args(argv)
    args.src, args.out = _in_here(args.src), _in_here(args.out)
    try:
        passages = build(args.src)
    except GoldError as exc:
        print(f"Error: {args.src.name}: {exc}" if not str(exc).startswith(args.src.name) else f"Error: {exc}",
              file=sys.stderr)
        return 1
    text = dumps(passages)
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            again = "" if (args.src, args.out) == (SRC, OUT) else f" --src {args.src.name} --out {args.out.name}"
            print(f"Error: {args.out.name} is stale; run python -m benchmarks.nlp_eval.build_gold{again}",
                  file=sys.stderr)
            return 1
    else:
        args.out.write_text(text, encoding="utf-8")
    from rich.console import Console

    Console().print(summarise(passages, "NLP gold set" if args.src == SRC else f"NLP gold set: {args.src.name}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
