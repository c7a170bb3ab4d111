"""Sign-in: the password file, the lock-out, and the login form in front of every page (AppTest, real files)."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.users import (LOCK_SECONDS, MAX_FAILURES, AuthError, Gate, add_user, hash_password, load_users,
                             remove_user, verify_password)
from graph.store import open_store
from tests.conftest import ROOT

APP = str(ROOT / "dashboard" / "app.py")
PASSWORD = "Tr0ubadour-and-horse"


@pytest.fixture
def users(tmp_path):
    path = tmp_path / "users"
    add_user(path, "k.investigator", PASSWORD)
    add_user(path, "paralegal", "another-long-one")
    return path


def test_hashes_are_salted_scrypt_and_only_the_right_password_verifies():
    a, b = hash_password(PASSWORD), hash_password(PASSWORD)
    assert a != b and a.startswith("scrypt$16384$8$1$")  # a fresh salt each time
    assert verify_password(PASSWORD, a) and verify_password(PASSWORD, b)
    assert not verify_password(PASSWORD + " ", a) and not verify_password("", a)
    assert not verify_password(PASSWORD, "scrypt$16384$8$1$zz$zz")  # malformed: refused, no exception


def test_password_file_holds_no_password_and_rejects_bad_lines(users, tmp_path):
    text = users.read_text()
    assert PASSWORD not in text and set(load_users(users)) == {"k.investigator", "paralegal"}
    assert oct(users.stat().st_mode & 0o777) == "0o600"
    with pytest.raises(AuthError, match="exists"):
        add_user(users, "paralegal", "yet-another-pass")
    remove_user(users, "paralegal")
    assert set(load_users(users)) == {"k.investigator"}
    broken = tmp_path / "broken"
    broken.write_text("# users\nalice scrypt$1$2$3$aa$bb\nbob plain-text-password\n")
    with pytest.raises(AuthError, match=r"broken: line 3: expected 'NAME scrypt"):
        load_users(broken)
    with pytest.raises(AuthError, match="user name '../x'"):
        add_user(users, "../x", PASSWORD)


def test_repeated_failures_lock_the_name_for_a_while(users):
    now = [1000.0]
    gate = Gate(clock=lambda: now[0])
    for _ in range(MAX_FAILURES):
        assert gate.check(users, "k.investigator", "guess-guess") == (False, "wrong user name or password")
    ok, why = gate.check(users, "k.investigator", PASSWORD)  # right, but locked
    assert not ok and why.startswith("too many failed attempts")
    assert gate.check(users, "paralegal", "another-long-one")[0]  # other names are not locked
    now[0] += LOCK_SECONDS + 1
    assert gate.check(users, "k.investigator", PASSWORD) == (True, "")
    assert gate.locked_for("k.investigator") == 0
    assert gate.check(users, "nobody", PASSWORD) == (False, "wrong user name or password")


@pytest.fixture
def app(users, tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path}/case.db"
    open_store(url).close()
    monkeypatch.setenv("INFRINGER_GRAPH_STORE", url)
    monkeypatch.setenv("INFRINGER_GRAPH_AUTH_FILE", str(users))
    monkeypatch.delenv("INFRINGER_GRAPH_AUDIT", raising=False)
    return AppTest.from_file(APP, default_timeout=60).run()


def _audit(tmp_path) -> list[dict]:
    return [json.loads(line) for line in (tmp_path / "case.db.audit.jsonl").read_text().splitlines()]


def _sign_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input(key="auth_name").set_value(name)
    at.text_input(key="auth_password").set_value(password)
    return at.button[0].click().run()  # the form's submit button


def test_pages_need_a_sign_in_and_wrong_passwords_are_refused_and_audited(app, tmp_path):
    assert app.header[0].value == "Sign in"
    assert len(app.sidebar.radio) == 0  # no page, not even the store's name, before a sign-in
    assert not any("case.db" in c.value for c in app.sidebar.caption)
    _sign_in(app, "k.investigator", "wrong-password")
    assert app.error[0].value == "wrong user name or password" and app.header[0].value == "Sign in"
    _sign_in(app, "nobody", PASSWORD)
    assert app.error[0].value == "wrong user name or password"
    _sign_in(app, "k.investigator", PASSWORD)
    assert not app.exception
    assert app.header[0].value == "Overview"
    assert app.sidebar.caption[0].value == "Signed in as k.investigator"
    events = _audit(tmp_path)
    assert [(e["action"], e["user"], e.get("name")) for e in events] == [
        ("login_failed", "(not signed in)", "k.investigator"), ("login_failed", "(not signed in)", "nobody"),
        ("login", "k.investigator", None)]
    assert "wrong-password" not in (tmp_path / "case.db.audit.jsonl").read_text()


def test_uploads_are_audited_under_the_signed_in_user_and_sign_out_ends_the_session(app, tmp_path):
    _sign_in(app, "paralegal", "another-long-one")
    app.sidebar.radio(key="page").set_value("Ingest").run()
    app.file_uploader(key="ingest_files").set_value(("notes.txt", b"Seller Bright Garden Co, +44 20 7946 0321\n",
                                                     "text/plain")).run()
    app.button(key="ingest_go").click().run()
    assert not app.exception
    upload = _audit(tmp_path)[-1]
    assert upload["action"] == "upload" and upload["user"] == "paralegal"
    assert "_paralegal/notes.txt" in upload["stored"]
    app.sidebar.button(key="auth_logout").click().run()
    assert app.header[0].value == "Sign in"
    assert _audit(tmp_path)[-1]["action"] == "logout" and _audit(tmp_path)[-1]["user"] == "paralegal"


def test_a_removed_user_is_signed_out_at_the_next_click(app, users, tmp_path):
    _sign_in(app, "paralegal", "another-long-one")
    assert app.header[0].value == "Overview"
    remove_user(users, "paralegal")
    app.run()
    assert app.header[0].value == "Sign in"
    assert _audit(tmp_path)[-1]["reason"] == "user no longer in the password file"


def test_a_broken_password_file_refuses_every_sign_in(app, users):
    users.write_text("paralegal hunter2\n")
    _sign_in(app, "paralegal", "hunter2")
    assert not app.exception
    assert app.error[0].value.startswith("Sign-in is not possible: ")
    assert "line 1: expected 'NAME scrypt" in app.error[0].value
