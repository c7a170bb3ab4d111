"""Messenger ids that a chat export's layout, not a cue word next to them, names: the speaker lines of a QQ
export (``昵称(10001234) 14:21:07``), of a Telegram / LINE export (``Name (@handle) 10:02``), and a phone
number whose label says it is also the WeChat / WhatsApp contact (``手机（微信同号）：138 …``,
``Tel / WhatsApp: …``). The app must be named somewhere in the text (the export's title line, a cue)."""

from __future__ import annotations

import re

from graph.clean import clean

from nlp.mention import Mention
from nlp.patterns import Cue

# a speaker line: a short name, the id in brackets, then a time (optionally after a date)
_SPEAKER = re.compile(r"^[ \t]*(?P<name>[^\s()（）:：@][^\n()（）:：]{0,30}?)[ \t]*[(（][ \t]*(?P<id>@?[\w.\-]{3,32}?)[ \t]*"
                      r"[)）][ \t]*(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}[ \t]+)?\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]|$)", re.M)
_QQ_ID = re.compile(r"[1-9]\d{4,11}")
_HANDLE = re.compile(r"@[A-Za-z][A-Za-z0-9_.]{3,31}")
# a label naming the number as a messenger contact, right before it
_LABEL_SAME = re.compile(r"(?:[(（][ \t]*(?P<a>微信|WeChat|WhatsApp|wechat|whatsapp)[ \t]?(?:同[号號]|same(?:[ \t]+number)?)"
                         r"[ \t]*[)）]|/[ \t]*(?P<b>WhatsApp|WeChat|微信))[ \t]*[:：]?[ \t]*$")

_OTHER_HANDLE = re.compile(r"[ \t]*(?:/|\bor\b|或)[ \t]*@?[A-Za-z]")

# an Instagram / TikTok account given as the seller's identity: 'Instagram DM export — Jade (@x)', 'IG: @x'
_SOCIAL = re.compile(r"\b(?:Instagram|IG|TikTok)\b(?:[^\n()（）@]{0,60}?[(（]@(?P<a>[A-Za-z0-9._]{2,30}[A-Za-z0-9_])[)）]|"
                     r"(?:[ \t]+(?:handle|account|shop|store|page|user(?:name)?|is|was|at|on)){0,3}[ \t]*[:：]?[ \t]*"
                     r"@(?P<b>[A-Za-z0-9._]{2,30}[A-Za-z0-9_]))(?![\w@]|\.[A-Za-z0-9])")


def social_handles(text: str, found: list[Mention]) -> list[Mention]:
    """SELLER_ID mentions (without the @) for an Instagram / TikTok handle that names the seller's account."""
    if "@" not in text or not ("IG" in text or "nstagram" in text or "ik" in text and "tok" in text.lower()):
        return []
    taken = [(m.start, m.end) for m in found]
    out = []
    for m in _SOCIAL.finditer(text):
        group = "a" if m.group("a") else "b"
        start, end = m.span(group)
        if any(s < end and start < e for s, e in taken):
            continue
        value = m.group(group)
        app = "tiktok" if m.group(0).lower().startswith("tiktok") else "instagram"
        c = clean("storefront", value, {"marketplace": app})
        out.append(Mention(start, end, "SELLER_ID", value, value=value, key=c.key if c.ok else None,
                           node="Storefront" if c.ok else None, props={"cue": app}))
    return out


def _app_named(cues: list[Cue], app: str) -> bool:
    return any(c.kind == "messenger" and c.id == app for c in cues)


def speaker_ids(text: str, found: list[Mention], cues: list[Cue]) -> list[Mention]:
    """MESSENGER mentions for the ids on the speaker lines of a QQ, Telegram or LINE chat export."""
    have = {(m.start, m.end) for m in found}
    qq, tg = _app_named(cues, "qq"), _app_named(cues, "telegram") or _app_named(cues, "line")
    if not (qq or tg):
        return []
    out = []
    for m in _SPEAKER.finditer(text):
        value, start = m.group("id"), m.start("id")
        if qq and _QQ_ID.fullmatch(value):
            app = "qq"
        elif tg and _HANDLE.fullmatch(value):
            app, value, start = "telegram" if _app_named(cues, "telegram") else "line", value[1:], start + 1
        else:
            continue
        end = m.end("id")
        if (start, end) in have:
            continue
        out.append(Mention(start, end, "MESSENGER", value, value=value, key=f"{app}:{value.lower()}",
                           node="Infrastructure", props={"app": app, "cue": "chat header"}))
        have.add((start, end))
    return out


def labelled_numbers(text: str, found: list[Mention]) -> list[Mention]:
    """MESSENGER mentions for phone numbers whose label names them a WeChat / WhatsApp contact too:
    '业务手机（微信同号）：138 …', 'Mobile (WhatsApp same): …', 'Tel / WhatsApp: +44 …'."""
    have = {(m.start, m.end) for m in found if m.label == "MESSENGER"}
    out = []
    for m in found:
        if m.label != "PHONE" or (m.start, m.end) in have:
            continue
        label = _LABEL_SAME.search(text, max(0, m.start - 24), m.start)
        if not label or label.group("b") and _OTHER_HANDLE.match(text, m.end):
            continue  # 'Tel/WeChat: +86 … / amy_bags': the number is the Tel, the handle the WeChat
        app = "whatsapp" if (label.group("a") or label.group("b")).lower() == "whatsapp" else "wechat"
        value = m.key or m.value
        out.append(Mention(m.start, m.end, "MESSENGER", m.text, value=value, key=f"{app}:{value}",
                           node="Infrastructure", props={"app": app, "cue": "label"}))
        have.add((m.start, m.end))
    return out
