"""The two audit keys, both kept outside the state directory (``WIJKNET_AUDIT_KEY_FILE``,
``WIJKNET_AUDIT_SIGNING_KEY_FILE``), each created 0600 on first use:

* the **MAC key** (32 random bytes) chains the records of the audit log with HMAC-SHA256: whoever has the log
  file but not this key cannot rewrite a record and recompute the chain;
* the **signing key** (Ed25519) signs checkpoints. Its public key alone verifies them, so a checkpoint shipped
  off the host can be checked by someone who holds neither key, and a copy in the graph cannot be forged by
  someone who can write the graph but not read this host's key directory.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from graph.errors import WijknetError
from graph.files import create_secret_file

__all__ = ["AuditKeyError", "AuditKeys", "key_id", "load_public_key"]


class AuditKeyError(WijknetError):
    """An audit key file is missing (where it must exist), unreadable or malformed."""


def _read_or_create(path: Path, *, create: bool) -> bytes | None:
    """The 32-byte secret in ``path`` (hex); created 0600 when missing and ``create``, else ``None``."""
    path = Path(path).expanduser()
    if not path.exists():
        if not create:
            return None
        create_secret_file(path)
    try:
        raw = bytes.fromhex(path.read_text().strip())
    except (OSError, ValueError):
        raise AuditKeyError(f"The audit key {path} cannot be read as 64 hex digits: restore it from the secret "
                            "store (a new key cannot verify the records made with the old one).") from None
    if len(raw) != 32:
        raise AuditKeyError(f"The audit key {path} is not 32 bytes: restore it from the secret store.")
    return raw


def key_id(public: Ed25519PublicKey) -> str:
    """A short name for a signing key: the first 16 hex digits of the SHA-256 of its public key."""
    return hashlib.sha256(public.public_bytes_raw()).hexdigest()[:16]


def load_public_key(text: str) -> Ed25519PublicKey:
    """A public key given as 64 hex digits (as ``wijknet audit checkpoint`` prints it)."""
    try:
        return Ed25519PublicKey.from_public_bytes(bytes.fromhex(text.strip()))
    except ValueError:
        raise AuditKeyError("The public key must be the 64 hex digits `wijknet audit checkpoint` prints.") from None


@dataclass
class AuditKeys:
    """The MAC key and the signing key, read lazily (a log that is only read never creates keys)."""

    mac_key_file: Path
    signing_key_file: Path
    _mac: bytes | None = field(default=None, repr=False)
    _signer: Ed25519PrivateKey | None = field(default=None, repr=False)

    @classmethod
    def from_settings(cls) -> AuditKeys:
        from graph.settings import load_settings

        s = load_settings()
        return cls(s.audit_key_file, s.audit_signing_key_file)

    def mac_key(self, *, create: bool = True) -> bytes:
        """The MAC key; created on first use unless ``create`` is false (then a missing key is an error)."""
        if self._mac is None:
            raw = _read_or_create(self.mac_key_file, create=create)
            if raw is None:
                raise AuditKeyError(f"The audit key {self.mac_key_file} is missing, so the keyed records cannot "
                                    "be checked: restore it from the secret store (WIJKNET_AUDIT_KEY_FILE).")
            self._mac = raw
        return self._mac

    def signer(self) -> Ed25519PrivateKey:
        """The checkpoint signing key (created on first use)."""
        if self._signer is None:
            raw = _read_or_create(self.signing_key_file, create=True)
            assert raw is not None
            self._signer = Ed25519PrivateKey.from_private_bytes(raw)
        return self._signer

    def public_key(self) -> Ed25519PublicKey | None:
        """This host's public key, or ``None`` when no signing key was ever made here."""
        if self._signer is None:
            raw = _read_or_create(self.signing_key_file, create=False)
            if raw is None:
                return None
            self._signer = Ed25519PrivateKey.from_private_bytes(raw)
        return self._signer.public_key()
