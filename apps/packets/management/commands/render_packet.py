from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.filings.models import FilingVersion
from apps.packets.models import PacketKind
from apps.packets.rendering import render_packet_pdf


class Command(BaseCommand):
    help = "Render a version's submission packet to a file (writes no database row)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("version_id", type=int)
        parser.add_argument("--out", required=True, type=Path)
        parser.add_argument(
            "--kind", choices=PacketKind.values, default=PacketKind.SUBMISSION.value
        )

    def handle(self, *args: Any, **options: Any) -> None:
        version = FilingVersion.objects.filter(pk=options["version_id"]).first()
        if version is None:
            raise CommandError(f"No version {options['version_id']}.")
        if not version.is_frozen:
            raise CommandError("This version is a draft: only submitted versions have packets.")
        pdf = render_packet_pdf(version, kind=options["kind"])
        options["out"].write_bytes(pdf)
        self.stdout.write(f"{options['out']}: {len(pdf)} bytes")
