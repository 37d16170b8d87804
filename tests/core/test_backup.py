"""Issue 11 item 15: deploy/backup.sh dumps the database of DATABASE_URL and both media folders,
owner-only, and the documented restore (deploy/restore.sh, README "Produksi") brings back the
same rows and files into a fresh database and fresh folders."""

import os
import shutil
import stat
import subprocess
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from psycopg import sql

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (shutil.which("pg_dump") and shutil.which("pg_restore") and shutil.which("psql")),
        reason="PostgreSQL client tools (pg_dump, pg_restore, psql) are not installed",
    ),
]


def _server() -> str:
    """host:port of the PostgreSQL server the suite uses (the local one on the SQLite run)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    parts = urlsplit(url)
    return f"{parts.username or 'postgres'}@{parts.hostname}:{parts.port or 5432}"


@pytest.fixture
def databases():
    """Two throwaway databases (source, fresh restore target), dropped whatever happens."""
    server = _server()
    suffix = uuid.uuid4().hex[:10]
    names = {"source": f"mutu_backup_src_{suffix}", "fresh": f"mutu_backup_new_{suffix}"}
    admin_url = f"postgresql://{server}/postgres"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        for name in names.values():
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            # A password in the URL, as in production: the scripts pass it through PGPASSWORD.
            user, host = server.split("@")
            yield {key: f"postgres://{user}:s%40ndi@{host}/{name}" for key, name in names.items()}
        finally:
            for name in names.values():
                admin.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )


def _libpq(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def _fill(url: str) -> None:
    with psycopg.connect(_libpq(url), autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE pemda (id serial PRIMARY KEY, name text NOT NULL);"
            "CREATE TABLE response (id bigserial PRIMARY KEY,"
            " pemda_id int NOT NULL REFERENCES pemda(id), saran text,"
            " submitted_at timestamptz NOT NULL);"
            "INSERT INTO pemda (name) VALUES ('Kabupaten Penajam Paser Utara'), ('Kota Bandung');"
            "SELECT setval('response_id_seq', 1000123);"
            "INSERT INTO response (pemda_id, saran, submitted_at) VALUES"
            " (1, 'Petugas ramah — terima kasih 🙏', '2026-12-04 02:00+00'),"
            " (2, NULL, '2026-12-04 03:00+00'), (1, 'Antrean lama', '2026-12-05 01:00+00');"
        )


def _state(url: str) -> dict:
    with psycopg.connect(_libpq(url)) as conn:
        return {
            "pemda": conn.execute("SELECT * FROM pemda ORDER BY id").fetchall(),
            "response": conn.execute("SELECT * FROM response ORDER BY id").fetchall(),
            "next_id": conn.execute("SELECT nextval('response_id_seq')").fetchone(),
            "foreign_keys": conn.execute(
                "SELECT count(*) FROM pg_constraint WHERE contype = 'f'"
            ).fetchone(),
        }


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _run(script: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    clean.pop("DATABASE_URL", None)
    return subprocess.run(
        [str(ROOT / "deploy" / script), *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_backup_and_documented_restore_round_trip(databases, tmp_path):
    _fill(databases["source"])
    media, private = tmp_path / "media", tmp_path / "private"
    (media / "logos").mkdir(parents=True)
    (media / "logos" / "ppu.png").write_bytes(b"\x89PNG logo")
    (private / "reports" / "2026" / "12").mkdir(parents=True)
    (private / "reports" / "2026" / "12" / "Xq3-random.pdf").write_bytes(b"%PDF saran warga")
    backup_dir = tmp_path / "backup"
    folders = {"MEDIA_ROOT": str(media), "PRIVATE_MEDIA_ROOT": str(private)}

    done = _run(
        "backup.sh",
        env={"DATABASE_URL": databases["source"], "BACKUP_DIR": str(backup_dir), **folders},
    )
    assert done.returncode == 0, done.stderr
    stamp = done.stdout.strip()
    written = sorted(p.name for p in backup_dir.iterdir())
    assert written == [f"media-{stamp}.tar.gz", f"mutu-{stamp}.dump", f"private-{stamp}.tar.gz"]
    assert stat.S_IMODE(backup_dir.stat().st_mode) == 0o700
    for path in backup_dir.iterdir():  # citizens' answers: readable by the owner only
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name

    restored = tmp_path / "restored"
    target = {
        "DATABASE_URL": databases["fresh"],
        "BACKUP_DIR": str(backup_dir),
        "MEDIA_ROOT": str(restored / "media"),
        "PRIVATE_MEDIA_ROOT": str(restored / "private"),
    }
    back = _run("restore.sh", stamp, env=target)
    assert back.returncode == 0, back.stderr
    assert _state(databases["fresh"]) == _state(databases["source"])
    assert _files(restored / "media") == _files(media) != {}
    assert _files(restored / "private") == _files(private) != {}

    again = _run("restore.sh", stamp, env=target)  # never on top of a database in use
    assert again.returncode != 0 and "fresh database" in again.stderr


def test_backup_refuses_without_a_postgresql_database_url(tmp_path):
    backup_dir = tmp_path / "backup"
    missing = _run("backup.sh", env={"BACKUP_DIR": str(backup_dir)})
    assert missing.returncode != 0 and "DATABASE_URL" in missing.stderr
    sqlite = _run(
        "backup.sh",
        env={"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "BACKUP_DIR": str(backup_dir)},
    )
    assert sqlite.returncode != 0 and "PostgreSQL" in sqlite.stderr
    assert not backup_dir.exists() or not any(backup_dir.iterdir())
