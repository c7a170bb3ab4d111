"""The dashboard's users: a password file (one ``NAME scrypt$N$r$p$SALT$HASH`` line per user) and sign-in checks.

Passwords are hashed with scrypt (a fresh 16-byte salt each) and compared in constant time; a name that is not
in the file costs the same hashing, so timing does not tell which names exist. Repeated failures for one name
lock it for a while (doubling from ``LOCK_SECONDS`` after ``MAX_FAILURES`` in a row, up to ``LOCK_MAX_SECONDS``);
the count lives in the serving process and ends with it. No third-party dependency: ``hashlib`` and ``hmac``.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import threading
import time
from pathlib import Path

from graph.errors import GraphError

ENV_AUTH_FILE = "INFRINGER_GRAPH_AUTH_FILE"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1  # 16 MiB and ~50 ms per check
MIN_PASSWORD = 8
MAX_PASSWORD = 1024
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")
MAX_FAILURES = 5
LOCK_SECONDS = 30
LOCK_MAX_SECONDS = 15 * 60


class AuthError(GraphError):
    """The password file is missing or malformed, or a user name or password is not acceptable."""


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches the stored hash (constant-time comparison; False for a malformed hash)."""
    try:
        algo, n, r, p, salt, digest = stored.split("$")
        if algo != "scrypt":
            return False
        want = bytes.fromhex(digest)
        got = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                             dklen=len(want), maxmem=256 * 2**20)
    except (ValueError, OverflowError, MemoryError):
        return False
    return hmac.compare_digest(got, want)


_DUMMY = hash_password("not a password of anyone", b"\0" * 16)


def check_name(name: str) -> str:
    if not NAME.fullmatch(name or ""):
        raise AuthError(f"user name {name!r}: use 1-64 letters, digits and . _ @ - (starting with a letter or digit)")
    return name


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AuthError(f"password too short: at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise AuthError(f"password too long: at most {MAX_PASSWORD} characters")
    return password


def load_users(path: Path) -> dict[str, str]:
    """name -> stored hash. A missing file, or a line that is not ``NAME HASH``, is an error naming the place."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AuthError(f"{path}: no such password file (create it with `infringer-graph users add`)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise AuthError(f"{path}: cannot read the password file ({exc})") from None
    users: dict[str, str] = {}
    for no, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split()
        if len(parts) != 2 or not NAME.fullmatch(parts[0]) or not parts[1].startswith("scrypt$") \
                or parts[1].count("$") != 5:
            raise AuthError(f"{path}: line {no}: expected 'NAME scrypt$N$r$p$SALT$HASH'")
        users[parts[0]] = parts[1]
    return users


def save_users(path: Path, users: dict[str, str]) -> None:
    """Write the file whole (a temporary file renamed over it), readable by its owner only."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("# infringer-graph dashboard users: NAME scrypt$N$r$p$SALT$HASH "
                 "(manage with `infringer-graph users`)\n")
        for name in sorted(users):
            fh.write(f"{name} {users[name]}\n")
    os.replace(tmp, path)


def add_user(path: Path, name: str, password: str, replace: bool = False) -> bool:
    """Add a user (or set a new password with ``replace``); returns whether the user existed."""
    check_name(name)
    check_password(password)
    users = load_users(path) if Path(path).exists() else {}
    existed = name in users
    if existed and not replace:
        raise AuthError(f"{path}: user {name!r} exists (use --replace to set a new password)")
    users[name] = hash_password(password)
    save_users(path, users)
    return existed


def remove_user(path: Path, name: str) -> None:
    users = load_users(path)
    if name not in users:
        raise AuthError(f"{path}: no user {name!r}")
    del users[name]
    save_users(path, users)


class Gate:
    """Sign-in checks with a lock-out after repeated failures (per name, in this process)."""

    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._failures: dict[str, tuple[int, float]] = {}  # name -> (failures in a row, time of the last)
        self._lock = threading.Lock()

    def locked_for(self, name: str) -> float:
        """Seconds until ``name`` may try again (0 when it may now)."""
        with self._lock:
            count, last = self._failures.get(name, (0, 0.0))
        if count < MAX_FAILURES:
            return 0.0
        wait = min(LOCK_SECONDS * 2 ** (count - MAX_FAILURES), LOCK_MAX_SECONDS)
        return max(0.0, last + wait - self._clock())

    def check(self, path: Path, name: str, password: str) -> tuple[bool, str]:
        """(signed in, why not). Reads the file each time, so ``users add/remove`` apply without a restart."""
        if self.locked_for(name):
            return False, f"too many failed attempts: try again in {int(self.locked_for(name)) + 1} s"
        stored = load_users(path).get(name)
        ok = verify_password(password, stored or _DUMMY) and stored is not None
        with self._lock:
            if ok:
                self._failures.pop(name, None)
            else:
                count, _ = self._failures.get(name, (0, 0.0))
                self._failures[name] = (count + 1, self._clock())
        return ok, "" if ok else "wrong user name or password"


GATE = Gate()
