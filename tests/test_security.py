"""Security: your own templates run in a sandbox, exported CSV cannot run as spreadsheet
formulas, --out never overwrites or escapes silently, oversized and non-UTF-8 input files are
refused with bounded memory."""

from __future__ import annotations

import csv
import io
import tracemalloc

import pytest

from plvgov.membership import importing
from tests.conftest import TODAY


@pytest.fixture
def ledger_url(tmp_path) -> str:
    """Input handling is the same on every database: SQLite only."""
    return f"sqlite:///{tmp_path / 'ledger.db'}"


def _one_error(result) -> str:
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.err
    assert "Traceback" not in result.err and "unexpected failure" not in result.err
    return lines[0]


# -- templates ----------------------------------------------------------------------------------
ESCAPES = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{% for c in [].__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
    "{{ self._TemplateReference__context }}{{ ''.__class__ }}",
]


@pytest.mark.parametrize("payload", ESCAPES)
def test_a_template_cannot_escape_the_sandbox(run, ledger, tmp_path, payload, monkeypatch):
    folder = tmp_path / "mine" / "registers"
    folder.mkdir(parents=True)
    (folder / "members.md").write_text(payload + "\n", encoding="utf-8")
    monkeypatch.setenv("PLVGOV_TEMPLATES", str(tmp_path / "mine"))
    result = run("render", "register")
    assert result.code == 1, result.out
    line = _one_error(result)
    assert "sandbox" in line or "template" in line
    assert "uid=" not in result.out  # nothing ran


def test_a_template_cannot_include_a_file_outside_the_template_folders(
    run, ledger, tmp_path, monkeypatch
):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    folder = tmp_path / "mine" / "registers"
    folder.mkdir(parents=True)
    (folder / "members.md").write_text(
        "{% include '../../secret.txt' %}\n{% include '/etc/passwd' %}\n"
    )
    monkeypatch.setenv("PLVGOV_TEMPLATES", str(tmp_path / "mine"))
    result = run("render", "register")
    assert result.code == 1
    _one_error(result)
    assert "TOP SECRET" not in result.out and "root:" not in result.out


# -- exports ------------------------------------------------------------------------------------
FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)"]


def _billable(ledger, names):
    from plvgov import settings

    with ledger.write("plvgov settings set launch_date") as s:
        settings.set_value(
            s, "launch_date", "2024-04-01", effective_from=None, authority=None, today=TODAY
        )
    for name in names:
        with ledger.write("plvgov member import") as s:
            importing.import_members(
                s,
                "name,code,address,admitted_on\n"
                f'"{name.replace(chr(34), chr(34) * 2)}",,'
                '"=1+1",2024-04-01\n',
            )


def test_an_export_neutralises_cells_a_spreadsheet_would_run(run, ledger, tmp_path):
    _billable(ledger, FORMULAS)
    issued = run("invoice", "run", "--year", "2026", "--date", "2026-04-01")
    assert issued.code == 0, issued.err
    out = tmp_path / "invoices.csv"
    assert run("invoice", "export", "--year", "2026", "--out", str(out)).code == 0
    cells = [c for row in csv.reader(io.StringIO(out.read_text("utf-8-sig"))) for c in row]
    assert cells, "the export is empty"
    dangerous = [
        c
        for c in cells
        if c[:1] in ("=", "+", "@") or (c[:1] == "-" and not c[1:].replace(".", "", 1).isdigit())
    ]
    assert dangerous == []
    for formula in FORMULAS:  # the names are still there, only made inert
        assert any(c == "'" + formula for c in cells), formula


def test_out_never_overwrites_without_force(run, ledger, tmp_path):
    target = tmp_path / "precious.csv"
    target.write_text("do not lose me")
    result = run("invoice", "export", "--year", "2026", "--out", str(target))
    assert result.code == 1 and "already exists" in _one_error(result)
    assert target.read_text() == "do not lose me"
    result = run("render", "register", "--out", str(target))
    assert result.code == 1 and "exists" in _one_error(result)
    assert target.read_text() == "do not lose me"
    backup = run("backup", str(target))
    assert backup.code == 1 and "already exists" in _one_error(backup)
    assert target.read_text() == "do not lose me"


@pytest.mark.parametrize("out", ["missing-folder/../../x/y.csv", "/proc/nope/x.csv", "."])
def test_out_into_a_place_that_cannot_hold_it_is_refused(run, ledger, tmp_path, out, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("invoice", "export", "--year", "2026", "--out", out)
    assert result.code in (1, 2)
    _one_error(result)
    assert not list(tmp_path.glob("**/*.partial"))


def test_a_backup_onto_the_ledger_itself_is_refused(run, ledger, ledger_url):
    path = ledger_url.removeprefix("sqlite:///")
    result = run("backup", path, "--force")
    assert result.code == 1 and "different file" in _one_error(result)
    assert run("audit", "verify").code == 0


# -- input files ----------------------------------------------------------------------------------
@pytest.mark.parametrize("words", [("member", "import"), ("cpi", "import")])
def test_an_oversized_input_file_is_refused_with_bounded_memory(run, ledger, tmp_path, words):
    big = tmp_path / "huge.csv"
    with big.open("wb") as handle:  # 64 MB, sparse: cheap to make, expensive to read whole
        handle.write(b"name,code,address,admitted_on\n")
        handle.truncate(64 * 1024 * 1024)
    tracemalloc.start()
    try:
        result = run(*words, str(big))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.code == 1
    assert "MB" in _one_error(result)
    assert peak < 8 * 1024 * 1024  # it never read the file into memory


@pytest.mark.parametrize("words", [("member", "import"), ("cpi", "import")])
def test_a_non_utf8_file_is_refused_and_nothing_is_written(run, ledger, tmp_path, words):
    latin = tmp_path / "latin1.csv"
    if words[0] == "member":
        latin.write_bytes(
            "name,code,address,admitted_on\nSaint-Étienne Council,,Hôtel,\n".encode("latin-1")
        )
    else:  # cpi import also reads Windows-1252 (as some ONS downloads are): use bytes
        # that are text in neither encoding
        latin.write_bytes(b'"2024 SEP","134.2"\n\x81\x8d\x90\x9d\xff\xfe\n')
    before = run("audit", "log", "--json").json()[0]["seq"]
    result = run(*words, str(latin))
    assert result.code == 1
    line = _one_error(result)
    assert "UTF-8" in line or "not a text" in line
    assert run("audit", "log", "--json").json()[0]["seq"] == before


def test_a_folder_or_device_as_an_input_file_is_refused(run, ledger, tmp_path):
    for target in (str(tmp_path), "/dev/zero"):
        result = run("member", "import", target)
        assert result.code == 1, target
        _one_error(result)


def test_a_csv_with_embedded_nul_and_odd_quoting_is_refused_cleanly(run, ledger, tmp_path):
    odd = tmp_path / "odd.csv"
    odd.write_bytes(b'name,code,address,admitted_on\n"Unclosed,,x,\nA\x00B,,,\n')
    result = run("member", "import", str(odd))
    assert result.code in (0, 1)
    assert "Traceback" not in result.err and "unexpected failure" not in result.err


def test_names_are_data_not_markup(run, ledger, tmp_path):
    # A hostile member name is shown as text in an HTML register, never as markup.
    with ledger.write("plvgov member import") as s:
        importing.import_members(
            s, "name,code,address,admitted_on\n<script>alert(1)</script> Council,,,2024-04-01\n"
        )
    result = run("render", "register", "--format", "html")
    assert result.code == 0, result.err
    assert "<script>alert(1)</script>" not in result.out
    assert "&lt;script&gt;" in result.out


def test_files_written_follow_the_umask_and_a_private_key_stays_private(run, ledger, tmp_path):
    """A document is shared (0644 under umask 022, as any program would write it); the audit
    signing key is readable by its owner only, from the moment it exists."""
    import os

    old = os.umask(0o022)
    try:
        out = tmp_path / "register.csv"
        assert run("render", "register", "--format", "csv", "--out", str(out)).code == 0
        assert out.stat().st_mode & 0o777 == 0o644
        key = tmp_path / "audit.pem"
        assert run("audit", "keygen", str(key)).code == 0
        assert key.stat().st_mode & 0o777 == 0o600
        assert (tmp_path / "audit.pem.pub").stat().st_mode & 0o777 == 0o644
        os.umask(0o077)
        private = tmp_path / "private.csv"
        assert run("render", "register", "--format", "csv", "--out", str(private)).code == 0
        assert private.stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(old)
