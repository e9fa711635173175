"""python manage.py import_authorities FILE [--dry-run]

City commissions under their provinces (and name corrections), from a CSV or XLSX file with
the columns code, name_zh, name_en, parent_code, kind (or 机构代码, 机构名称, 英文名称,
上级机构代码, 机构类别). Any error: every one is printed with its line, nothing is written, and
the command exits with status 1. One at a time: the admin page for supervising authorities.
"""

from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from apps.registry.authorities import AUTHORITY_COLUMNS, AuthorityCheck, validate_authorities
from apps.registry.management.commands._import_file import ImportFileCommand
from apps.registry.services import AuthorityImportRejected, authorities_import, refusal_message


class Command(ImportFileCommand):
    help = "Create and update supervising authorities (city commissions) from a CSV or XLSX file."

    def handle(self, *args: Any, **options: Any) -> None:
        parsed = self.read(options["file"], columns=AUTHORITY_COLUMNS)

        if options["dry_run"]:
            check = validate_authorities(parsed)
            self._report_issues(check)
            if not check.ok:
                raise CommandError(refusal_message(len(check.errors)))
            self._report_plan(check)
            self.stdout.write(_("Dry run, nothing written."))
            return
        try:
            check = authorities_import(parsed=parsed, actor=None, ip_address=None)
        except AuthorityImportRejected as rejected:
            self._report_issues(rejected.check)
            raise CommandError(refusal_message(len(rejected.check.errors))) from rejected
        for warning in check.warnings:
            self.stderr.write(str(warning))
        self._report_plan(check)
        self.stdout.write(
            self.style.SUCCESS(
                _("Imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
                % {
                    "created": len(check.creates),
                    "updated": len(check.updates),
                    "unchanged": len(check.unchanged),
                }
            )
        )

    def _report_plan(self, check: AuthorityCheck) -> None:
        for plan in check.creates:
            values = plan.values
            self.stdout.write(
                _("line %(line)d: create %(code)s %(name)s")
                % {"line": plan.line, "code": values.code, "name": values.name_zh}
                + (f" ({values.parent_code})" if values.parent_code else "")
            )
        for plan in check.updates:
            changes = "; ".join(f"{c.field}: {c.before} → {c.after}" for c in plan.changes)
            self.stdout.write(
                _("line %(line)d: update %(code)s (%(changes)s)")
                % {"line": plan.line, "code": plan.values.code, "changes": changes}
            )

    def _report_issues(self, check: AuthorityCheck) -> None:
        for warning in check.warnings:
            self.stderr.write(str(warning))
        for error in check.errors:
            self.stderr.write(str(error))
