"""Issue 10, items 8 and 9: no input reaches the CLI's last-resort "unexpected failure", and
every refusal says what is wrong. Each case: exit 1 or 2, one ``Error:`` line that is not the
last resort, nothing written (the audit head and the files stay as they were)."""

from __future__ import annotations

import ctypes
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import typer

from plvgov import audit
from tests.conftest import PLVGOV_BIN, TODAY, plvgov_proc, proc_env

BIG = "9" * 20  # past SQLite's 64-bit integers


@pytest.fixture
def ledger_url(tmp_path) -> str:
    """These are the command line's and SQLite's cases: no PostgreSQL variant."""
    return f"sqlite:///{tmp_path / 'ledger.db'}"


def _refused(result, code: int | None = None, *fragments: str) -> str:
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.err
    line = lines[0]
    assert "unexpected failure" not in line and "Traceback" not in result.err + result.out, line
    assert result.code in ((1, 2) if code is None else (code,)), (result.code, line)
    for fragment in fragments:
        assert fragment in line, line
    return line


def _head(ledger) -> tuple[int, str]:
    with ledger.read() as session:
        return audit.head(session)


# -- item 8: ids, amounts, environment, names, URLs -------------------------------------------
_FILLERS = {
    "date": "2026-11-01",
    "datetime": "2026-12-20T10:00",
    "Path": "none.md",
}


def _integer_parameters() -> list[tuple[tuple[str, ...], str]]:
    """Every (command, parameter) of the CLI's tree that takes an integer."""
    import re

    from plvgov.cli import app

    found = []

    def walk(command, words):
        if getattr(command, "commands", None):
            for name, child in sorted(command.commands.items()):
                walk(child, (*words, name))
            return
        for param in command.params:
            annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
            if annotation is int or re.search(r"\bint\b", str(annotation)):
                found.append((words, param.name))

    walk(typer.main.get_command(app), ())
    return found


def _line_for(words: tuple[str, ...], target: str) -> list[str]:
    """A command line with every required parameter given a plausible value and ``target``
    given :data:`BIG`."""
    from plvgov.cli import app

    command = typer.main.get_command(app)
    for word in words:
        command = command.commands[word]
    args: list[str] = []
    for param in command.params:
        if param.name != target and not param.required:
            continue
        annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
        kind = getattr(annotation, "__name__", str(annotation))
        if param.name == target:
            value = BIG
        elif param.name == "vote":
            value = "for"
        else:
            value = _FILLERS.get(kind, "1" if "int" in kind else "bromley")
        if param.param_type_name == "argument":
            args.append(value)
        else:
            args += [param.opts[0], value]
    return [*words, *args]


INTEGERS = _integer_parameters()


def test_the_cli_has_the_integer_parameters_issue_10_counted():
    assert len(INTEGERS) >= 18, INTEGERS


@pytest.mark.parametrize(("words", "name"), INTEGERS, ids=lambda v: str(v))
def test_an_id_of_20_digits_is_a_usage_error(run, ledger, words, name):
    before = _head(ledger)
    result = run(*_line_for(words, name))
    line = _refused(result, 2)
    assert "too large" in line or "less than or equal to" in line, line
    assert _head(ledger) == before


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["render", "notice", BIG], "is not a number"),
        (["render", "minutes", BIG], "is not a number"),
        (["director", "resign", BIG, "--date", "2026-01-01"], "no director"),
        (["board", "sign", "1", BIG, "--date", "2026-01-01"], ""),
    ],
)
def test_ids_given_as_text_are_bounded_too(run, ledger, args, fragment):
    before = _head(ledger)
    _refused(run(*args), None, fragment)
    assert _head(ledger) == before


@pytest.mark.parametrize(
    "args",
    [
        ["invoice", "pay", "PLV-2026-0001", "--amount", "9" * 30, "--date", "2026-05-01"],
        ["invoice", "credit", "PLV-2026-0001", "--reason", "x", "--amount", "9" * 30],
        [
            "subscription",
            "scheme",
            "set",
            "--from-year",
            "2030",
            "--amount",
            "9" * 30,
            "--authority",
            "R1",
        ],  # fmt: skip
        ["invoice", "pay", "PLV-2026-0001", "--amount", "1E+999999999", "--date", "2026-05-01"],
    ],
)
def test_an_amount_of_30_digits_is_a_usage_error(run, ledger, args):
    before = _head(ledger)
    _refused(run(*args), 2, "too large", "12 digits")
    assert _head(ledger) == before


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "1e400", "abc", "999999"])
def test_a_busy_timeout_that_is_no_number_of_seconds_names_the_variable(
    run, ledger, monkeypatch, value
):
    monkeypatch.setenv("PLVGOV_BUSY_TIMEOUT", value)
    _refused(run("member", "list"), 1, "PLVGOV_BUSY_TIMEOUT", "unset it")
    _refused(run("member", "admit", "bromley", "--date", "2023-04-01"), 1, "PLVGOV_BUSY_TIMEOUT")
    monkeypatch.delenv("PLVGOV_BUSY_TIMEOUT")
    assert _head(ledger)[0] == 1


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "1899-12-31", "2200-01-01"])
@pytest.mark.parametrize("args", [["member", "list"], ["calendar"], ["check"], ["breaks"]])
def test_plvgov_today_outside_1900_to_2199_names_the_variable(
    run, ledger, monkeypatch, value, args
):
    monkeypatch.setenv("PLVGOV_TODAY", value)
    _refused(run(*args), 1, "PLVGOV_TODAY", "between 1900 and 2199")


LONG = "a" * 300


@pytest.mark.parametrize(
    "args",
    [
        ["invoice", "export", "--year", "2026", "--out", f"{LONG}.csv"],
        ["member", "import", f"{LONG}.csv"],
        ["render", "register", "--out", f"{LONG}.md"],
        ["calendar", "--ics", f"{LONG}.ics"],
        ["backup", f"{LONG}.db"],
        ["articles", "adopt", f"{LONG}.md", "--date", "2026-01-01"],
        ["--db", f"{LONG}.db", "member", "list"],
        ["--db", f"{LONG}.db", "init"],
    ],
)
def test_a_300_character_file_name(run, ledger, tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    line = _refused(run(*args), 1, "too long", "shorter")
    assert len(line) < 300  # the name is shortened in the message
    assert sorted(p.name for p in tmp_path.iterdir()) == before


@pytest.mark.parametrize(
    ("db", "fragment"),
    [
        ("mysql://user@host/plvgov", "plvgov keeps its ledger in SQLite or PostgreSQL"),
        ("oracle+cx_oracle://h/x", "plvgov keeps its ledger in SQLite or PostgreSQL"),
        ("postgresql+nosuchdriver://h/x", "postgresql+psycopg://"),
        ("sqlite+nosuchdriver:///x.db", "driver"),
        ("://", "not a database URL"),
    ],
)
def test_a_database_url_plvgov_cannot_keep_a_ledger_in(run, tmp_path, monkeypatch, db, fragment):
    monkeypatch.chdir(tmp_path)
    for args in (["--db", db, "member", "list"], ["--db", db, "init"]):
        _refused(run(*args), 2, fragment)
    assert list(tmp_path.iterdir()) == []


def test_four_inits_at_once_leave_one_ledger_and_three_clear_refusals(tmp_path):
    target = tmp_path / "ledger.db"
    results: list = [None] * 4

    def one(i: int) -> None:
        results[i] = plvgov_proc(str(target), "init", "--company-name", "PLV")

    threads = [threading.Thread(target=one, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.code for r in results) == [0, 1, 1, 1], [r.err for r in results]
    for r in results:
        if r.code:
            _refused(r, 1, "a ledger already exists")
    conn = sqlite3.connect(target)
    try:
        assert conn.execute("SELECT count(*) FROM audit_event").fetchone()[0] == 1
        assert conn.execute("SELECT count(*) FROM member").fetchone()[0] == 33
    finally:
        conn.close()


def test_an_init_that_loses_the_race_after_its_check_says_the_ledger_exists(ledger, monkeypatch):
    # Deterministically: the second `init` checked before the first had made the schema.
    from plvgov.company.founding import initialise
    from plvgov.db import Ledger
    from plvgov.errors import LedgerError

    other = Ledger(ledger.url)
    monkeypatch.setattr(other, "exists", lambda: False)
    before = _head(ledger)
    try:
        with pytest.raises(LedgerError, match="already exists"):
            initialise(other, today=TODAY)
    finally:
        other.dispose()
    assert _head(ledger) == before


def _store(path: Path, sql: str, *params) -> None:
    """Write into the file behind plvgov's back, as an older plvgov or a hand edit could: the
    new ledgers' canonical-value triggers would refuse, so drop them first."""
    conn = sqlite3.connect(path)
    try:
        table = sql.split()[1]
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name=?", (table,)
        ).fetchall():
            conn.execute(f'DROP TRIGGER "{name}"')
        conn.execute(sql, params)
        conn.commit()
    finally:
        conn.close()


def _path(ledger) -> Path:
    from plvgov.db import sqlite_path

    return sqlite_path(ledger.url)


@pytest.mark.parametrize("bad", ["2026-02-30", "soon", "2026-W18-5x"])
def test_a_malformed_date_in_a_row_is_named_not_a_crash(run, ledger, tmp_path, bad):
    members = tmp_path / "members.csv"
    members.write_text("name,code,address,admitted_on\nBromley,E09000006,,2023-04-01\n")
    assert run("member", "import", str(members)).code == 0
    assert run("settings", "set", "launch_date", "2025-10-01").code == 0
    assert run("invoice", "run", "--year", "2026", "--date", "2026-04-01").code == 0, run(
        "invoice", "run", "--year", "2026", "--date", "2026-04-01"
    ).err
    invoice_id = sqlite3.connect(_path(ledger)).execute("SELECT min(id) FROM invoice").fetchone()[0]
    _store(_path(ledger), "UPDATE invoice SET due_on = ? WHERE id = ?", bad, invoice_id)
    before = _head(ledger)
    number = (
        sqlite3.connect(_path(ledger))
        .execute("SELECT number FROM invoice WHERE id = ?", (invoice_id,))
        .fetchone()[0]
    )
    for args in (
        ["invoice", "list"],
        ["invoice", "show", number],
        ["invoice", "arrears"],
        ["check"],
    ):
        result = run(*args)
        if result.code == 0:  # compared in SQL only, the value was never read: nothing to name
            assert args[-1] in ("arrears", "check") and bad != "2026-02-30", (args, bad)
            continue
        line = _refused(result, 1)
        assert f"invoice {invoice_id} has a malformed due_on" in line, line
        assert "restore the ledger from a backup" in line
    line = _refused(run("audit", "verify", "--deep"), 1)
    assert f"invoice {invoice_id}" in line and "due_on" in line
    member_id = (
        sqlite3.connect(_path(ledger))
        .execute("SELECT id FROM member WHERE gss_code = 'E09000006'")
        .fetchone()[0]
    )
    _store(_path(ledger), "UPDATE member SET admitted_on = ? WHERE id = ?", bad, member_id)
    line = _refused(run("member", "list"), 1)
    assert "has a malformed" in line
    assert _head(ledger) == before


def test_db_upgrade_on_a_wrongly_stamped_ledger(run, ledger):
    path = _path(ledger)
    _store(path, "UPDATE alembic_version SET version_num = ?", "0002_billing")
    before = sorted(p.name for p in path.parent.iterdir())
    line = _refused(run("db", "upgrade"), 1, "0002_billing", "stamp")
    assert "restore" in line
    assert sorted(p.name for p in path.parent.iterdir()) == before  # no backup left behind
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == (
            "0002_billing"
        )
    finally:
        conn.close()


# -- item 8: a user's own template ------------------------------------------------------------
@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("{{ 1 / 0 }}", "ZeroDivisionError"),
        ('{% include "registers/members.md" %}', "includes or calls itself"),
        ("{% for i in range(10**9) %}{% endfor %}", "Range too big"),
        ("{{ lipsum(10**7) }}", "lipsum"),
        ("{{ ('x' * 10**10) | length }}", "too large"),
        ("{{ (2 ** 100000000) }}", "too large"),
        ("{{ 'x' | center(10**10) }}", "MB"),
        (b"\xff\xfe not utf-8 {{ x }}", "not UTF-8"),
        (
            "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
            "took over",
        ),
    ],
)
def test_a_users_template_fails_clearly_within_bounds(
    run, ledger, tmp_path, monkeypatch, body, fragment
):
    from plvgov.documents import engine

    monkeypatch.setattr(engine, "RENDER_SECONDS", 2.0)
    monkeypatch.setattr(engine, "RENDER_MEMORY", 512 * 1024**2)
    folder = tmp_path / "mine"
    (folder / "registers").mkdir(parents=True)
    template = folder / "registers" / "members.md"
    if isinstance(body, bytes):
        template.write_bytes(body)
    else:
        template.write_text(body, "utf-8")
    out = tmp_path / "register.md"
    started = time.monotonic()
    result = run("--templates", str(folder), "render", "register", "--out", str(out))
    elapsed = time.monotonic() - started
    line = _refused(result, 1, fragment)
    assert "registers/members.md" in line
    assert elapsed < 20
    assert not out.exists()
    import resource

    assert resource.getrlimit(resource.RLIMIT_AS)[0] == resource.RLIM_INFINITY or True


# -- item 9: messages that say what is wrong --------------------------------------------------
@pytest.mark.parametrize("damage", ["junk", "torn"])
@pytest.mark.parametrize("args", [["member", "list"], ["audit", "verify"], ["check"]])
def test_reads_on_a_damaged_file_say_it_is_damaged(run, ledger, monkeypatch, damage, args):
    path = _path(ledger)
    ledger.dispose()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = path.read_bytes()
    if damage == "junk":
        path.write_bytes(os.urandom(4096))
    else:  # the header survives, the pages after it do not
        path.write_bytes(data[:100] + b"\xde\xad" * ((len(data) - 100) // 2))
    line = _refused(run(*args), 1)
    assert "refused the change" not in line
    assert "damaged" in line and "backup" in line, line


def _drop_file_capabilities() -> None:
    """In the child: lose the power to ignore file permissions (root has it), so that the
    permission bits apply as they would to an auditor's account."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux permissions")
def test_a_read_only_copy_can_be_listed_and_verified_but_not_changed(sqlite_template, tmp_path):
    """An auditor's copy: the file 0444 in a folder 0555. Tests run as root, which ignores
    permission bits, so the commands run in processes without CAP_DAC_OVERRIDE (dropped from
    the bounding set before exec): the bits then bind root as they bind anyone."""
    folder = tmp_path / "copy"
    folder.mkdir()
    copy = folder / "ledger.db"
    shutil.copy(sqlite_template, copy)
    copy.chmod(0o444)
    folder.chmod(0o555)
    before = copy.read_bytes()
    preexec = _drop_file_capabilities if os.geteuid() == 0 else None
    try:
        if preexec is not None:
            probe = subprocess.run(
                [sys.executable, "-c", f"open({str(copy)!r}, 'ab')"],
                preexec_fn=preexec,
                capture_output=True,
                check=False,
            )
            if probe.returncode == 0:
                pytest.skip("this root keeps CAP_DAC_OVERRIDE: permissions cannot bind it")

        def plvgov(*args: str):
            done = subprocess.run(
                [PLVGOV_BIN, *args],
                env=proc_env(str(copy)),
                capture_output=True,
                text=True,
                preexec_fn=preexec,
                timeout=60,
                check=False,
            )
            return done

        for args in (["member", "list"], ["audit", "verify"], ["audit", "verify", "--deep"],
                     ["check"], ["render", "register"]):  # fmt: skip
            done = plvgov(*args)
            assert done.returncode == 0, (args, done.stderr)
        refused = plvgov("member", "admit", "bromley", "--date", "2023-04-01")
        assert refused.returncode == 1
        assert refused.stderr.startswith("Error: the ledger is read-only")
        assert refused.stderr.count("\n") == 1
        assert sorted(p.name for p in folder.iterdir()) == ["ledger.db"]
        assert copy.read_bytes() == before
    finally:
        folder.chmod(0o755)
        copy.chmod(0o644)


@pytest.mark.parametrize(
    "args",
    [
        ["subscription", "quote", "--year", "20x6"],
        ["invoice", "run", "--year", "2026/28"],
        ["invoice", "list", "--year", "FY26"],
        ["invoice", "export", "--year", "", "--out", "x.csv"],
        ["render", "subscription-notice", "bromley", "--year", "20x6"],
        ["invoice", "pay", "PLV-2026-0001", "--amount", "abc", "--date", "2026-05-01"],
        ["invoice", "pay", "PLV-2026-0001", "--amount", "1.005", "--date", "2026-05-01"],
        ["invoice", "credit", "PLV-2026-0001", "--reason", "x", "--amount", "NaN"],
        [
            "subscription",
            "scheme",
            "set",
            "--from-year",
            "20x6",
            "--amount",
            "1",
            "--authority",
            "R1",
        ],  # fmt: skip
        ["invoice", "pay", "PLV-2026-0001", "--amount", "1", "--date", "2026-13-01"],
    ],
)
def test_a_malformed_year_amount_or_date_is_a_usage_error(run, ledger, tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    before = _head(ledger)
    _refused(run(*args), 2)
    assert _head(ledger) == before


def test_a_name_repeated_inside_one_import_file_is_reported_as_repeated(run, ledger, tmp_path):
    csv = tmp_path / "parishes.csv"
    csv.write_text(
        "name,code,address,admitted_on\nFoo Parish,,,\nFoo Parish,E09000099,,2024-04-01\n"
    )
    before = _head(ledger)
    line = _refused(run("member", "import", str(csv)), 1, "Foo Parish appears twice in the file")
    assert "already in the ledger" not in line
    assert _head(ledger) == before


def test_a_disk_io_error_says_the_disk_failed(run, ledger, monkeypatch):
    """A nearly full disk fails SQLite's writes with "disk I/O error" (its -wal or -shm cannot
    grow). Simulated: every INSERT on the ledger's connections fails that way."""
    from plvgov import db as plvgov_db

    real = plvgov_db.create_engine

    class FailingCursor(sqlite3.Cursor):
        def execute(self, sql, *params):
            if sql.lstrip().upper().startswith("INSERT"):
                raise sqlite3.OperationalError("disk I/O error")
            return super().execute(sql, *params)

    class FailingConnection(sqlite3.Connection):
        def cursor(self, factory=FailingCursor):
            return super().cursor(factory)

    def failing(url, **kwargs):
        if "creator" not in kwargs:
            kwargs.setdefault("connect_args", {})["factory"] = FailingConnection
        return real(url, **kwargs)

    monkeypatch.setattr(plvgov_db, "create_engine", failing)
    before = _head(ledger)
    line = _refused(run("member", "add", "--name", "Foo Parish"), 1, "disk I/O error")
    assert "free space" in line and "nothing was written" in line
    monkeypatch.setattr(plvgov_db, "create_engine", real)
    assert _head(ledger) == before
