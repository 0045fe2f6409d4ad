"""The input file as bytes: found, sized and recognised before anything parses it.

Everything that can be refused from the file alone (not found, a folder, too big, an old .xls, a
password, an OpenDocument file, a zip that is not a workbook, a zip bomb) is refused here, in one
line that says why and how to fix it.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

from roadmap.errors import InputError

MAX_FILE_BYTES = 50_000_000
MAX_UNZIPPED_BYTES = 500_000_000  # refuses zip bombs before openpyxl inflates them
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SAVE_AS = "open it in Excel (or LibreOffice) and save it as an Excel workbook (.xlsx)"


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The file's bytes, or an :class:`InputError` saying in one line why it cannot be used."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: file not found; check the path")
    if p.is_dir():
        raise InputError(f"{p} is a folder, not a workbook; give the path of the .xlsx file")
    if not p.is_file():  # a device or pipe could be endless
        raise InputError(f"{p} is not a regular file; give the path of the .xlsx file")
    try:
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(f"{p} is {size / 1e6:.0f} MB; input workbooks over 50 MB are refused")
        data = p.read_bytes()
    except PermissionError:
        raise InputError(f"{p} cannot be read: permission denied") from None
    except OSError as exc:
        raise InputError(f"{p} cannot be read: {exc.strerror or exc}") from None
    check_format(data, p)
    return data


def check_format(data: bytes, p: Path) -> None:
    """Refuse, with the reason and the fix, anything that is not an .xlsx/.xlsm workbook."""
    suffix = p.suffix.lower()
    if not data:
        raise InputError(f"{p} is empty; {SAVE_AS}")
    if data.startswith(_OLE_MAGIC):
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise InputError(f"{p} is password-protected; remove the password in Excel and save")
        raise InputError(f"{p} is an old-style Excel file (.xls); {SAVE_AS}")
    if not data.startswith(b"PK"):
        kind = "a CSV file" if suffix in (".csv", ".tsv") else "not an Excel workbook"
        raise InputError(f"{p} is {kind}; roadmap reads .xlsx workbooks (see `roadmap template`)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            unzipped = sum(i.file_size for i in zf.infolist())
            mimetype = zf.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise InputError(f"{p} is damaged or not an Excel workbook; {SAVE_AS}") from None
    if b"opendocument" in mimetype:
        raise InputError(f"{p} is an OpenDocument spreadsheet (.ods); {SAVE_AS}")
    if "xl/workbook.xml" not in names:
        raise InputError(f"{p} is a zip archive but not an Excel workbook; {SAVE_AS}")
    if unzipped > MAX_UNZIPPED_BYTES:
        raise InputError(f"{p} unpacks to {unzipped / 1e6:.0f} MB; this is refused as unsafe")
