"""Who may do what: the users file (argon2 password hashes, per-user API tokens), roles, the
CSRF token of a session and the slowing of repeated wrong passwords.

The users file is JSON (`OUT/users.json` by default, mode 0600), written whole and renamed:
`{"users": {"NAME": {"role": "reviewer", "hash": "$argon2id$…", "tokens": ["<sha256 of a token>"]}}}`.
Without a users file the service serves 127.0.0.1 only and everyone on this machine is the local
reviewer `本机`.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from extractor.errors import AuthError

__all__ = ["LOCAL_USER", "ROLES", "AuthError", "Throttle", "User", "Users", "users_path"]

ROLES = {"viewer": "只读", "reviewer": "复核"}
LOCAL_USER = "本机"
USERS_FILE = "users.json"
_HASHER = PasswordHasher()


@dataclass(frozen=True)
class User:
    name: str
    role: str

    @property
    def can_review(self) -> bool:
        return self.role == "reviewer"


def users_path(out_dir: Path, users: Path | None = None) -> Path:
    return Path(users) if users else Path(out_dir) / USERS_FILE


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Users:
    def __init__(self, path: Path):
        self.path = Path(path)
        self._data: dict = {"users": {}}
        self._stamp: float | None = None
        self._lock = threading.Lock()

    def exists(self) -> bool:
        return self.path.is_file() and bool(self._load()["users"])

    def _load(self) -> dict:
        try:
            stamp = self.path.stat().st_mtime_ns
        except OSError:
            return {"users": {}}
        if stamp != self._stamp:
            self._data = json.loads(self.path.read_text(encoding="utf-8"))
            self._stamp = stamp
        return self._data

    def _save(self, data: dict) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, indent=1)
        os.replace(tmp, self.path)
        self._stamp = None

    def add(self, name: str, password: str, role: str = "reviewer") -> None:
        if role not in ROLES:
            raise AuthError(f"未知角色：{role}（可选：{'、'.join(ROLES)}）")
        if not name.strip() or len(name) > 64:
            raise AuthError("用户名不能为空，且不超过 64 个字符")
        if len(password) < 8:
            raise AuthError("密码至少 8 个字符")
        with self._lock:
            data = self._load() if self.path.is_file() else {"users": {}}
            old = data["users"].get(name, {})
            data["users"][name] = {"role": role, "hash": _HASHER.hash(password), "tokens": old.get("tokens", [])}
            self._save(data)

    def new_token(self, name: str) -> str:
        """A new API token for the user (shown once; only its sha256 is kept)."""
        with self._lock:
            data = self._load()
            if name not in data["users"]:
                raise AuthError(f"没有此用户：{name}")
            token = "ext_" + secrets.token_urlsafe(32)
            data["users"][name].setdefault("tokens", []).append(_token_digest(token))
            self._save(data)
        return token

    def check_password(self, name: str, password: str) -> User | None:
        entry = self._load()["users"].get(name)
        if entry is None:
            _HASHER.hash(password)  # the same work as a known name: timing says nothing
            return None
        try:
            _HASHER.verify(entry["hash"], password)
        except (VerificationError, InvalidHashError):
            return None
        return User(name, entry["role"])

    def check_token(self, token: str) -> User | None:
        digest = _token_digest(token)
        for name, entry in self._load()["users"].items():
            if any(secrets.compare_digest(digest, t) for t in entry.get("tokens", [])):
                return User(name, entry["role"])
        return None

    def get(self, name: str) -> User | None:
        entry = self._load()["users"].get(name)
        return User(name, entry["role"]) if entry else None


class Throttle:
    """Repeated wrong passwords are slowed: after `free` failures for a name (or from an address),
    each next attempt must wait 2, 4, 8 … seconds (at most `cap`) after the last failure. The
    counts live in `conn`'s `login_failures` table when given (shared by the worker processes),
    else in memory."""

    def __init__(self, free: int = 3, cap: float = 300.0, clock=time.time, conn=None):
        self.free, self.cap, self.clock, self.conn = free, cap, clock, conn
        self._fails: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()

    def _get(self, key: str) -> tuple[int, float]:
        if self.conn is None:
            return self._fails.get(key, (0, 0.0))
        row = self.conn().execute("select n, last from login_failures where key = ?", (key,)).fetchone()
        return (row[0], row[1]) if row else (0, 0.0)

    def _set(self, key: str, n: int, last: float) -> None:
        if self.conn is None:
            self._fails[key] = (n, last)
        else:
            self.conn().execute("insert into login_failures (key, n, last) values (?,?,?) on conflict(key) do update "
                                "set n = excluded.n, last = excluded.last", (key, n, last))

    def _drop(self, key: str) -> None:
        if self.conn is None:
            self._fails.pop(key, None)
        else:
            self.conn().execute("delete from login_failures where key = ?", (key,))

    def wait(self, *keys: str) -> float:
        """Seconds still to wait before an attempt for these keys is heard (0: go on)."""
        now, longest = self.clock(), 0.0
        with self._lock:
            for k in keys:
                n, last = self._get(k)
                if n >= self.free:
                    longest = max(longest, last + min(2.0 ** (n - self.free + 1), self.cap) - now)
        return max(longest, 0.0)

    def failed(self, *keys: str) -> None:
        now = self.clock()
        with self._lock:
            for k in keys:
                self._set(k, self._get(k)[0] + 1, now)

    def succeeded(self, *keys: str) -> None:
        with self._lock:
            for k in keys:
                self._drop(k)
