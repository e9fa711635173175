"""One rule for names of files this system writes (ZIP members, downloads)."""

import re
import unicodedata

# Path separators, the characters Windows refuses, and "_" (which separates a name's parts).
UNSAFE_NAME_CHARS = re.compile(r'[/\\:*?"<>|_\s]+')


def safe_name_part(text: str) -> str:
    """``text`` fit for one part of a file name: no control characters, no path separators
    or characters a file system refuses, no leading dots (each run of those becomes "-")."""
    text = UNSAFE_NAME_CHARS.sub("-", text)
    text = "".join(c for c in text if unicodedata.category(c)[0] != "C")
    return text.strip(".-")
