"""What the import commands share: the file argument, --dry-run, and reading the file as the
web import does (Django skips this module when it lists commands: its name starts with _)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from apps.registry.importing import read_import_file


class ImportFileCommand(BaseCommand):
    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and print what would change, without writing anything.",
        )

    def read(self, path: Path, **kwargs: Any) -> Any:
        """The parsed file, or a CommandError naming why it could not be opened."""
        try:
            size = path.stat().st_size
            with path.open("rb") as source:
                return read_import_file(source, name=path.name, size=size, **kwargs)
        except OSError as exc:
            raise CommandError(
                _("Cannot open %(path)s: %(reason)s") % {"path": path, "reason": exc}
            ) from exc
