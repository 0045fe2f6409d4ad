"""The input file as bytes: found, sized and recognised before anything parses it.

Everything that can be refused from the file alone (not found, a folder, too big, an old .xls, a
password, an OpenDocument file, a zip that is not a workbook, a zip bomb) is refused here, in one
line that says why and how to fix it.
"""

from __future__ import annotations

import io
import os
import re
import struct
import zipfile
import zlib
from pathlib import Path

from roadmap.errors import InputError

MAX_FILE_BYTES = 50_000_000
MAX_UNZIPPED_BYTES = 500_000_000  # refuses zip bombs before openpyxl inflates them
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SAVE_AS = "open it in Excel (or LibreOffice) and save it as an Excel workbook (.xlsx)"


def read_bytes(path: str | os.PathLike[str], *, workbook: bool = True) -> bytes:
    """The file's bytes, or an :class:`InputError` saying in one line why it cannot be used.
    ``workbook`` False: any file (MS Project XML), with the same existence and size checks."""
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
    if workbook:
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
            if unzipped <= MAX_UNZIPPED_BYTES:
                _check_inflated_sizes(data, zf, p)
            mimetype = read_member(zf, "mimetype", 100) if "mimetype" in names else b""
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, struct.error):
        raise InputError(f"{p} is damaged or not an Excel workbook; {SAVE_AS}") from None
    if b"opendocument" in mimetype:
        raise InputError(f"{p} is an OpenDocument spreadsheet (.ods); {SAVE_AS}")
    if "xl/workbook.xml" not in names:
        raise InputError(f"{p} is a zip archive but not an Excel workbook; {SAVE_AS}")
    if unzipped > MAX_UNZIPPED_BYTES:
        raise InputError(f"{p} unpacks to {unzipped / 1e6:.0f} MB; this is refused as unsafe")


_CHUNK = 1 << 16
_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, then the name and extra-field lengths


def _check_inflated_sizes(data: bytes, zf: zipfile.ZipFile, p: Path) -> None:
    """Inflate every member once, a chunk at a time, and refuse one that holds more than its
    header declares (or all together more than ``MAX_UNZIPPED_BYTES``).

    Declared sizes alone are not enough: a member whose header under-declares its size makes a
    one-shot ``read()`` inflate gigabytes before any check can run. Here at most one chunk is ever
    held, and inflating stops at the first byte past the declared size."""
    view = memoryview(data)
    total = 0
    for info in zf.infolist():
        sig, name_len, extra_len = _LOCAL_HEADER.unpack_from(data, info.header_offset)
        if sig != b"PK\x03\x04":
            raise zipfile.BadZipFile(info.filename)
        start = info.header_offset + _LOCAL_HEADER.size + name_len + extra_len
        raw = view[start : start + info.compress_size]
        if info.compress_type == zipfile.ZIP_STORED:
            inflated = len(raw)
        elif info.compress_type == zipfile.ZIP_DEFLATED:
            inflated = _inflate_size(raw, info.file_size + 1)
        else:
            raise InputError(
                f"{p} uses a compression Excel does not write ({info.filename}); {SAVE_AS}"
            )
        total += inflated
        if inflated > info.file_size or total > MAX_UNZIPPED_BYTES:
            raise InputError(
                f"{p} holds more data than its zip headers declare ({info.filename}); "
                "this is refused as unsafe"
            )


def _inflate_size(raw: memoryview, limit: int) -> int:
    """Bytes ``raw`` (a raw deflate stream) inflates to, counting no further than ``limit``."""
    d = zlib.decompressobj(-zlib.MAX_WBITS)
    size = 0
    for k in range(0, len(raw), _CHUNK):
        chunk: bytes = bytes(raw[k : k + _CHUNK])
        while chunk:
            size += len(d.decompress(chunk, _CHUNK))
            if size >= limit:
                return size
            chunk = d.unconsumed_tail
        if d.eof:
            break
    return size + len(d.flush())


def read_member(zf: zipfile.ZipFile, name: str, limit: int = MAX_UNZIPPED_BYTES) -> bytes:
    """A member's bytes, read a chunk at a time and never more than ``limit`` of them.

    ``ZipFile.read`` inflates a member in one call, as far as its data goes, whatever its header
    says; this never holds more than ``limit`` plus one chunk."""
    out = bytearray()
    with zf.open(name) as member:
        while len(out) < limit and (chunk := member.read(min(_CHUNK, limit - len(out)))):
            out += chunk
    return bytes(out)


# --- Strict Open XML --------------------------------------------------------------------------
# Excel can save "Strict Open XML Spreadsheet": the same parts under other namespace names, which
# openpyxl does not know. The names map one to one onto the usual (transitional) ones.
_STRICT = b"http://purl.oclc.org/ooxml/"
_STRICT_NS = re.compile(rb"http://purl\.oclc\.org/ooxml/(\w+)/(\w+)")
_STRICT_RENAMED = {
    b"extendedProperties": b"extended-properties",
    b"customProperties": b"custom-properties",
}
STRICT_FIX = 'open it in Excel and use File > Save As, type "Excel Workbook (*.xlsx)"'


def is_strict(data: bytes) -> bool:
    """The workbook is saved as Strict Open XML."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return _STRICT in read_member(zf, "xl/workbook.xml", 4096)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, zlib.error):
        return False


def _transitional_names(match: re.Match[bytes]) -> bytes:
    area, name = match[1], match[2]
    if area == b"officeDocument" and name == b"relationships":
        return b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    return b"http://schemas.openxmlformats.org/%s/2006/%s" % (area, _STRICT_RENAMED.get(name, name))


def strict_to_transitional(data: bytes) -> bytes:
    """The same workbook with its Strict namespace names replaced by the transitional ones."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            part = read_member(src, info.filename)
            if info.filename.endswith((".xml", ".rels")):
                part = _STRICT_NS.sub(_transitional_names, part)
            dst.writestr(info.filename, part)
    return buf.getvalue()
