"""Image references and port keys, parsed the way the engine reads them.

Every module that splits an image name or names an exposed port uses these, so a reference with a
registry port, a tag and a digest is read the same everywhere.
"""

from __future__ import annotations

from typing import Any, Optional

from dockermap.records import record

#: Registry of image names without a registry host (Docker Hub); the key for its login.
DEFAULT_REGISTRY = "docker.io"


@record(frozen=True)
class ImageRef:
    """``[registry[:port]/]path[:tag][@digest]`` in its parts; ``tag`` and ``digest`` may be ``None``."""

    repository: str
    tag: Optional[str] = None
    digest: Optional[str] = None

    @classmethod
    def parse(cls, ref: str) -> ImageRef:
        """Split ``ref``; a ``:`` followed by a ``/`` belongs to a registry port, not to a tag."""
        name, _, digest = ref.partition("@")
        repository, sep, tag = name.rpartition(":")
        if not sep or "/" in tag:
            repository, tag = name, ""
        return cls(repository, tag or None, digest or None)

    @property
    def registry(self) -> str:
        """The registry host (``registry.example.com:5000/app`` → its host part), Docker Hub otherwise."""
        first, sep, _ = self.repository.partition("/")
        if sep and ("." in first or ":" in first or first == "localhost"):
            return first
        return DEFAULT_REGISTRY

    def tagged(self, default_tag: str = "latest") -> ImageRef:
        """This reference with ``default_tag`` when it names neither a tag nor a digest (as the engine
        lists images)."""
        if self.tag or self.digest:
            return self
        return ImageRef(self.repository, default_tag)

    def __str__(self) -> str:
        tag = f":{self.tag}" if self.tag else ""
        digest = f"@{self.digest}" if self.digest else ""
        return f"{self.repository}{tag}{digest}"


def port_key(port: Any) -> str:
    """The engine's key of an exposed port: ``80`` → ``'80/tcp'``, ``('53', 'udp')`` or ``'53/udp'`` →
    ``'53/udp'``."""
    if isinstance(port, (tuple, list)):
        number, protocol = port
        return f"{number}/{protocol}"
    text = str(port)
    return text if "/" in text else f"{text}/tcp"
