"""Agent logins for the console: accounts from the environment, signed session cookies.

DASI_CONSOLE_USERS holds `name:password` pairs separated by commas (e.g. set from a secret
store). There is no built-in account: without the variable nobody can log in, and
`./dasi run` generates a one-off password for the local `agent` account and prints it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass, field

MIN_PASSWORD_LENGTH = 12
SESSION_SECONDS = 12 * 3600  # one working day
MAX_FAILURES = 5  # per account within FAILURE_WINDOW_SECONDS, then logins wait
FAILURE_WINDOW_SECONDS = 300


class ConfigurationError(ValueError):
    """The console's accounts are missing or unsafe."""


def parse_users(spec: str) -> dict[str, str]:
    """{name: password} from 'name:password,name2:password2'; rejects short passwords."""
    users: dict[str, str] = {}
    for entry in (item.strip() for item in spec.split(",")):
        if not entry:
            continue
        name, separator, password = entry.partition(":")
        name = name.strip()
        if not separator or not name:
            raise ConfigurationError("DASI_CONSOLE_USERS entries look like name:password")
        if len(password) < MIN_PASSWORD_LENGTH:
            raise ConfigurationError(f"the password of {name!r} is shorter than {MIN_PASSWORD_LENGTH} characters")
        users[name] = password
    if not users:
        raise ConfigurationError("DASI_CONSOLE_USERS is empty: no agent could log in")
    return users


def _digest(password: str) -> bytes:
    return hashlib.sha256(password.encode("utf-8")).digest()


@dataclass
class Accounts:
    users: dict[str, str]
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    failures: dict[str, list[float]] = field(default_factory=dict)

    def locked(self, name: str, now: float | None = None) -> bool:
        now = time.time() if now is None else now
        recent = [at for at in self.failures.get(name, []) if now - at < FAILURE_WINDOW_SECONDS]
        self.failures[name] = recent
        return len(recent) >= MAX_FAILURES

    def check(self, name: str, password: str, now: float | None = None) -> bool:
        """Constant-time comparison; failures are counted per account name."""
        expected = self.users.get(name)
        # compare against something even for unknown names, so timing does not tell names apart
        ok = hmac.compare_digest(_digest(password), _digest(expected if expected is not None else secrets.token_hex()))
        ok = ok and expected is not None
        if not ok:
            self.failures.setdefault(name, []).append(time.time() if now is None else now)
        return ok

    def session_for(self, name: str, now: float | None = None) -> str:
        expires = int((time.time() if now is None else now) + SESSION_SECONDS)
        body = base64.urlsafe_b64encode(f"{name}\n{expires}".encode()).decode()
        return f"{body}.{self._sign(body)}"

    def user_of(self, session: str | None, now: float | None = None) -> str | None:
        """The agent a session cookie belongs to, or None when forged, expired or unknown."""
        if not session or "." not in session:
            return None
        body, signature = session.rsplit(".", 1)
        if not hmac.compare_digest(signature, self._sign(body)):
            return None
        try:
            name, expires = base64.urlsafe_b64decode(body.encode()).decode().split("\n")
            still_valid = int(expires) > (time.time() if now is None else now)
        except ValueError:
            return None
        return name if still_valid and name in self.users else None

    def _sign(self, body: str) -> str:
        return hmac.new(self.secret, body.encode(), hashlib.sha256).hexdigest()
