"""Private files: reports and every upload that is not meant for the public.

They live under settings.PRIVATE_MEDIA_ROOT (never under MEDIA_ROOT, which nginx serves to
anyone), under random names, and leave only through `core.views.private_file`, which asks the
owning app whether the user may have the file (decision 0006).

An app that stores private files:
- declares `models.FileField(storage=private_storage, upload_to=RandomName("folder"))` and keeps
  the human name (e.g. "laporan-skm-dishub-semester-i-2026.pdf") in its own column;
- registers a resolver in its AppConfig.ready(): `register("kind", resolver)`, where
  `resolver(user, pk)` returns a PrivateFile the user may read, or raises Http404 (never 403:
  a file the user may not have does not exist for them).
"""

import mimetypes
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core import checks
from django.core.files.storage import FileSystemStorage, storages
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.http import content_disposition_header


class PrivateFileSystemStorage(FileSystemStorage):
    """FileSystemStorage rooted at PRIVATE_MEDIA_ROOT; it has no public URL on purpose."""

    @property
    def base_location(self) -> str:  # read each time, so tests can point it at a tmp dir
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("A private file has no public URL; link to core:private_file instead.")


@checks.register(checks.Tags.security)
def check_private_root_is_not_public(**kwargs: Any) -> list[checks.CheckMessage]:
    """PRIVATE_MEDIA_ROOT inside a folder nginx serves would make every private file public."""
    private = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    public_roots = [settings.MEDIA_ROOT, settings.STATIC_ROOT]
    if any(private.is_relative_to(Path(root).resolve()) for root in public_roots if root):
        message = "PRIVATE_MEDIA_ROOT lies inside MEDIA_ROOT or STATIC_ROOT, which are public."
        return [checks.Error(message, id="mutu.E010")]
    return []


def private_storage() -> Any:
    """The `private` entry of settings.STORAGES (a callable, so migrations do not freeze it)."""
    return storages["private"]


@deconstructible
class RandomName:
    """upload_to that keeps only the extension: folder/YYYY/MM/<32 random characters>.ext."""

    def __init__(self, folder: str) -> None:
        self.folder = folder

    def __call__(self, instance: Any, filename: str) -> str:
        extension = os.path.splitext(filename)[1].lower()[:10]
        return f"{self.folder}/{timezone.now():%Y/%m}/{secrets.token_urlsafe(24)}{extension}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RandomName) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)


@dataclass(frozen=True)
class PrivateFile:
    file: FieldFile
    download_name: str  # what the browser saves it as
    content_type: str = ""  # guessed from download_name when empty


Resolver = Callable[[Any, int], PrivateFile]
_resolvers: dict[str, Resolver] = {}


def register(kind: str, resolver: Resolver) -> None:
    _resolvers[kind] = resolver


def resolve(kind: str, user: Any, pk: int) -> PrivateFile:
    """The file of `kind` number `pk` if the user may read it; Http404 otherwise."""
    resolver = _resolvers.get(kind)
    if resolver is None:
        raise Http404
    private = resolver(user, pk)
    if not private.file or not private.file.storage.exists(private.file.name or ""):
        raise Http404
    return private


def serve(private: PrivateFile) -> HttpResponseBase:
    """Django streams the file in development; in production nginx sends it (X-Accel-Redirect
    to an `internal` location aliased to PRIVATE_MEDIA_ROOT) and no worker is held meanwhile."""
    content_type = (
        private.content_type
        or mimetypes.guess_type(private.download_name)[0]
        or "application/octet-stream"
    )
    prefix = settings.PRIVATE_MEDIA_ACCEL_PREFIX
    response: HttpResponseBase
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(private.file.name or "")
        response["Content-Disposition"] = content_disposition_header(True, private.download_name)
    else:
        response = FileResponse(
            private.file.open("rb"),
            as_attachment=True,
            filename=private.download_name,
            content_type=content_type,
        )
    response["Cache-Control"] = "private, no-store"
    return response
