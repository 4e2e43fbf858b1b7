"""Signed checkpoints: an anchor for the audit chain that the database does not hold.

The hash chain shows an edit to any event, but not a chain rewritten whole: whoever can write
the database can recompute every hash after the event they changed, or delete the last events
and the rows they recorded. A checkpoint closes both doors. It is an audit event
(``audit.checkpoint``) carrying an Ed25519 signature over the sequence number and hash of the
event before it, made with the company's private key, which lives in a file outside the ledger
(``PLVGOV_AUDIT_KEY``) and never in it. Without the key nobody can sign a rewritten head, so a
rewrite before a checkpoint breaks its signature or its recorded hash.

Each checkpoint is also appended to a journal beside the key (``KEY.checkpoints``, one JSON line
each), outside the database: deleting the tail of the chain, checkpoints and all, leaves the
journal naming events the ledger no longer holds. And each paper's footer prints the key's
fingerprint, so an auditor with a paper knows which key must have signed.

Checkpoints are taken automatically when the key is configured, at each invoice run and each
meeting close, and on demand (``plvgov audit checkpoint``).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, select

from plvgov import audit
from plvgov.errors import InputError, UsageError
from plvgov.models.audit import AuditEvent
from plvgov.values import dataclass

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

KEY_ENV = "PLVGOV_AUDIT_KEY"
ACTION = "audit.checkpoint"
JOURNAL_SUFFIX = ".checkpoints"


# -- keys ---------------------------------------------------------------------------------------
def configured_key_path() -> Path | None:
    """The private key file named by ``PLVGOV_AUDIT_KEY``, or None when none is configured."""
    value = os.environ.get(KEY_ENV, "").strip()
    return Path(value).expanduser() if value else None


def load_private_key(path: Path) -> Ed25519PrivateKey:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    try:
        key = load_pem_private_key(path.read_bytes(), password=None)
    except FileNotFoundError:
        raise InputError(
            f"{KEY_ENV} names {path}, which does not exist; create a key with "
            "`plvgov audit keygen FILE` or unset it"
        ) from None
    except (OSError, ValueError, TypeError) as exc:
        raise InputError(
            f"{path} (from {KEY_ENV}) is not an unencrypted PEM private key ({exc}); "
            "name the file `plvgov audit keygen` wrote"
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise InputError(f"{path} (from {KEY_ENV}) is not an Ed25519 key; make one with keygen")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    """A public key file (PEM), or the public half of a private key file."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )
    from cryptography.hazmat.primitives.serialization import (
        load_pem_private_key,
        load_pem_public_key,
    )

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the key {path}: {exc.strerror or exc}") from None
    loaded: Any
    try:
        loaded = load_pem_public_key(data)
    except ValueError:
        try:
            loaded = load_pem_private_key(data, password=None)
        except (ValueError, TypeError):
            raise InputError(f"{path} is not a PEM Ed25519 key") from None
    if isinstance(loaded, Ed25519PrivateKey):
        loaded = loaded.public_key()
    if not isinstance(loaded, Ed25519PublicKey):
        raise InputError(f"{path} is not an Ed25519 key")
    return loaded


def raw_public(key: Ed25519PublicKey) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_fingerprint(raw: bytes) -> str:
    """A key's fingerprint as printed on papers: SHA-256 of its raw bytes, 16 hex digits in
    groups of four (``3f2a 9c1e 0b7d 44e8``)."""
    digest = hashlib.sha256(raw).hexdigest()[:16]
    return " ".join(digest[i : i + 4] for i in range(0, 16, 4))


def generate_key_pem() -> tuple[bytes, bytes]:
    """A new Ed25519 key: (private key PEM, public key PEM)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
        PublicFormat,
    )

    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    public = key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    return private, public


# -- signing ------------------------------------------------------------------------------------
def message(seq: int, digest: str) -> bytes:
    """What a checkpoint signs: the sequence number and hash of the event it vouches for."""
    return f"plvgov audit checkpoint v1\nseq={seq}\nhash={digest}\n".encode()


@dataclass(frozen=True)
class Checkpoint:
    seq: int  # the event the signature vouches for
    head: str  # its hash
    signed_at: str
    key: str  # the public key's fingerprint
    event_seq: int  # the checkpoint's own event

    def as_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "head": self.head,
            "signed_at": self.signed_at,
            "key": self.key,
            "event": self.event_seq,
        }


def journal_path(key_path: Path) -> Path:
    return key_path.with_name(key_path.name + JOURNAL_SUFFIX)


def take(session: Session, key_path: Path) -> Checkpoint:
    """Sign the chain's head with the key at ``key_path`` and append the checkpoint event;
    the journal beside the key gets its line once the transaction commits."""
    key = load_private_key(key_path)
    seq, digest = audit.head(session)
    if seq == 0:
        raise InputError("the audit chain is empty; there is nothing to sign yet")
    public = raw_public(key.public_key())
    signed_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    details = {
        "seq": seq,
        "hash": digest,
        "signed_at": signed_at,
        "public_key": base64.b64encode(public).decode(),
        "signature": base64.b64encode(key.sign(message(seq, digest))).decode(),
    }
    event = audit.record(session, ACTION, f"event {seq}", details=details)
    checkpoint = Checkpoint(seq, digest, signed_at, key_fingerprint(public), event.seq)
    line = {"ledger": _ledger_id(session), **checkpoint.as_json()}
    after_commit(session, lambda: _append_journal(journal_path(key_path), line))
    return checkpoint


def take_if_configured(session: Session) -> Checkpoint | None:
    """A checkpoint when the company's key is configured (invoice runs, meeting closes)."""
    path = session.info.get("audit_key", configured_key_path())
    return None if path is None else take(session, Path(path))


def after_commit(session: Session, callback: Any) -> None:
    """Run ``callback`` once the write transaction that ``session`` belongs to has committed
    (``Ledger.write`` runs them); never if it rolls back."""
    session.info.setdefault("after_commit", []).append(callback)


def _ledger_id(session: Session) -> str:
    """Which ledger a journal line is about: the hash of its first event."""
    first = session.exec(select(AuditEvent.hash).where(AuditEvent.seq == 1)).first()
    return first or audit.GENESIS


def _append_journal(path: Path, line: dict[str, Any]) -> None:
    try:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(line, sort_keys=True) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        raise InputError(
            f"the change and its checkpoint were recorded, but the journal {path} could not "
            f"be written ({exc.strerror or exc}); fix that and run `plvgov audit checkpoint`"
        ) from None


# -- verifying ----------------------------------------------------------------------------------
@dataclass
class CheckpointReport:
    """What the signatures prove about the chain."""

    checkpoints: int = 0
    last_good: Checkpoint | None = None
    unsigned_tail: int = 0  # events after the last good checkpoint's, itself excepted
    keys: list[str] = field(default_factory=list)  # fingerprints of the keys that signed
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_json(self) -> dict[str, Any]:
        return {
            "checkpoints": self.checkpoints,
            "last_good": None if self.last_good is None else self.last_good.as_json(),
            "unsigned_tail": self.unsigned_tail,
            "keys": self.keys,
            "problems": self.problems,
        }


def verify(
    session: Session, trusted: Ed25519PublicKey | None = None, journal: Path | None = None
) -> CheckpointReport:
    """Check every checkpoint's signature, that the event it signed still has the hash it
    signed, and (with ``trusted``) that the company's key made it; then every line of the
    ``journal`` about this ledger against the chain. Assumes nothing about the chain itself:
    :func:`plvgov.audit.verify` checks that."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    report = CheckpointReport()
    hashes = dict(session.exec(select(AuditEvent.seq, AuditEvent.hash)).all())
    last_seq = max(hashes, default=0)
    trusted_raw = None if trusted is None else raw_public(trusted)
    events = session.exec(
        select(AuditEvent).where(AuditEvent.action == ACTION).order_by(col(AuditEvent.seq))
    )
    checkpoint_events: set[int] = set()
    for event in events:
        report.checkpoints += 1
        checkpoint_events.add(event.seq)
        try:
            details = json.loads(event.payload)["details"]
            seq, digest = int(details["seq"]), str(details["hash"])
            public = base64.b64decode(details["public_key"], validate=True)
            signature = base64.b64decode(details["signature"], validate=True)
            key = Ed25519PublicKey.from_public_bytes(public)
        except (ValueError, KeyError, TypeError):
            report.problems.append(f"checkpoint event {event.seq} is unreadable")
            continue
        fingerprint = key_fingerprint(public)
        try:
            key.verify(signature, message(seq, digest))
        except InvalidSignature:
            report.problems.append(
                f"checkpoint event {event.seq}'s signature does not match event {seq}"
            )
            continue
        if trusted_raw is not None and public != trusted_raw:
            report.problems.append(
                f"checkpoint event {event.seq} is signed by key {fingerprint}, "
                f"not the company's key {key_fingerprint(trusted_raw)}"
            )
            continue
        if hashes.get(seq) != digest:
            report.problems.append(
                f"event {seq} is not the event checkpoint {event.seq} signed: "
                "the history up to it was rewritten"
            )
            continue
        if fingerprint not in report.keys:
            report.keys.append(fingerprint)
        report.last_good = Checkpoint(
            seq, digest, str(details.get("signed_at", "")), fingerprint, event.seq
        )
    signed_up_to = 0 if report.last_good is None else report.last_good.event_seq
    report.unsigned_tail = sum(1 for s in hashes if s > signed_up_to and s not in checkpoint_events)
    if journal is not None:
        report.problems.extend(_check_journal(session, journal, hashes, last_seq))
    return report


def _check_journal(
    session: Session, journal: Path, hashes: dict[int, str], last_seq: int
) -> Iterable[str]:
    """Every checkpoint the journal beside the key recorded for this ledger is still there."""
    try:
        lines = journal.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as exc:
        return [f"cannot read the checkpoint journal {journal}: {exc}"]
    ledger = _ledger_id(session)
    problems = []
    for number, text in enumerate(lines, 1):
        try:
            line = json.loads(text)
            if line["ledger"] != ledger:
                continue
            seq, digest, event_seq = int(line["seq"]), str(line["head"]), int(line["event"])
        except (ValueError, KeyError, TypeError):
            problems.append(f"line {number} of {journal} is not a checkpoint")
            continue
        if event_seq > last_seq:
            problems.append(
                f"the journal records a checkpoint at event {event_seq}, but the ledger ends "
                f"at event {last_seq}: events were removed"
            )
        elif hashes.get(seq) != digest or event_seq not in hashes:
            problems.append(
                f"event {seq} is not the event the journal's checkpoint signed: "
                "the history up to it was rewritten"
            )
    return problems


# -- papers' fingerprints -----------------------------------------------------------------------
@dataclass(frozen=True)
class FingerprintCheck:
    fingerprint: str
    ok: bool
    message: str

    def as_json(self) -> dict[str, Any]:
        return {"fingerprint": self.fingerprint, "ok": self.ok, "message": self.message}


def parse_fingerprint(value: str) -> tuple[int, str]:
    """``201:4a40e8d9d78c`` (as a paper's footer prints it) to (201, "4a40e8d9d78c")."""
    seq_text, sep, digest = value.strip().partition(":")
    digest = digest.strip().lower()
    if (
        not sep
        or not seq_text.isascii()
        or not seq_text.isdigit()
        or len(seq_text) > 12
        or not 8 <= len(digest) <= 64
        or any(c not in "0123456789abcdef" for c in digest)
    ):
        raise UsageError(
            f"{value!r} is not a ledger fingerprint; copy it from a paper's footer, "
            "e.g. 201:4a40e8d9d78c"
        )
    return int(seq_text), digest


def check_fingerprint(session: Session, value: str) -> FingerprintCheck:
    """Does the ledger still hold the state a paper was made from? Event SEQ must be there
    with a hash that begins with the paper's digits (the chain's own verify then proves
    every event before it)."""
    seq, digest = parse_fingerprint(value)
    stored = session.exec(select(AuditEvent.hash).where(AuditEvent.seq == seq)).first()
    label = f"{seq}:{digest}"
    if stored is None:
        last, _ = audit.head(session)
        return FingerprintCheck(
            label,
            False,
            f"the paper's state {label} is gone: the ledger ends at event {last}, "
            "so events were removed",
        )
    if not stored.startswith(digest):
        return FingerprintCheck(
            label,
            False,
            f"event {seq} is {seq}:{stored[: len(digest)]}, not the paper's {label}: "
            "the history up to it was rewritten",
        )
    return FingerprintCheck(label, True, f"the ledger still holds the paper's state {label}")


def paper_key(session: Session) -> str | None:
    """The fingerprint of the key that signed the latest checkpoint, for papers' footers."""
    event = session.exec(
        select(AuditEvent.payload)
        .where(AuditEvent.action == ACTION)
        .order_by(col(AuditEvent.seq).desc())
        .limit(1)
    ).first()
    if event is None:
        return None
    try:
        public = base64.b64decode(json.loads(event)["details"]["public_key"], validate=True)
    except (ValueError, KeyError, TypeError):
        return None
    return key_fingerprint(public)
