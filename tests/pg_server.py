"""A throwaway PostgreSQL server for the tests: ``initdb`` and ``pg_ctl`` on a temporary
folder, listening on a Unix socket in that folder only (no TCP port to collide with).

PostgreSQL refuses to run as root, and CI runs as root: there the server's commands run as an
unprivileged user (``postgres`` when Debian's package made one, else ``nobody``) through
``setpriv``, in a folder that user owns. The tests connect over the socket as root, which the
server trusts (``initdb -A trust``: a test server with no password).

Without PostgreSQL installed the tests that need it are skipped with the reason, unless
``READER_REQUIRE_POSTGRES=1`` (``.ci/run`` sets it, and installs Debian's ``postgresql``):
then they fail, so CI never passes with them left out.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

SUPERUSER = "reader"


def binaries() -> Path | None:
    """The folder of ``pg_ctl`` and ``initdb``: Debian's newest version, else the PATH's."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                   key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_ctl")
    return Path(on_path).parent if on_path else None


class Server:
    """One PostgreSQL server in its own folder; ``stop`` and ``start`` keep its data."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="reader-pg-"))
        self.data = self.root / "data"
        self.socket_dir = self.root / "socket"
        self.socket_dir.mkdir()
        self.log = self.root / "server.log"
        self.port = 5432 + (os.getpid() % 2000)
        self._as: list[str] = []
        if os.geteuid() == 0:
            user = _unprivileged_user()
            entry = pwd.getpwnam(user)
            for path in (self.root, self.socket_dir):
                os.chown(path, entry.pw_uid, entry.pw_gid)
            self._as = ["setpriv", f"--reuid={entry.pw_uid}", f"--regid={entry.pw_gid}",
                        "--clear-groups", "--"]
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", SUPERUSER,
                  "-E", "UTF8", "--no-locale", "--no-sync")
        self.start()

    def _run(self, program: str, *args: str) -> None:
        env = {**os.environ, "LC_ALL": "C", "HOME": str(self.root)}
        done = subprocess.run([*self._as, str(self.bindir / program), *args], cwd=self.root,
                              env=env, capture_output=True, text=True, timeout=120, check=False)
        if done.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{program} failed ({done.returncode}): {done.stderr.strip()}\n{log}")

    def start(self) -> None:
        options = (f"-k {self.socket_dir} -p {self.port} -c listen_addresses='' -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options,
                  "-w", "-t", "60", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")

    def url(self, database: str = "postgres") -> str:
        return (f"postgresql+psycopg://{SUPERUSER}@/{database}"
                f"?host={self.socket_dir}&port={self.port}")

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(host=str(self.socket_dir), port=self.port, user=SUPERUSER,
                             dbname="postgres", autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def close(self) -> None:
        try:
            self.stop()
        except RuntimeError:
            pass
        shutil.rmtree(self.root, ignore_errors=True)


def _unprivileged_user() -> str:
    try:
        pwd.getpwnam("postgres")
        return "postgres"
    except KeyError:
        return "nobody"
