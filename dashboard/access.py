"""Who is using the dashboard, and the audit log of what they did.

Judgements, uploads and downloads are appended to the audit log (JSON lines: time, user, action, details).
The log lives next to an SQLite store (``<store>.audit.jsonl``) unless ``INFRINGER_GRAPH_AUDIT`` names a file.
"""

from __future__ import annotations

import getpass
import json
import os
from datetime import datetime, timezone
from pathlib import Path

import streamlit as st

from graph.store import store_url

ENV_AUDIT = "INFRINGER_GRAPH_AUDIT"
USER_KEY = "auth_user"


def current_user() -> str:
    """The signed-in user, or the local account when the dashboard serves loopback only without sign-in."""
    user = st.session_state.get(USER_KEY)
    if user:
        return user
    try:
        return f"{getpass.getuser()}@local"
    except (KeyError, OSError):
        return "local"


def audit_path() -> Path:
    explicit = os.environ.get(ENV_AUDIT)
    if explicit:
        return Path(explicit)
    url = store_url()
    scheme, sep, rest = url.partition("://")
    if not sep:
        return Path(url + ".audit.jsonl")
    if scheme == "sqlite":
        return Path((rest[1:] if rest.startswith("/") else rest) + ".audit.jsonl")
    return Path.cwd() / "infringer-graph-audit.jsonl"


def audit(action: str, **details) -> None:
    """Append one event (``action`` plus JSON-able details) with the current user and UTC time."""
    event = {"at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "user": current_user(),
             "action": action, **details}
    path = audit_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(event, ensure_ascii=False, sort_keys=True) + "\n")
