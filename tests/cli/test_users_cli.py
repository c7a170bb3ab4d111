"""``infringer-graph users`` and ``dashboard --auth-file`` through the real CLI (subprocesses)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from dashboard.users import load_users, verify_password
from tests.conftest import ROOT, assert_serves_health, run_cli

PASSWORD = "Shenzhen-test-buy-2026"


def _cli_stdin(*args: str, text: str, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k != "INFRINGER_GRAPH_AUTH_FILE"}
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "infringer_graph", *args], input=text, capture_output=True,
                          text=True, cwd=ROOT, env=full_env, timeout=120)


def test_users_add_list_remove(tmp_path):
    users = tmp_path / "dashboard.users"
    res = _cli_stdin("users", "add", "k.investigator", "--auth-file", str(users), "--password-stdin",
                     text=PASSWORD + "\n")
    assert res.returncode == 0, res.stderr
    assert res.stderr.strip() == f"added k.investigator in {users}"
    assert PASSWORD not in users.read_text()
    assert verify_password(PASSWORD, load_users(users)["k.investigator"])
    # the file can also come from the environment
    res = _cli_stdin("users", "add", "paralegal", "--password-stdin", text="second-password\n",
                     env={"INFRINGER_GRAPH_AUTH_FILE": str(users)})
    assert res.returncode == 0, res.stderr
    listing = run_cli("users", "list", "--auth-file", str(users)).stdout
    assert "k.investigator" in listing and "paralegal" in listing and "scrypt" in listing
    again = _cli_stdin("users", "add", "paralegal", "--auth-file", str(users), "--password-stdin", text="x" * 12)
    assert again.returncode == 1
    assert again.stderr.strip() == f"Error: {users}: user 'paralegal' exists (use --replace to set a new password)"
    replaced = _cli_stdin("users", "add", "paralegal", "--auth-file", str(users), "--password-stdin", "--replace",
                          text="third-password\n")
    assert replaced.stderr.strip() == f"new password for paralegal in {users}"
    assert verify_password("third-password", load_users(users)["paralegal"])
    removed = run_cli("users", "remove", "paralegal", "--auth-file", str(users))
    assert removed.returncode == 0 and removed.stderr.strip() == f"removed paralegal from {users}"
    assert "paralegal" not in run_cli("users", "list", "--auth-file", str(users)).stdout


def test_users_mistakes_are_one_error_line(tmp_path):
    users = tmp_path / "u"
    short = _cli_stdin("users", "add", "bob", "--auth-file", str(users), "--password-stdin", text="short\n")
    assert (short.returncode, short.stderr.strip()) == (1, "Error: password too short: at least 8 characters")
    assert not users.exists()
    bad_name = _cli_stdin("users", "add", "../bob", "--auth-file", str(users), "--password-stdin", text=PASSWORD)
    assert bad_name.stderr.startswith("Error: user name '../bob': use 1-64 letters")
    missing = run_cli("users", "remove", "bob", "--auth-file", str(users))
    assert missing.stderr.strip() == (f"Error: {users}: no such password file (create it with "
                                      "`infringer-graph users add`)")
    nowhere = run_cli("users", "list")
    assert nowhere.stderr.strip() == "Error: give --auth-file FILE (or set INFRINGER_GRAPH_AUTH_FILE)"
    assert "Traceback" not in short.stderr + bad_name.stderr + missing.stderr + nowhere.stderr


def test_dashboard_off_loopback_needs_an_auth_file_with_users(tmp_path):
    refused = run_cli("dashboard", "--address", "0.0.0.0")
    assert refused.returncode == 1
    assert refused.stderr.startswith("Error: serving on 0.0.0.0 needs authentication: give --auth-file FILE")
    empty = tmp_path / "empty.users"
    empty.write_text("# nobody yet\n")
    res = run_cli("dashboard", "--address", "0.0.0.0", "--auth-file", str(empty))
    assert res.returncode == 1 and res.stderr.startswith(f"Error: {empty}: no users yet")
    broken = tmp_path / "broken.users"
    broken.write_text("admin admin\n")
    res = run_cli("dashboard", "--address", "0.0.0.0", "--auth-file", str(broken))
    assert res.stderr.strip() == f"Error: {broken}: line 1: expected 'NAME scrypt$N$r$p$SALT$HASH'"


def test_dashboard_serves_off_loopback_with_an_auth_file(tmp_path):
    users = tmp_path / "dashboard.users"
    assert _cli_stdin("users", "add", "k.investigator", "--auth-file", str(users), "--password-stdin",
                      text=PASSWORD).returncode == 0
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ}
    env.pop("INFRINGER_GRAPH_STORE", None)
    proc = subprocess.Popen([sys.executable, "-m", "infringer_graph", "--store", f"sqlite:///{tmp_path}/case.db",
                             "dashboard", "--address", "0.0.0.0", "--port", str(port), "--auth-file", str(users)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert_serves_health(proc, port)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
