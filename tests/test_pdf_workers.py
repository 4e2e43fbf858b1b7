"""PDFs rendered in worker processes (:mod:`plvgov.documents.pdf`): the same bytes as in this
process, refusals and failures as this process gives them, papers back in the order sent, and
no worker left behind."""

from __future__ import annotations

import io
import os
import shutil
import signal
import threading
import time
import uuid
from concurrent.futures import CancelledError
from datetime import date
from pathlib import Path

import pytest

from plvgov.billing import accounts
from plvgov.db import Ledger
from plvgov.documents import pdf
from plvgov.errors import InputError
from plvgov.money import parse_amount
from tests.conftest import plvgov_proc
from tests.stories import build_story


def _page(title: str, body: str = "") -> str:
    return (
        f'<!DOCTYPE html><html lang="en-GB"><head><title>{title}</title>'
        '<meta name="dcterms.created" content="2026-11-23"></head>'
        f"<body><h1>{title}</h1><p>Paid by BACS.</p>{body}</body></html>"
    )


def _here(html: str) -> bytes:
    return pdf.InProcess().pdf(html)


def test_a_worker_renders_the_same_bytes_as_this_process() -> None:
    html = _page(
        "Invoice PLV-2026-0001", "<table><tr><th>Total</th><td>£9,984.86</td></tr></table>"
    )
    with pdf.Workers(1) as workers:
        made = workers.pdf(html)
    assert made.startswith(b"%PDF-")
    assert made == _here(html)


def test_papers_come_back_in_the_order_sent_from_several_workers() -> None:
    pages = [_page(f"Invoice PLV-2026-{n:04d}", "<p>x</p>" * n) for n in range(1, 7)]
    with pdf.Workers(2) as workers:
        futures = [workers.submit(html) for html in pages]
        made = [f.result() for f in futures]
    assert made == [_here(html) for html in pages]
    assert len(set(made)) == len(pages)


def test_each_free_worker_takes_the_oldest_paper_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    # A batch waits for its papers in order (batch.pdfs_in_order): were a free worker to take a
    # later paper while an earlier one waited, the batch would wait for that one while the
    # workers ran out of papers. Each paper starts in the order it was sent.
    started: list[int] = []
    lock = threading.Lock()

    def render(self: pdf._Channel, html: str, late: object = None) -> tuple[bytes, bytes]:
        with lock:
            started.append(int(html))
        time.sleep(0.002 * (int(html) % 3))  # papers of different lengths
        return pdf.OK, html.encode()

    monkeypatch.setattr(pdf._Channel, "render", render)
    with pdf.Workers(2) as workers:
        _started(workers, min(2, os.cpu_count() or 1))
        papers = [workers.submit(str(n)) for n in range(60)]
        assert [p.result() for p in papers] == [str(n).encode() for n in range(60)]
    assert started == list(range(60))


def test_a_fetch_is_refused_in_a_worker_as_in_this_process() -> None:
    html = _page("Letter", '<img src="https://example.com/logo.png" alt="logo">')
    with pytest.raises(InputError) as here:
        _here(html)
    with pdf.Workers(1) as workers, pytest.raises(InputError) as there:
        workers.pdf(html)
    assert str(there.value) == str(here.value)
    assert "may not fetch https://example.com/logo.png" in str(there.value)
    # An image the document carries (a data: URL) is no fetch: it is drawn.
    dot = (
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8"
        "/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=="
    )
    inline = _page("Letter", f'<img src="{dot}" alt="dot">')
    with pdf.Workers(1) as workers:
        assert workers.pdf(inline) == _here(inline)
    assert b"/Subtype /Image" in _here(inline)


#: A document naming an image drawn late, in an svg of its size (as a board paper's chart).
_NAMING = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="200pt" height="50pt" viewBox="0 0 200 50">'
    '<title>A chart</title><image href="plvgov-late:{name}" width="200" height="50"/></svg>'
)
_DRAWN = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="200pt" height="50pt" viewBox="0 0 200 50">'
    b'<rect width="200" height="50" fill="#2f5d8a"/><text x="10" y="30">Drawn late</text></svg>'
)


def _text(made: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(made)).pages)


def test_an_image_drawn_late_is_asked_for_while_the_worker_renders() -> None:
    html = _page("Board pack", _NAMING.format(name="chart-1"))
    submitted = threading.Event()
    asked: list[tuple[str, bool]] = []

    def late(name: str) -> bytes | None:
        # The document went to the worker before its image was drawn: it asks for it as it
        # draws the page (were it needed first, this would time out).
        asked.append((name, submitted.wait(timeout=30)))
        return _DRAWN if name == "chart-1" else None

    with pdf.Workers(1) as workers:
        paper = workers.submit(html, late)
        submitted.set()
        made = paper.result()
    assert asked == [("chart-1", True)]
    assert made == pdf.InProcess().pdf(html, late)  # the same paper as rendered here
    assert "Drawn late" in _text(made)


def test_an_image_the_command_does_not_have_is_refused_as_a_fetch() -> None:
    html = _page("Board pack", _NAMING.format(name="chart-2"))
    for late in (None, lambda name: None):
        with pytest.raises(InputError, match="may not fetch plvgov-late:chart-2"):
            pdf.InProcess().pdf(html, late)
        with pdf.Workers(1) as workers, pytest.raises(InputError) as there:
            workers.pdf(html, late)
        assert "may not fetch plvgov-late:chart-2" in str(there.value)


def test_an_image_that_cannot_be_drawn_fails_the_paper_here_as_there() -> None:
    html = _page("Board pack", _NAMING.format(name="chart-3"))
    calls: list[str] = []

    def late(name: str) -> bytes | None:
        calls.append(name)
        raise ValueError("matplotlib could not draw it")

    with pytest.raises(ValueError, match="could not draw it"):
        pdf.InProcess().pdf(html, late)
    # WeasyPrint would log the failure and leave the image out; the worker fails its job,
    # and the paper is rendered again here, which raises the command's own error.
    with pdf.Workers(1) as workers, pytest.raises(ValueError, match="could not draw it"):
        workers.pdf(html, late)
    assert calls == ["chart-3"] * 3


def test_an_svg_that_fetches_an_address_is_refused_not_left_out() -> None:
    # WeasyPrint passes over a failed fetch while it draws an svg (the image is missing, a
    # warning logged): the paper is refused, as an <img> that fetches is.
    image = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"><title>Logo</title>'
        '<image href="https://example.com/logo.png" width="20" height="20"/></svg>'
    )
    with pytest.raises(InputError, match="may not fetch https://example.com/logo.png"):
        _here(_page("Letter", image))


def test_a_worker_that_died_is_replaced_by_this_process() -> None:
    html = _page("Minutes")
    with pdf.Workers(1) as workers:
        (worker,) = workers._all
        worker.process.kill()
        worker.process.wait()
        assert workers.pdf(html) == _here(html)  # rendered here, the same paper


def test_a_failure_in_a_worker_is_answered_and_rendered_again_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pdf.Workers(1) as workers:
        (worker,) = workers._all
        assert worker.process.stdin is not None and worker.process.stdout is not None
        pdf._write_frame(worker.process.stdin, b"\xff not UTF-8")  # what WeasyPrint cannot take
        answer = pdf._read_frame(worker.process.stdout)
        assert answer is not None and answer[:1] == pdf.FAILED
        assert b"UnicodeDecodeError" in answer  # the worker's traceback, for the record
        assert workers.pdf(_page("After a failure")) == _here(_page("After a failure"))
        # Whatever fails there is rendered again here: the paper, or this process's error.
        monkeypatch.setattr(pdf._Worker, "render", lambda self, *job: (pdf.FAILED, b"trace"))
        html = _page("Notice")
        assert workers.pdf(html) == _here(html)


def test_ctrl_c_at_the_terminal_leaves_the_workers_to_the_command() -> None:
    html = _page("Register of members")
    with pdf.Workers(1) as workers:
        (worker,) = workers._all
        assert workers.pdf(html) == _here(html)  # started and serving
        os.kill(worker.process.pid, signal.SIGINT)  # what the terminal sends the whole group
        assert workers.pdf(html) == _here(html)
        assert worker.process.poll() is None  # still there: the command stops it, not the key
    assert worker.process.poll() is not None


def test_a_paper_in_flight_when_the_command_stops_is_not_rendered_again_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    started, release = threading.Event(), threading.Event()

    def gone(self: pdf._Worker, html: str, late: object) -> None:  # the worker dies under it
        started.set()
        release.wait(10)

    def here(self: pdf.InProcess, html: str, late: object) -> bytes:
        raise AssertionError("rendered again in the command's own process")

    monkeypatch.setattr(pdf._Worker, "render", gone)
    monkeypatch.setattr(pdf.InProcess, "pdf", here)
    workers = pdf.Workers(1)
    paper = workers.submit(_page("Minutes"))
    assert started.wait(10)
    threading.Timer(0.2, release.set).start()
    workers.close()  # the command stopping: an error, or Ctrl-C
    with pytest.raises(CancelledError):
        paper.result()


def test_papers_waiting_when_the_command_stops_are_cancelled(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    started, release = threading.Event(), threading.Event()

    def busy(self: pdf._Worker, html: str, late: object) -> tuple[bytes, bytes]:
        started.set()
        release.wait(10)
        return pdf.OK, b"%PDF-"

    monkeypatch.setattr(pdf._Worker, "render", busy)
    monkeypatch.setenv("PLVGOV_PDF_WORKERS", "1")
    workers = pdf.start(1)
    papers = [workers.submit(_page(f"Invoice {n}")) for n in range(5)]
    assert started.wait(10)
    threading.Timer(0.2, release.set).start()
    workers.close()  # returns: nothing waits on a paper no worker took
    assert papers[0].result() == b"%PDF-"  # the one in flight had its answer
    for waiting in papers[1:]:
        assert waiting.cancelled()


def _started(workers: pdf.Workers, count: int) -> list[pdf._Channel]:
    """The workers, once ``count`` of them are serving (the first forks the others)."""
    deadline = time.monotonic() + 30
    while len(workers._all) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(workers._all) == count
    return list(workers._all)


def _alive(pid: int) -> bool:
    """A process that is running (not gone, not a zombie waiting to be reaped)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _gone(pid: int) -> bool:
    deadline = time.monotonic() + 10
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not _alive(pid)


def test_workers_stop_with_the_command() -> None:
    workers = pdf.Workers(2)
    first, forked = _started(workers, 2)
    assert isinstance(first, pdf._Worker) and isinstance(forked, pdf._Forked)
    workers.pdf(_page("Register"))
    workers.close()
    assert first.process.poll() is not None  # stopped, not left to finish
    assert _gone(forked.pid)


@pytest.mark.skipif(not pdf._CAN_FORK, reason="workers fork on Linux only")
def test_the_second_worker_is_forked_from_the_first_and_renders_the_same_bytes() -> None:
    pages = [_page(f"Credit note CN-2026-{n:04d}", "<p>x</p>" * n) for n in range(1, 7)]
    with pdf.Workers(2) as workers:
        first, forked = _started(workers, 2)
        assert isinstance(first, pdf._Worker) and isinstance(forked, pdf._Forked)
        stat = Path(f"/proc/{forked.pid}/stat").read_text().rsplit(")", 1)[1].split()
        assert int(stat[1]) == first.process.pid  # its parent: WeasyPrint started once
        assert forked.render(pages[0]) == (pdf.OK, _here(pages[0]))
        futures = [workers.submit(html) for html in pages]
        assert [f.result() for f in futures] == [_here(html) for html in pages]
        os.kill(first.process.pid, signal.SIGINT)  # ignored by both
        assert workers.pdf(pages[1]) == _here(pages[1])
    assert _gone(forked.pid)


def test_a_worker_that_cannot_fork_is_joined_by_a_started_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pdf._Channel, "fork", lambda self: None)
    with pdf.Workers(2) as workers:
        started = _started(workers, 2)
        assert all(isinstance(w, pdf._Worker) for w in started)
        html = _page("Statement")
        assert workers.pdf(html) == _here(html)


def test_the_number_of_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLVGOV_PDF_WORKERS", "0")
    assert isinstance(pdf.start(4), pdf.InProcess)
    monkeypatch.setenv("PLVGOV_PDF_WORKERS", "1")
    with pdf.start(4) as one:
        assert isinstance(one, pdf.Workers)
        assert len(one._all) == 1
    monkeypatch.delenv("PLVGOV_PDF_WORKERS")
    with pdf.start(1) as grown:
        assert isinstance(grown, pdf.Workers)
        grown.grow(50)  # never more than the cores, nor MAX_WORKERS
        cap = min(pdf.MAX_WORKERS, os.cpu_count() or 1)
        assert len(_started(grown, cap)) == cap
        time.sleep(0.2)
        assert len(grown._all) == cap


# -- the console script, as a user runs it ---------------------------------------------------
@pytest.fixture
def story_file(sqlite_template: Path, tmp_path: Path) -> Path:
    db = tmp_path / "ledger.db"
    shutil.copy(sqlite_template, db)
    led = Ledger(f"sqlite:///{db}")
    try:
        build_story(led)
        with led.write("test: credit") as s:
            accounts.credit(
                s, "PLV-2026-0002", "Agreed reduction", date(2027, 3, 31),
                parse_amount("10.00"), today=date(2027, 3, 31),
            )  # fmt: skip
    finally:
        led.dispose()
    return db


def _workers_of(mark: str) -> list[int]:
    """The PDF worker processes whose environment carries ``mark``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if b"plvgov.documents.pdf_worker" in cmdline and mark.encode() in environ:
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs Linux's /proc")
def test_the_console_script_renders_with_a_worker_and_leaves_none(
    story_file: Path, tmp_path: Path
) -> None:
    mark = uuid.uuid4().hex
    workers = tmp_path / "workers.pdf"
    here = tmp_path / "here.pdf"
    args = ("render", "invoice", "PLV-2026-0001")
    made = plvgov_proc(str(story_file), *args, "--out", str(workers), PLVGOV_MARK=mark)
    assert made.code == 0, made.err
    alone = plvgov_proc(str(story_file), *args, "--out", str(here), PLVGOV_PDF_WORKERS="0")
    assert alone.code == 0, alone.err
    assert workers.read_bytes() == here.read_bytes()
    # A paper that cannot be rendered: one Error line, and the worker started for it ends.
    missing = plvgov_proc(
        str(story_file), "render", "invoice", "PLV-2026-9999", "--out",
        str(tmp_path / "none.pdf"), PLVGOV_MARK=mark,
    )  # fmt: skip
    assert missing.code == 1
    assert missing.err.startswith("Error: ") and len(missing.err.strip().splitlines()) == 1
    assert not (tmp_path / "none.pdf").exists()
    deadline = time.monotonic() + 30
    while _workers_of(mark) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _workers_of(mark) == []


def test_a_years_papers_from_workers_are_those_rendered_alone(
    story_file: Path, tmp_path: Path
) -> None:
    folders = {}
    mark = uuid.uuid4().hex
    for name, workers in (("workers", "2"), ("alone", "0")):
        folder = tmp_path / name
        folder.mkdir()
        done = plvgov_proc(
            str(story_file), "render", "invoice", "--year", "2026", "--out", str(folder),
            PLVGOV_PDF_WORKERS=workers, PLVGOV_MARK=mark,
        )  # fmt: skip
        assert done.code == 0, done.err
        folders[name] = {p.name: p.read_bytes() for p in sorted(folder.iterdir())}
    assert list(folders["workers"]) == [
        "CN-2026-0001.pdf", "CN-2026-0002.pdf", "PLV-2026-0001.pdf", "PLV-2026-0002.pdf",
    ]  # fmt: skip
    assert folders["workers"] == folders["alone"]
    if Path("/proc/self/environ").exists():  # the started worker and those forked from it end
        deadline = time.monotonic() + 30
        while _workers_of(mark) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _workers_of(mark) == []
