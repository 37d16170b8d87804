"""The deployed stack itself: nginx proxies to gunicorn, serves static files, keeps private
files internal; gunicorn keeps connections alive and serves requests on several threads, as
nginx's upstream keep-alive and decision 0005 rely on."""

import http.client
import re
from concurrent.futures import ThreadPoolExecutor

LOGIN = "/akun/masuk/"


def test_healthz_through_nginx_reaches_postgresql(stack):
    response = stack.client().get("/healthz")

    assert response.status == 200
    assert response.text == '{"status": "ok", "database": "ok"}'


def test_nginx_serves_the_collected_static_files(stack):
    page = stack.client().get(LOGIN)
    assert page.status == 200
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page.text)
    assert stylesheet, page.text[:500]

    response = stack.client().get(stylesheet.group(1))

    assert response.status == 200
    assert response.header("Expires")  # nginx's `expires 30d`, not whitenoise


def test_private_files_are_not_reachable_from_outside(stack):
    (stack.private_root / "laporan.pdf").write_bytes(b"%PDF-1.7 rahasia")
    (stack.private_root / "laporan.pdf").chmod(0o644)

    for path in ("/_private/laporan.pdf", "/media/laporan.pdf", "/private/laporan.pdf"):
        response = stack.client().get(path)
        assert response.status == 404, path
        assert b"rahasia" not in response.body


def _healthz(connection: http.client.HTTPConnection) -> tuple[int, str | None]:
    connection.request("GET", "/healthz")
    response = connection.getresponse()
    response.read()
    return response.status, response.getheader("Connection")


def test_one_gunicorn_connection_carries_several_requests(stack):
    connection = http.client.HTTPConnection("127.0.0.1", stack.gunicorn_port, timeout=10)
    first_status, first_header = _healthz(connection)
    first_socket = connection.sock
    second_status, second_header = _healthz(connection)
    assert (first_status, second_status) == (200, 200)
    assert "close" not in f"{first_header} {second_header}".lower()
    assert connection.sock is first_socket  # http.client reconnects after a close
    connection.close()


def test_threads_serve_concurrent_requests(stack):
    def one(_: int) -> int:
        connection = http.client.HTTPConnection("127.0.0.1", stack.gunicorn_port, timeout=10)
        try:
            return _healthz(connection)[0]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(one, range(16))) == [200] * 16
