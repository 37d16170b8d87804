"""Sign-in protections through nginx and two gunicorn processes (issue 11, items 2 and 4):
the lockout counts the client's address as nginx sees it, not the proxy's, and the login rate
limit holds across processes because its counters are in Redis."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.deploy.conftest import WORKERS

LOGIN = "/akun/masuk/"
PASSWORD = "Sandi-Rahasia-2026!"
LOCKED = "Akun dikunci sementara"
LOGIN_LIMIT = 20


@pytest.fixture(scope="module")
def stack_env():
    return {"RATELIMIT_LOGIN": str(LOGIN_LIMIT), "AXES_FAILURE_LIMIT": "5"}


def _login(stack, address, email, password, headers=None):
    data = {"username": email, "password": password}
    return stack.client(address).post(LOGIN, data, headers=headers)


def test_failures_from_one_address_do_not_lock_the_account_for_another(stack):
    stack.create_user("korban@pemda.go.id", PASSWORD)
    statuses = [_login(stack, "127.0.0.2", "korban@pemda.go.id", "salah").status for _ in range(5)]
    assert statuses == [200] * 4 + [429]  # the fifth failure locks

    from_attacker = _login(stack, "127.0.0.2", "korban@pemda.go.id", PASSWORD)
    from_owner = _login(stack, "127.0.0.3", "korban@pemda.go.id", PASSWORD)

    assert from_attacker.status == 429
    assert LOCKED in from_attacker.text
    assert from_owner.status == 302, from_owner.text[:300]
    assert from_owner.header("Location") == "/dasbor/"


def test_a_client_cannot_choose_its_address_by_sending_the_proxy_header(stack):
    # nginx replaces X-Real-IP with the address it sees: rotating it evades nothing.
    stack.create_user("staf@pemda.go.id", PASSWORD)
    for n in range(5):
        spoofed = {"X-Real-IP": f"10.0.0.{n}", "X-Forwarded-For": f"10.0.1.{n}"}
        _login(stack, "127.0.0.4", "staf@pemda.go.id", "salah", headers=spoofed)

    response = _login(
        stack, "127.0.0.4", "staf@pemda.go.id", PASSWORD, headers={"X-Real-IP": "10.9.9.9"}
    )

    assert response.status == 429
    assert LOCKED in response.text


def test_the_login_limit_holds_across_both_gunicorn_processes(stack):
    # Concurrent requests: nginx opens several upstream connections, spread over the two
    # workers. With a per-process cache each worker would let its own 20 through.
    def attempt(n):
        return _login(stack, "127.0.0.5", f"tamu{n}@pemda.go.id", "salah").status

    already_logged = len(stack.access_log())
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(attempt, range(2 * LOGIN_LIMIT)))

    assert statuses.count(200) == LOGIN_LIMIT
    assert statuses.count(429) == LOGIN_LIMIT
    posts = [e for e in stack.access_log()[already_logged:] if e[1] == "POST"]
    assert len({pid for pid, *_ in posts}) == WORKERS, "one worker served every request"
    # Another address is not affected.
    assert _login(stack, "127.0.0.6", "tamu@pemda.go.id", "salah").status == 200
