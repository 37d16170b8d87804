"""mutu as deployed: a fresh PostgreSQL database, Redis as the cache, gunicorn with
deploy/gunicorn.conf.py and two worker processes, and nginx in front with the locations of
deploy/nginx-mutu-locations.conf. One stack per test module (`stack`); a module changes the
stack's environment by overriding the module-scoped `stack_env` fixture.

Requests go through nginx from a chosen loopback address (`stack.client("127.0.0.2")`): nginx
sees that address as $remote_addr and passes it on in X-Real-IP, as it does for a citizen's.

Missing nginx, Redis or PostgreSQL skips these tests, or fails them when MUTU_E2E_REQUIRED is
set (CI), like the end-to-end tests.

A new deployment test is a module here whose tests take `stack`:

    @pytest.fixture(scope="module")
    def stack_env():                       # optional: the module's own settings
        return {"RATELIMIT_LOGIN": "5"}

    def test_something(stack):
        stack.create_user("a@pemda.go.id", "Sandi-2026!")
        stack.shell("...")                 # Python in the stack's Django (manage.py shell -c)
        citizen = stack.client("127.0.0.7")  # requests through nginx from that address
        response = citizen.post("/akun/masuk/", {"username": ..., "password": ...})
        assert response.status == 302 and response.header("Location") == "/dasbor/"

`stack.private_root` is PRIVATE_MEDIA_ROOT (nginx's internal /_private/), `stack.gunicorn_port`
reaches gunicorn behind nginx's back, `stack.access_log()` says which worker served what, and
`stack.gunicorn_log()` / `stack.nginx_error_log()` help when a test fails. Each module's stack
has its own database, role and cache key prefix, so modules may run in parallel (pytest -n).
"""

import http.client
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOCATIONS = ROOT / "deploy" / "nginx-mutu-locations.conf"
# The paths deploy/nginx-mutu-locations.conf is written for, replaced by the stack's own.
DEPLOYED_STATIC = "/srv/mutu/static/"
DEPLOYED_PRIVATE = "/srv/mutu/private/"
PRIVATE_ACCEL_PREFIX = "/_private/"
WORKERS = 2
REDIS_DB = int(os.environ.get("MUTU_DEPLOY_REDIS_DB", "3"))
START_TIMEOUT = 90
# gunicorn's access log: the worker's pid, the request line, the status.
ACCESS_FORMAT = ["--access-logformat", "%(p)s %(m)s %(U)s %(s)s"]


def _admin_database_url() -> str:
    """The PostgreSQL server the stack creates its database on: that of DATABASE_URL when it
    is PostgreSQL, the local one otherwise."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(url)
        return parts._replace(path="/postgres").geturl()
    return "postgres://postgres@127.0.0.1:5432/postgres"


def _port_open(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=1).close()
        return True
    except OSError:
        return False


def _nginx() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
    )


def _missing() -> list[str]:
    missing = []
    if _nginx() is None:
        missing.append("nginx (apt-get install nginx)")
    if not _port_open("127.0.0.1", 6379):
        missing.append("Redis on 127.0.0.1:6379")
    admin = urlsplit(_admin_database_url())
    if not _port_open(admin.hostname or "127.0.0.1", admin.port or 5432):
        missing.append(f"PostgreSQL on {admin.hostname}:{admin.port or 5432}")
    return missing


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_serving(port: int, process: subprocess.Popen, log: Path, name: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{name} exited with {process.returncode}:\n{log.read_text()[-4000:]}")
        if _port_open("127.0.0.1", port):
            return
        time.sleep(0.2)
    pytest.fail(f"{name} did not start within {START_TIMEOUT} s:\n{log.read_text()[-4000:]}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- a small HTTP client with a chosen source address ------------------------------------------


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def header(self, name: str) -> str | None:
        return self.headers.get(name)


@dataclass
class StackClient:
    """A browser-like client: keeps cookies, sends the CSRF token with form posts, and opens
    every connection from `address`, a loopback address such as 127.0.0.2."""

    port: int
    address: str = "127.0.0.1"
    cookies: SimpleCookie = field(default_factory=SimpleCookie)

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> Response:
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=60, source_address=(self.address, 0)
        )
        sent = {"Host": "127.0.0.1", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())
        try:
            connection.request(method, path, body=body, headers=sent)
            raw = connection.getresponse()
            response = Response(raw.status, raw.headers, raw.read())
        finally:
            connection.close()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(cookie)
        return response

    def get(self, path: str, headers: dict | None = None) -> Response:
        return self.request("GET", path, headers=headers)

    def post(self, path: str, data: dict, headers: dict | None = None) -> Response:
        """A form post as the browser sends it, with the CSRF cookie (fetched by a GET of the
        same page first when there is none yet)."""
        if "csrftoken" not in self.cookies:
            self.get(path)
        token = self.cookies["csrftoken"].value
        body = urlencode({"csrfmiddlewaretoken": token, **data}).encode()
        form = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
        return self.request("POST", path, body=body, headers=form)


# --- the stack -----------------------------------------------------------------------------------


@dataclass
class Stack:
    port: int  # nginx
    gunicorn_port: int  # gunicorn directly, behind nginx's back
    env: dict[str, str]
    directory: Path
    private_root: Path
    database: str

    def client(self, address: str = "127.0.0.1") -> StackClient:
        """A client talking to nginx from `address` (any of 127.0.0.0/8)."""
        return StackClient(self.port, address)

    def manage(self, *args: str) -> str:
        """Run a manage.py command against the stack's database and cache; its output."""
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def shell(self, code: str) -> str:
        """Run Python in the stack's Django (e.g. to create users); what it prints."""
        return self.manage("shell", "--no-imports", "-c", code)

    def create_user(self, email: str, password: str) -> None:
        self.shell(
            "from mutu.core.models import User; "
            f"User.objects.create_user(email={email!r}, password={password!r}, "
            "full_name='Uji Deploy')"
        )

    def access_log(self) -> list[tuple[str, str, str, int]]:
        """gunicorn's access log so far: (worker pid, method, path, status) per request."""
        lines = (self.directory / "access.log").read_text().splitlines()
        return [(p, m, u, int(s)) for p, m, u, s in (line.split(" ") for line in lines)]

    def gunicorn_log(self) -> str:
        return (self.directory / "gunicorn.log").read_text()

    def nginx_error_log(self) -> str:
        return (self.directory / "nginx-error.log").read_text()


def _render_nginx(directory: Path, static_root: Path, private_root: Path, ports: tuple) -> Path:
    nginx_port, gunicorn_port = ports
    locations = LOCATIONS.read_text()
    assert DEPLOYED_STATIC in locations and DEPLOYED_PRIVATE in locations, (
        "deploy/nginx-mutu-locations.conf changed its paths: update tests/deploy/conftest.py"
    )
    locations = locations.replace(DEPLOYED_STATIC, f"{static_root}/")
    locations = locations.replace(DEPLOYED_PRIVATE, f"{private_root}/")
    (directory / "mutu-locations.conf").write_text(locations)
    temp = directory / "nginx-temp"
    temp.mkdir()
    mime_types = Path("/etc/nginx/mime.types")
    # As root, nginx's workers would run as nobody, who cannot read pytest's private tmp dirs.
    user = "user root;" if os.geteuid() == 0 else ""
    config = directory / "nginx.conf"
    config.write_text(f"""
{user}
worker_processes 1;
pid {directory}/nginx.pid;
error_log {directory}/nginx-error.log info;
events {{ worker_connections 512; }}
http {{
    {f"include {mime_types};" if mime_types.exists() else ""}
    default_type application/octet-stream;
    access_log {directory}/nginx-access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    # As in deploy/nginx.conf.example, on the stack's port.
    upstream mutu_app {{
        server 127.0.0.1:{gunicorn_port};
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{nginx_port};
        server_name _;
        include {directory}/mutu-locations.conf;
    }}
}}
""")
    return config


@pytest.fixture(scope="session")
def static_root(tmp_path_factory) -> Path:
    """collectstatic once per session, as deployed (DEBUG off: hashed, compressed files)."""
    root = tmp_path_factory.mktemp("static")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": "test-only-collectstatic",
        "STATIC_ROOT": str(root),
        "DATABASE_URL": "sqlite:///:memory:",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    return root


@pytest.fixture(scope="module")
def stack_env() -> dict[str, str]:
    """Environment for the module's stack on top of the defaults; override in a module."""
    return {}


@pytest.fixture(scope="module")
def stack(tmp_path_factory, stack_env, static_root) -> Iterator[Stack]:
    missing = _missing()
    if missing:
        if os.environ.get("MUTU_E2E_REQUIRED"):
            pytest.fail(f"the deployment test needs {', '.join(missing)}")
        pytest.skip(f"the deployment test needs {', '.join(missing)}")
    import psycopg

    directory = tmp_path_factory.mktemp("stack")
    private_root = directory / "private"
    private_root.mkdir()
    name = f"mutu_deploy_{secrets.token_hex(5)}"
    ports = (_free_port(), _free_port())
    env = _stack_environment(name, directory, static_root, private_root, ports[1])
    env.update(stack_env)
    # A role of its own, limited to the connections the pools may hold: PostgreSQL refuses
    # what the settings would open beyond it ("too many connections"), as a full server does.
    limit = int(env.get("MUTU_DEPLOY_CONNECTION_LIMIT", WORKERS * int(env["DB_POOL_MAX"]) + 2))
    admin_url = _admin_database_url()
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {name} LOGIN CONNECTION LIMIT {limit}")
        admin.execute(f"CREATE DATABASE {name} OWNER {name}")
    processes: list[subprocess.Popen] = []
    try:
        stack = Stack(ports[0], ports[1], env, directory, private_root, name)
        stack.manage("migrate", "--noinput", "-v", "0")
        processes.append(_start_gunicorn(stack))
        processes.append(_start_nginx(stack, static_root))
        yield stack
    finally:
        for process in reversed(processes):
            _stop(process)
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            admin.execute(f"DROP ROLE IF EXISTS {name}")
        _forget_cache_keys(name)


def _stack_environment(
    name: str, directory: Path, static_root: Path, private_root: Path, gunicorn_port: int
) -> dict[str, str]:
    admin = urlsplit(_admin_database_url())
    database_url = f"postgres://{name}@{admin.hostname}:{admin.port or 5432}/{name}"
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "HOME": os.environ.get("HOME", str(directory)),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        # No TLS in the test: nginx listens on plain HTTP.
        "SECURE_HTTPS": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "CACHE_URL": f"rediscache://127.0.0.1:6379/{REDIS_DB}",
        "CACHE_KEY_PREFIX": name,
        "CLIENT_IP_META": "HTTP_X_REAL_IP",
        "STATIC_ROOT": str(static_root),
        "MEDIA_ROOT": str(directory / "media"),
        "PRIVATE_MEDIA_ROOT": str(private_root),
        "PRIVATE_MEDIA_ACCEL_PREFIX": PRIVATE_ACCEL_PREFIX,
        "GUNICORN_WORKERS": str(WORKERS),
        "GUNICORN_THREADS": "4",
        # Fewer connections per process than threads: threads queue for a connection.
        "DB_POOL_MAX": "2",
        # An SMTP server nobody answers: `check --deploy` refuses the console backend.
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": "9",
        "LOG_LEVEL": "WARNING",
    }


def _start_gunicorn(stack: Stack) -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", "config.wsgi:application"]
    command += ["-c", "deploy/gunicorn.conf.py", "--bind", f"127.0.0.1:{stack.gunicorn_port}"]
    # The log goes to a file: a pipe nobody reads would stall a talkative server once full.
    log = stack.directory / "gunicorn.log"
    with log.open("w") as log_file:
        process = subprocess.Popen(
            [*command, "--access-logfile", str(stack.directory / "access.log"), *ACCESS_FORMAT],
            cwd=ROOT,
            env=stack.env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    _wait_until_serving(stack.gunicorn_port, process, log, "gunicorn")
    return process


def _start_nginx(stack: Stack, static_root: Path) -> subprocess.Popen:
    config = _render_nginx(
        stack.directory, static_root, stack.private_root, (stack.port, stack.gunicorn_port)
    )
    log = stack.directory / "nginx-error.log"
    log.touch()
    nginx = _nginx()
    assert nginx is not None
    command = [nginx, "-p", str(stack.directory), "-e", str(log), "-c", str(config)]
    process = subprocess.Popen(
        [*command, "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait_until_serving(stack.port, process, log, "nginx")
    return process


def _forget_cache_keys(prefix: str) -> None:
    import redis

    client = redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)
