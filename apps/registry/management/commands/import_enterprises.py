"""python manage.py import_enterprises FILE [--dry-run]

The same reading and checking as the web import. Any error: every one is printed with its
line, nothing is written, and the command exits with status 1.
"""

from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from apps.registry.importing import ImportResult, validate_import
from apps.registry.management.commands._import_file import ImportFileCommand
from apps.registry.services import ImportRejected, enterprises_import, refusal_message


class Command(ImportFileCommand):
    help = "Create and update enterprises from a CSV or XLSX file (README: Enterprise import file)."

    def handle(self, *args: Any, **options: Any) -> None:
        parsed = self.read(options["file"])

        if options["dry_run"]:
            result = validate_import(parsed)
            self._report_issues(result)
            if not result.ok:
                raise CommandError(self._refusal(result))
            for plan in result.creates:
                self.stdout.write(
                    _("line %(line)d: create %(code)s %(name)s")
                    % {
                        "line": plan.line,
                        "code": plan.values.credit_code,
                        "name": plan.values.name_zh,
                    }
                )
            for update in result.updates:
                changes = "; ".join(f"{c.field}: {c.before} → {c.after}" for c in update.changes)
                self.stdout.write(
                    _("line %(line)d: update %(code)s (%(changes)s)")
                    % {"line": update.line, "code": update.values.credit_code, "changes": changes}
                )
            self.stdout.write(
                _(
                    "Dry run, nothing written: %(created)d to create, %(updated)d to update, "
                    "%(unchanged)d unchanged."
                )
                % {
                    "created": len(result.creates),
                    "updated": len(result.updates),
                    "unchanged": len(result.unchanged),
                }
            )
            return

        try:
            outcome = enterprises_import(parsed=parsed, actor=None, ip_address=None)
        except ImportRejected as rejected:
            self._report_issues(rejected.result)
            raise CommandError(self._refusal(rejected.result)) from rejected
        for warning in outcome.result.warnings:
            self.stderr.write(str(warning))
        self.stdout.write(
            self.style.SUCCESS(
                _("Imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
                % {
                    "created": outcome.created,
                    "updated": outcome.updated,
                    "unchanged": outcome.unchanged,
                }
            )
        )

    def _report_issues(self, result: ImportResult) -> None:
        for warning in result.warnings:
            self.stderr.write(str(warning))
        for error in result.errors:
            self.stderr.write(str(error))

    @staticmethod
    def _refusal(result: ImportResult) -> str:
        return refusal_message(len(result.errors))
