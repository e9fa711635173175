"""What WeasyPrint may load while rendering a packet: the project's own static files and
nothing else. User text is escaped by the template, so it cannot name a resource; this is
the second fence, should a template ever let a URL through."""

import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.contrib.staticfiles import finders
from weasyprint.urls import URLFetcher, URLFetcherResponse


class RefusedURL(PermissionError):
    pass


def static_roots() -> list[Path]:
    """Every directory the staticfiles finders serve from (STATICFILES_DIRS, app static/)."""
    roots: list[Path] = []
    for finder in finders.get_finders():
        for _prefix, root in getattr(finder, "locations", []):
            roots.append(Path(root).resolve())
        for storage in getattr(finder, "storages", {}).values():
            roots.append(Path(storage.location).resolve())
    return roots


class StaticOnlyFetcher(URLFetcher):
    """Serves ``file://`` URLs inside the static directories; refuses every other URL
    (http, https, data, ftp, files elsewhere) by raising RefusedURL."""

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise RefusedURL(f"Packets load no external resource: {url[:200]}")
        path = Path(url2pathname(parts.path)).resolve()
        if not path.is_file() or not any(path.is_relative_to(root) for root in static_roots()):
            raise RefusedURL(f"Packets load only the project's static files: {url[:200]}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            path.as_uri(), path.read_bytes(), headers={"Content-Type": content_type}
        )
