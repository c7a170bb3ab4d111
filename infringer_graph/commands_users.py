"""``infringer-graph users add|list|remove``: the dashboard's password file (scrypt hashes, see dashboard/users.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from dashboard.users import ENV_AUTH_FILE, AuthError, add_user, check_password, load_users, remove_user
from infringer_graph.cli import console, err_console, main
from infringer_graph.tables import make_table

auth_file_option = click.option(
    "--auth-file", "auth_file", envvar=ENV_AUTH_FILE, type=click.Path(path_type=Path, dir_okay=False),
    help=f"The password file (or ${ENV_AUTH_FILE}).")


def _need(auth_file: Path | None) -> Path:
    if auth_file is None:
        raise AuthError(f"give --auth-file FILE (or set {ENV_AUTH_FILE})")
    return auth_file


def _acceptable(password: str) -> str:
    try:
        return check_password(password)
    except AuthError as exc:  # asked again
        raise click.UsageError(str(exc)) from None


def _say(text: str) -> None:
    err_console.print(text, markup=False, highlight=False, soft_wrap=True)


@main.group()
def users() -> None:
    """Dashboard users: a password file for `infringer-graph dashboard --auth-file F` (add, list, remove)."""


@users.command("add")
@click.argument("name")
@auth_file_option
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
@click.option("--replace", is_flag=True, help="Set a new password for an existing user.")
def users_add(name: str, auth_file: Path | None, password_stdin: bool, replace: bool) -> None:
    """Add a user (prompts for the password twice unless --password-stdin)."""
    path = _need(auth_file)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True, err=True,
                                value_proc=_acceptable)
    existed = add_user(path, name, password, replace=replace)
    _say(f"{'new password for' if existed else 'added'} {name} in {path}")


@users.command("list")
@auth_file_option
def users_list(auth_file: Path | None) -> None:
    """The users in the password file (names only)."""
    path = _need(auth_file)
    found = load_users(path)
    if not found:
        console.print(f"{path}: no users.", markup=False, highlight=False)
        return
    console.print(make_table(f"Users in {path}", ("user", "hash"),
                             [(n, h.split("$", 1)[0] + f" (N={h.split('$')[1]})") for n, h in sorted(found.items())]))


@users.command("remove")
@click.argument("name")
@auth_file_option
def users_remove(name: str, auth_file: Path | None) -> None:
    """Remove a user (signed-in sessions of that user end at their next click)."""
    path = _need(auth_file)
    remove_user(path, name)
    _say(f"removed {name} from {path}")
