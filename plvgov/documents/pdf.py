"""HTML to PDF with WeasyPrint: in this process, or in worker processes started before the
ledger is opened.

A PDF costs WeasyPrint's start-up (importing it and loading Pango, HarfBuzz and fontconfig:
about as long as plvgov takes to import its ORM and read the ledger) and then the layout. A
command that will write PDFs starts :class:`Workers` first, so that WeasyPrint starts on
another core while plvgov reads the ledger and fills the template; the HTML then goes to a
worker that is ready. A year's invoices go to several workers at once, in order: the first is
started, and the others are forked from it once WeasyPrint has started there (on Linux), so that
WeasyPrint starts once, not once a worker; a forked worker answers over a Unix socket of its own.

A worker is ``python -m plvgov.documents.pdf_worker``: it reads jobs from its standard input and
answers on its standard output, each a frame (a 4-byte big-endian length, then the bytes). A
job is the HTML in UTF-8; an answer is one status byte (:data:`OK`, :data:`REFUSED` or
:data:`FAILED`) then the PDF, the refusal's message or the traceback. It exits at the end of
its input, and a command stops its workers when it is done with them: one that is killed
leaves none behind for longer than its start-up. Whatever a worker cannot do (it would not
start, it died, WeasyPrint failed) is done again in this process, so that the paper, or the
error, is the one an in-process render gives. ``PLVGOV_PDF_WORKERS=0`` renders every PDF in
this process.

A document may name an image it does not carry yet, ``plvgov-late:NAME`` (:data:`LATE`), inside
an ``<svg>`` of the image's size: a board paper's chart that is not kept from an earlier run
(:mod:`plvgov.documents.charts`). WeasyPrint lays the pages out without it, and asks for it only
when it draws the page it is on; the command draws it meanwhile. A worker asks its command for
it in the middle of its job: a frame :data:`NEED` then the name, answered by a frame of the
image (:data:`OK`), or :data:`REFUSED` (no such image: the document is refused, as for any
fetch) or :data:`FAILED` (the command could not draw it).
"""

from __future__ import annotations

import os
import signal
import socket
import struct
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import CancelledError, Future
from queue import Empty, SimpleQueue
from typing import IO, Any, NamedTuple

from plvgov import collector
from plvgov.errors import InputError

OK, REFUSED, FAILED = b"0", b"1", b"2"
#: A worker's question in the middle of a job: the image a :data:`LATE` address names.
NEED = b"3"
#: The address of an SVG image a document names before it is drawn; ``late(name)`` gives it.
LATE = "plvgov-late:"
#: The command that asks for an image drawn late: its bytes (SVG), or None if it has no such.
Late = Callable[[str], bytes | None]
#: A job that asks a worker to fork (then the address of the socket the child is to call).
_FORK = b"\x00fork "
#: How long a forked worker has to call back.
_FORK_TIMEOUT = 10
#: Workers fork where forking a process that has loaded Pango and fontconfig is safe (Linux;
#: macOS's libraries are not fork-safe).
_CAN_FORK = sys.platform.startswith("linux") and hasattr(os, "fork")
_LENGTH = struct.Struct(">I")
#: A small document that makes a new worker load its fonts and compile its stylesheets.
_WARM_UP = (
    '<!DOCTYPE html><html lang="en-GB"><head><title>.</title><style>'
    "body{font-family:sans-serif}</style></head><body><h1>.</h1><p>.</p>"
    "<table><tr><th>.</th><td>1</td></tr></table></body></html>"
)


def html_to_pdf(html: str, fonts: object | None = None, late: Late | None = None) -> bytes:
    """A PDF from a self-contained HTML document (WeasyPrint; nothing fetched), tagged for a
    screen reader (PDF/UA-1): the structure of headings, tables and figures, the language
    (``<html lang>``), and the title, author, subject and creation date the template's
    ``<title>`` and ``<meta>`` give (``_partials/base.html``). ``fonts``: a WeasyPrint
    ``FontConfiguration`` shared by several papers (default: one for this document). ``late``
    gives the images the document names at a :data:`LATE` address, as WeasyPrint draws them."""
    import logging

    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    fetcher = _inline_only(late)
    try:
        result = HTML(string=html, url_fetcher=fetcher).write_pdf(
            pdf_variant="pdf/ua-1", font_config=fonts
        )
    except FatalURLFetchingError:  # the fetcher's refusal stops the render
        if fetcher.failure is None:
            raise
    # WeasyPrint logs and passes over a failure to fetch while it draws an SVG: the image would
    # be missing from the paper, so the paper is not made.
    if fetcher.failure is not None:
        raise fetcher.failure
    assert result is not None
    return bytes(result)


def _inline_only(late: Late | None) -> Any:
    """WeasyPrint's fetcher for a document that carries everything it shows: a ``data:`` URL
    is read, a :data:`LATE` address is asked of ``late``, any other address is refused, and the
    refusal stops the render (WeasyPrint would otherwise leave the image out with a warning
    nobody reads). Its ``failure`` is the first fetch that failed, or None."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class InlineOnly(URLFetcher):  # type: ignore[misc]
        failure: BaseException | None = None

        def fetch(self, url: str, headers: object = None) -> object:
            try:
                if url.startswith("data:"):
                    return super().fetch(url, headers)
                if late is not None and url.startswith(LATE):
                    image = late(url[len(LATE) :])
                    if image is not None:
                        return URLFetcherResponse(url, image, {"Content-Type": "image/svg+xml"})
                raise InputError(f"a document may not fetch {url}; inline it in the template")
            except BaseException as failure:
                self.failure = self.failure or failure
                raise

    return InlineOnly(fail_on_errors=True)


def _fonts() -> object:
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def _read_frame(stream: IO[bytes]) -> bytes | None:
    """One frame's bytes, or None at the end of the stream (or of a frame cut short)."""
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        return None
    (size,) = _LENGTH.unpack(head)
    body = stream.read(size)
    return body if len(body) == size else None


def _write_frame(stream: IO[bytes], data: bytes) -> None:
    stream.write(_LENGTH.pack(len(data)) + data)
    stream.flush()


#: The most workers a batch starts, whatever the number of cores.
MAX_WORKERS = 4


class Renderer:
    """Renders HTML to PDF: :meth:`submit` gives a future, :meth:`pdf` waits for it."""

    def submit(self, html: str, late: Late | None = None) -> Future[bytes]:
        """The PDF of ``html`` to come; ``late`` gives the images it names at a :data:`LATE`
        address (:func:`html_to_pdf`), asked for from another thread."""
        raise NotImplementedError

    def pdf(self, html: str, late: Late | None = None) -> bytes:
        return self.submit(html, late).result()

    def grow(self, count: int) -> None:
        """Render up to ``count`` papers at once, where that is possible."""

    def close(self) -> None:
        """Stop whatever renders."""

    def __enter__(self) -> Renderer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class InProcess(Renderer):
    """Every PDF rendered here, one font configuration for all of them."""

    def __init__(self) -> None:
        self._fonts: object | None = None

    def submit(self, html: str, late: Late | None = None) -> Future[bytes]:
        done: Future[bytes] = Future()
        try:
            if self._fonts is None:
                self._fonts = _fonts()
            done.set_result(html_to_pdf(html, self._fonts, late))
        except Exception as failure:  # handed to the caller by result(), as a pool would
            done.set_exception(failure)
        return done


class _Channel:
    """A worker's two streams: jobs to it, answers from it; one job at a time."""

    jobs: IO[bytes]
    answers: IO[bytes]
    busy: threading.Lock

    def render(self, html: str, late: Late | None = None) -> tuple[bytes, bytes] | None:
        """(status, payload), or None when the worker is gone. The images the worker asks
        for as it draws (:data:`NEED`) are given by ``late``."""
        return self._ask(html.encode("utf-8"), late)

    def _ask(self, frame: bytes, late: Late | None = None) -> tuple[bytes, bytes] | None:
        try:
            with self.busy:
                _write_frame(self.jobs, frame)
                while (answer := _read_frame(self.answers)) is not None and answer[:1] == NEED:
                    _write_frame(self.jobs, _lend(late, answer[1:].decode("utf-8")))
        except (BrokenPipeError, OSError, ValueError):
            return None
        if not answer:
            return None
        return answer[:1], answer[1:]

    def fork(self) -> _Forked | None:
        """A second worker forked from this one once it has started (WeasyPrint imported, its
        fonts loaded): it answers over a socket of its own. None when that fails."""
        import socket
        import tempfile

        with tempfile.TemporaryDirectory(prefix="plvgov-pdf-") as folder:
            address = os.path.join(folder, "worker")
            listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                listener.bind(address)
                listener.listen(1)
                listener.settimeout(_FORK_TIMEOUT)
                answer = self._ask(_FORK + address.encode("utf-8"))
                if answer is None or answer[0] != OK:
                    return None
                pid = int(answer[1])
                try:
                    connection, _ = listener.accept()
                except OSError:  # it never called: stop it, whatever it is doing
                    _kill(pid)
                    return None
            except OSError:  # no socket here (a path too long, say): no fork
                return None
            finally:
                listener.close()
        connection.settimeout(None)
        return _Forked(connection, pid)

    def stop(self) -> None:
        raise NotImplementedError


class _Worker(_Channel):
    """A worker process started by this one, and its pipes."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "plvgov.documents.pdf_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.jobs, self.answers = self.process.stdin, self.process.stdout
        self.busy = threading.Lock()

    def stop(self) -> None:
        """Stop it at once: every answer it owed has been read (or is not wanted), and a
        worker still starting would only finish importing WeasyPrint to exit."""
        _close(self.jobs, self.answers)
        self.process.kill()
        self.process.wait()


class _Forked(_Channel):
    """A worker forked from another (:meth:`_Channel.fork`), and its socket. The worker it was
    forked from reaps it; it exits at the end of its socket, or when killed."""

    def __init__(self, connection: socket.socket, pid: int) -> None:
        self.connection, self.pid = connection, pid
        self.jobs, self.answers = connection.makefile("wb"), connection.makefile("rb")
        self.busy = threading.Lock()

    def stop(self) -> None:
        _close(self.jobs, self.answers, self.connection)
        _kill(self.pid)


def _lend(late: Late | None, name: str) -> bytes:
    """The answer to a worker's :data:`NEED`: the image, refused, or failed (and why)."""
    try:
        image = late(name) if late is not None else None
    except Exception as failure:  # noqa: BLE001 - the worker fails its job; it is done again here
        return FAILED + repr(failure).encode("utf-8")
    return REFUSED if image is None else OK + image


def _close(*streams: IO[bytes] | socket.socket) -> None:
    for stream in streams:
        try:
            stream.close()
        except OSError:
            pass


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:  # gone already
        pass


class _Job(NamedTuple):
    html: str
    late: Late | None
    paper: Future[bytes]


class Workers(Renderer):
    """PDFs rendered by worker processes: ``count`` of them, started now (WeasyPrint starting
    on other cores while this process goes on); :meth:`grow` starts more once a batch knows its
    size (never more than the cores, nor :data:`MAX_WORKERS`).

    Each worker has a thread of this process that feeds it: whenever its worker is free, it
    takes the oldest job waiting (one queue, first in, first out) and waits on the worker's
    pipe (the GIL released). Papers therefore finish in about the order they were sent, so that
    a batch waiting for its next paper in order (:func:`plvgov.documents.batch.pdfs_in_order`)
    is not held up by one that an idle worker passed over while later ones were rendered."""

    def __init__(self, count: int = 1) -> None:
        self._jobs: SimpleQueue[_Job | None] = SimpleQueue()
        self._all: list[_Channel] = []
        self._planned = 0  # workers started or being forked
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._fallback = InProcess()
        self._closing = threading.Event()
        self.grow(count)

    def grow(self, count: int) -> None:
        """The first worker is started; the others are forked from it once it has started
        (where the system forks), so that WeasyPrint starts once, not once a worker."""
        count = min(count, MAX_WORKERS, os.cpu_count() or 1)
        with self._lock:
            while self._planned < count:
                if not self._all:
                    try:
                        first = _Worker()
                    except OSError:
                        return  # no worker: the papers are rendered here
                    self._all.append(first)
                    self._thread(self._feed, first)
                else:
                    self._thread(self._another, self._all[0])
                self._planned += 1

    def _thread(self, target: Callable[[_Channel], None], worker: _Channel) -> None:
        thread = threading.Thread(target=target, args=(worker,), name="plvgov-pdf", daemon=True)
        thread.start()
        self._threads.append(thread)

    def _another(self, first: _Channel) -> None:
        """One more worker, then its feeding: forked from the first (the one this process
        started: a forked worker holds its own socket, which its children would hold open
        too), or started when that fails."""
        worker: _Channel | None = first.fork() if _CAN_FORK else None
        if worker is None and not self._closing.is_set():
            try:
                worker = _Worker()
            except OSError:
                return  # no more workers: the papers go to those there are
        if worker is None:
            return
        with self._lock:
            if self._closing.is_set():
                worker.stop()
                return
            self._all.append(worker)
        self._feed(worker)

    def _feed(self, worker: _Channel) -> None:
        """Give ``worker`` the oldest job waiting, each time it is free, until :meth:`close`."""
        while (job := self._jobs.get()) is not None:
            if not job.paper.set_running_or_notify_cancel():
                continue
            try:
                job.paper.set_result(self._render(worker, job.html, job.late))
            except BaseException as failure:  # noqa: BLE001 - handed to the caller by result()
                job.paper.set_exception(failure)

    def submit(self, html: str, late: Late | None = None) -> Future[bytes]:
        """The PDF of ``html``, from the next worker free (or this process if there is none)."""
        if not self._all:
            return self._fallback.submit(html, late)
        paper: Future[bytes] = Future()
        self._jobs.put(_Job(html, late, paper))
        return paper

    def _render(self, worker: _Channel, html: str, late: Late | None) -> bytes:
        answer = worker.render(html, late)
        if answer is not None:
            status, payload = answer
            if status == OK:
                return payload
            if status == REFUSED:
                raise InputError(payload.decode("utf-8"))
        if self._closing.is_set():
            # The command is stopping (Ctrl-C stops the workers too): nobody waits for the paper.
            raise CancelledError("the command stopped before this paper was rendered")
        # The worker is gone or WeasyPrint failed there: render here, for the paper or the
        # error an in-process render gives.
        with self._lock:
            return self._fallback.pdf(html, late)

    def close(self) -> None:
        # The workers are stopped first: a command closes its renderer once it has every
        # paper it waits for, so what is still in flight (an error, Ctrl-C) is not wanted, and
        # is not rendered again here either (that would hold the command up a second a paper).
        self._closing.set()
        with self._lock:
            for worker in self._all:
                worker.stop()
            self._all.clear()
        while True:  # the jobs no worker took: cancelled (a feeder may still take one)
            try:
                job = self._jobs.get_nowait()
            except Empty:
                break
            if job is not None:
                job.paper.cancel()
        for _ in self._threads:
            self._jobs.put(None)
        for thread in self._threads:
            thread.join()


def _allowed(count: int) -> int:
    cap = os.environ.get("PLVGOV_PDF_WORKERS", "").strip()
    return min(count, int(cap)) if cap.isdigit() else count


def start(count: int = 1) -> Renderer:
    """``count`` workers for PDFs, started now (no more than the cores, nor
    :data:`MAX_WORKERS`; ``PLVGOV_PDF_WORKERS``, when set, caps how many: 0 renders in this
    process)."""
    count = _allowed(count)
    return Workers(count) if count > 0 else InProcess()


def _libraries_from_the_linker_cache() -> None:
    """Let WeasyPrint find Pango, HarfBuzz and fontconfig in the dynamic linker's cache, read
    once. WeasyPrint tries several names for each library (Windows', macOS' and Linux's), cffi
    asks :func:`ctypes.util.find_library` for each name that does not load, and on Linux that
    runs ldconfig, gcc and ld for every name: about 50 processes and a third of a second before
    the first paper. This reads ``ldconfig -p`` once and matches names as ctypes does. A worker
    only: were a library missed, the worker fails to start and its papers are rendered in the
    command's own process, which looks them up the standard way."""
    import ctypes.util
    import re
    import struct
    from functools import cache

    if not sys.platform.startswith("linux"):
        return
    try:
        listing = subprocess.run(
            ["/sbin/ldconfig", "-p"], capture_output=True, timeout=10, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return
    machine = os.uname().machine + ("-32" if struct.calcsize("l") == 4 else "-64")
    abi = {"x86_64-64": "libc6,x86-64", "ppc64-64": "libc6,64bit", "s390x-64": "libc6,64bit",
           "sparc64-64": "libc6,64bit", "ia64-64": "libc6,IA-64"}.get(machine, "libc6")  # fmt: skip

    @cache
    def find_library(name: str) -> str | None:
        found = re.search(os.fsencode(rf"\s+(lib{re.escape(name)}\.[^\s]+)\s+\({abi}"), listing)
        return os.fsdecode(found[1]) if found else None

    ctypes.util.find_library = find_library


def serve(jobs: IO[bytes], answers: IO[bytes], on_failure: Callable[[], str]) -> None:
    """A worker's loop: each job's answer, until the end of ``jobs``."""
    _libraries_from_the_linker_cache()
    fonts = _fonts()
    try:
        html_to_pdf(_WARM_UP, fonts)
    except Exception:  # noqa: BLE001 - a warm-up only; the first job will say what is wrong
        pass
    # The worker held the collector while it started (pdf_worker): WeasyPrint, its fonts and
    # the warm-up live as long as it and its forks (a first board pack comes ~6% sooner).
    collector.settle()
    _serve(jobs, answers, on_failure, fonts)


def _serve(
    jobs: IO[bytes], answers: IO[bytes], on_failure: Callable[[], str], fonts: object
) -> None:
    while (job := _read_frame(jobs)) is not None:
        if job.startswith(_FORK):
            answer = _forked(job[len(_FORK) :].decode("utf-8"), jobs, answers, on_failure, fonts)
        else:
            try:
                late = _asking(jobs, answers)
                answer = OK + html_to_pdf(job.decode("utf-8"), fonts, late)
            except InputError as refused:
                answer = REFUSED + str(refused).encode("utf-8")
            except Exception:  # noqa: BLE001 - reported to the parent, which renders it again
                answer = FAILED + on_failure().encode("utf-8")
        _write_frame(answers, answer)


def _asking(jobs: IO[bytes], answers: IO[bytes]) -> Late:
    """A worker's ``late`` for its job: it asks the command for the image, in the middle of
    the job (:data:`NEED`), and waits for it."""

    def late(name: str) -> bytes | None:
        _write_frame(answers, NEED + name.encode("utf-8"))
        reply = _read_frame(jobs)
        if reply is None:
            raise EOFError("the command stopped while this worker waited for an image")
        if reply[:1] == FAILED:
            raise RuntimeError(f"the command could not draw {name}: {reply[1:].decode('utf-8')}")
        return reply[1:] if reply[:1] == OK else None

    return late


def _forked(
    address: str, jobs: IO[bytes], answers: IO[bytes], on_failure: Callable[[], str], fonts: object
) -> bytes:
    """Fork this worker: the child serves the socket at ``address`` (its parent's streams
    closed in it, so that the parent still sees their end); this one answers the child's pid."""
    import socket

    try:
        pid = os.fork()
    except OSError:
        return FAILED + on_failure().encode("utf-8")
    if pid:
        return OK + str(pid).encode("ascii")
    try:
        _close(jobs, answers)
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.connect(address)
        _serve(connection.makefile("rb"), connection.makefile("wb"), on_failure, fonts)
    except BaseException:  # noqa: BLE001 - a forked worker never returns into its parent's loop
        pass
    finally:
        os._exit(0)
