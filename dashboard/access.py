"""Who is using the dashboard, and the audit log of what they did.

Judgements, uploads and downloads are appended to the audit log (JSON lines: time, user, action, details).
The log lives next to an SQLite store (``<store>.audit.jsonl``) unless ``INFRINGER_GRAPH_AUDIT`` names a file.

Sign-in: when ``INFRINGER_GRAPH_AUTH_FILE`` names a password file (``infringer-graph dashboard --auth-file F``;
users managed with ``infringer-graph users``), every page is behind a login form; sign-ins, failures and
sign-outs are audited. Without it (loopback only) the user is the local account.
"""

from __future__ import annotations

import getpass
import json
import os
from datetime import datetime, timezone
from pathlib import Path

import streamlit as st

from graph.errors import GraphError
from graph.store import store_url

from dashboard.users import ENV_AUTH_FILE, GATE, load_users

ENV_AUDIT = "INFRINGER_GRAPH_AUDIT"
USER_KEY = "auth_user"
ANONYMOUS = "(not signed in)"


def auth_file() -> Path | None:
    """The password file the dashboard checks sign-ins against, when one is configured."""
    value = os.environ.get(ENV_AUTH_FILE, "").strip()
    return Path(value) if value else None


def current_user() -> str:
    """The signed-in user, or the local account when the dashboard serves loopback only without sign-in."""
    user = st.session_state.get(USER_KEY)
    if user:
        return user
    if auth_file() is not None:
        return ANONYMOUS
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


def _client() -> dict:
    try:
        ip = st.context.ip_address
    except Exception:  # noqa: BLE001 - not served (AppTest), or an older Streamlit
        ip = None
    return {"client": ip} if isinstance(ip, str) and ip else {}


def require_login() -> None:
    """With a password file configured: the login form until someone signs in (then a sign-out button in the
    sidebar); the rest of the page does not run before. Without one: nothing to do."""
    path = auth_file()
    if path is None:
        return
    signed_in = st.session_state.get(USER_KEY)
    if signed_in:
        try:
            still = signed_in in load_users(path)
        except GraphError:
            still = False
        if not still:  # removed (or the file broke) since signing in: out
            audit("logout", reason="user no longer in the password file")
            del st.session_state[USER_KEY]
            st.rerun()
        st.sidebar.caption(f"Signed in as {st.session_state[USER_KEY]}")
        if st.sidebar.button("Sign out", key="auth_logout"):
            audit("logout")
            del st.session_state[USER_KEY]
            st.rerun()
        return
    st.header("Sign in")
    with st.form("auth_form"):
        name = st.text_input("User name", key="auth_name")
        password = st.text_input("Password", type="password", key="auth_password")
        submitted = st.form_submit_button("Sign in")
    if submitted:
        try:
            ok, why = GATE.check(path, name.strip(), password)
        except GraphError as exc:
            st.error(f"Sign-in is not possible: {exc}")
            st.stop()
        if ok:
            st.session_state[USER_KEY] = name.strip()
            audit("login", **_client())
            st.rerun()
        audit("login_failed", name=name.strip()[:100], reason=why, **_client())
        st.error(why)
    st.stop()
