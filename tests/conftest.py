"""Fixtures: a fresh ledger on SQLite always, and on PostgreSQL when
``PLVGOV_TEST_DATABASE_URL`` names a server; ``run`` drives the CLI in-process."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from plvgov.company.founding import initialise
from plvgov.db import Ledger

TODAY = date(2026, 11, 23)
PG_URL = os.environ.get("PLVGOV_TEST_DATABASE_URL")


@pytest.fixture(autouse=True, scope="session")
def _cache_in_a_temporary_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The suite's commands (in-process and the console script alike) keep their cache, the
    bank holidays (plvgov.bank_holidays), in a folder of their own, not the user's."""
    was = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if was is None:
        del os.environ["XDG_CACHE_HOME"]
    else:
        os.environ["XDG_CACHE_HOME"] = was


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite tests/golden/ from the documents rendered now.",
    )


def _postgres_url() -> str:
    if not PG_URL:
        pytest.skip(
            "PostgreSQL tests need PLVGOV_TEST_DATABASE_URL (e.g. "
            "postgresql+psycopg://postgres@127.0.0.1:5432/plvgov_test); .ci/run sets it"
        )
    engine = create_engine(PG_URL)
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    except Exception as exc:  # the server is not reachable: say so, do not fail
        pytest.skip(f"PostgreSQL at {PG_URL} is not reachable: {str(exc).splitlines()[0]}")
    finally:
        engine.dispose()
    return PG_URL


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def ledger_url(request: pytest.FixtureRequest, tmp_path: Any) -> str:
    """An empty database: a SQLite file, or the test PostgreSQL database wiped clean."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ledger.db'}"
    return _postgres_url()


@pytest.fixture
def ledger(ledger_url: str) -> Iterator[Ledger]:
    """A ledger made by ``plvgov init`` on :data:`TODAY`."""
    led = Ledger(ledger_url)
    initialise(
        led, today=TODAY, company_name="Pan-London Vehicle Limited", company_number="14712345"
    )
    yield led
    led.dispose()


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, ledger_url: str
) -> Callable[..., Result]:
    """Run a plvgov command line in-process against the test database (not yet initialised:
    ask for ``ledger`` too, or run ``init``)."""
    from plvgov import cli

    monkeypatch.setenv("PLVGOV_DB", ledger_url)
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("PLVGOV_TODAY", TODAY.isoformat())
    monkeypatch.setenv("PLVGOV_ACTOR", "test-secretary")
    monkeypatch.delenv("PLVGOV_DEBUG", raising=False)

    def _run(*args: str) -> Result:
        capsys.readouterr()
        cli._common.STATE.invocation = "plvgov " + " ".join(args)
        code = cli.run(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return _run


# -- real processes (faults, crash and concurrency trials) ----------------------------------------
PLVGOV_BIN = os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))), ".venv", "bin", "plvgov"
)


def proc_env(db: str, **extra: str) -> dict[str, str]:
    """The environment for a real ``plvgov`` process on ``db`` (a path or URL)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLVGOV_")}
    env.update(
        PLVGOV_DB=str(db), PLVGOV_TODAY=TODAY.isoformat(), PLVGOV_ACTOR="trial", COLUMNS="200"
    )
    env.update(extra)
    return env


def plvgov_proc(db: str, *args: str, timeout: float = 60, **extra: str) -> Result:
    """Run the installed ``plvgov`` console script as a separate process."""
    import subprocess

    done = subprocess.run(
        [PLVGOV_BIN, *args],
        env=proc_env(db, **extra),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return Result(done.returncode, done.stdout, done.stderr)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """One initialised SQLite ledger file per session; copy it (``shutil.copy``) per trial."""
    path = tmp_path_factory.mktemp("template") / "ledger.db"
    led = Ledger(f"sqlite:///{path}")
    initialise(
        led, today=TODAY, company_name="Pan-London Vehicle Limited", company_number="14712345"
    )
    led.dispose()
    import sqlite3

    conn = sqlite3.connect(path)  # fold the WAL back in so that one file is the whole ledger
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path
