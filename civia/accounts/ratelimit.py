"""Failed-login throttling (in memory, or Redis when configured).

Two counts of failures: per account *and* client address (`login_rate_limit`, quick), and per
account from every address (`login_account_rate_limit`, slower). A client is refused when it
passed the first, or when the account passed the second *and* this client failed on it within
that slower window: an attacker cannot lock the account's owner out, whose client has not
failed. Throttled tries are reported (audit) at most once a minute per account.
"""

from __future__ import annotations

from limits import RateLimitItemPerMinute, parse, strategies

from civia.accounts.limiter_storage import storage_for
from civia.settings import Settings

_NOTICE = RateLimitItemPerMinute(1)


class LoginLimiter:
    def __init__(self, settings: Settings) -> None:
        self._limiter = strategies.MovingWindowRateLimiter(storage_for(settings))
        self._client = parse(settings.login_rate_limit)
        self._account = parse(settings.login_account_rate_limit)

    def blocked(self, login: str, ip: str) -> bool:
        account, client = _keys(login, ip)
        if not self._limiter.test(self._client, "login", *client):
            return True
        stats = self._limiter.get_window_stats(self._account, "login-client", *client)
        failed_here = stats.remaining < self._account.amount
        return failed_here and not self._limiter.test(self._account, "login-account", account)

    def failed(self, login: str, ip: str) -> None:
        account, client = _keys(login, ip)
        self._limiter.hit(self._client, "login", *client)
        self._limiter.hit(self._account, "login-client", *client)
        self._limiter.hit(self._account, "login-account", account)

    def report_throttled(self, login: str) -> bool:
        """True at most once a minute per account: when a throttled try is worth an audit."""
        return self._limiter.hit(_NOTICE, "login-throttled", _keys(login, "")[0])


def _keys(login: str, ip: str) -> tuple[str, tuple[str, str]]:
    account = login.strip().lower()
    return account, (account, ip)
