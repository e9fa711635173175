"""Fill the zh_Hans catalogue from a JSON file of {msgid: msgstr} (or msgid: [singular, plural]).

Developer tool: after `make makemessages`, write the new strings' translations into a JSON
file and run `python scripts/fill_translations.py FILE`. Prints what is still untranslated.
"""

import json
import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def main() -> int:
    po = polib.pofile(str(PO))
    table: dict[str, object] = {}
    for name in sys.argv[1:]:
        table.update(json.loads(Path(name).read_text(encoding="utf-8")))
    for entry in po:
        if entry.msgid in table:
            value = table[entry.msgid]
            if entry.msgid_plural:
                forms = value if isinstance(value, list) else [value]
                entry.msgstr_plural = {0: forms[-1]}
            else:
                entry.msgstr = str(value)
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    po.metadata["Project-Id-Version"] = "valuecreation"
    po.metadata["Language-Team"] = "Simplified Chinese"
    po.metadata["Last-Translator"] = "Value Creation Filing System team"
    po.metadata["PO-Revision-Date"] = po.metadata.get("POT-Creation-Date", "")
    po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    po.metadata["Language"] = "zh_Hans"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.save()
    missing = [e.msgid for e in po if not e.translated() and not e.obsolete]
    for msgid in missing:
        print("untranslated:", json.dumps(msgid, ensure_ascii=False))
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
