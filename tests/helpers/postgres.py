"""A throwaway PostgreSQL cluster for the tests: started once, reached over a Unix socket only, removed at the end.

The cluster is made by initdb in a fresh folder, with password logins (scram-sha-256) so that a
wrong password is refused as on a real server, and no TCP listener (nothing outside this machine,
nothing another engineer's cluster could clash with). As root it runs as the `postgres` user
(PostgreSQL refuses to run as root). XINFANG_TEST_PG_URL, when set, names a server to use instead.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

ADMIN = "xinfang_admin"
PASSWORD = "test-only-secret"


def _bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    # Debian's postgresql package keeps the server programs off PATH
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


@dataclass
class Cluster:
    folder: Path
    pg_ctl: str
    as_user: list[str]

    def url(self, database: str = "postgres", *, user: str = ADMIN, password: str | None = PASSWORD) -> str:
        secret = f":{password}" if password is not None else ""
        return f"postgresql://{user}{secret}@/{database}?host={self.folder}"

    def stop(self) -> None:
        subprocess.run([*self.as_user, self.pg_ctl, "-D", str(self.folder / "data"), "-m", "immediate", "stop"],
                       capture_output=True, check=False)
        shutil.rmtree(self.folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _stop_orphans(pg_ctl: str, as_user: list[str]) -> None:
    """Stop and remove the clusters of test runs that were killed before they could stop their own.

    Each cluster's folder names the pytest process that started it; a folder whose process is gone
    holds a server nobody will stop, which would otherwise run until the machine restarts."""
    for folder in Path("/tmp").glob(f"{_PREFIX}*"):
        try:
            owner = int((folder / "owner").read_text())
        except (OSError, ValueError):
            continue  # being made right now, or not one of ours
        if not _alive(owner):
            Cluster(folder, pg_ctl, as_user).stop()


_PREFIX = "xinfang-pg-"


def start_cluster() -> Cluster:
    """initdb, then pg_ctl start; raises RuntimeError saying what is missing when it cannot."""
    initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
    if initdb is None or pg_ctl is None:
        raise RuntimeError("PostgreSQL server programs (initdb, pg_ctl) not found: "
                           "apt-get install postgresql, or set XINFANG_TEST_PG_URL")
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    _stop_orphans(pg_ctl, as_user)
    folder = Path(tempfile.mkdtemp(prefix=_PREFIX, dir="/tmp"))  # a socket path must stay short
    (folder / "owner").write_text(str(os.getpid()))
    (folder / "pw").write_text(PASSWORD + "\n")
    if as_user:
        shutil.chown(folder, "postgres")
        shutil.chown(folder / "pw", "postgres")
    try:
        subprocess.run([*as_user, initdb, "-D", str(folder / "data"), "-U", ADMIN, f"--pwfile={folder / 'pw'}",
                        "-A", "scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8"],
                       capture_output=True, text=True, check=True)
        # durability off: a test cluster is thrown away, and fsync on 2 shared cores costs minutes
        options = (f"-c listen_addresses='' -k {folder} -c fsync=off -c synchronous_commit=off"
                   " -c full_page_writes=off -c max_connections=200")
        subprocess.run([*as_user, pg_ctl, "-D", str(folder / "data"), "-l", str(folder / "log"), "-w",
                        "-o", options, "start"], capture_output=True, text=True, check=True)
    except subprocess.CalledProcessError as exc:
        log = (folder / "log").read_text() if (folder / "log").exists() else ""
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"could not start a PostgreSQL cluster: {exc.stderr}\n{log}") from exc
    return Cluster(folder, pg_ctl, as_user)
