"""A spreadsheet (.xlsx, Office Open XML) whose every cell is a text cell: what scripts/triage
writes for people who open its results in Excel or LibreOffice.

Why: the triage's CSV carries text from the capture as it was sent (Call-ID, From, To, reasons),
and a capture is untrusted input. A spreadsheet opening a CSV turns a cell such as `=1+2@evil`
into a formula (OWASP "CSV injection"). Here each cell is an inline string (t="inlineStr") with
the text format "@", so nothing in it is ever evaluated and every value reads back exactly as the
CSV has it. Characters XML 1.0 cannot hold (control characters) and text that looks like OOXML's
own escape (`_x0041_`) are written as `_xHHHH_`, the escape Excel and LibreOffice decode; CR as
the XML reference &#13;, which every XML reader keeps.

Python standard library only (zipfile and string building), fixed dates: the same rows give the
same bytes.
"""

import re
import zipfile

MAX_CELL = 32767          # Excel's limit on the characters of one cell
MAX_ROWS = 1048576        # and on the rows of one sheet

# XML 1.0 has no place for these, not even as &#N;: OOXML's _xHHHH_ is the only way. An existing
# _xHHHH_ must then be escaped too (its underscore as _x005F_), or a reader would decode text the
# capture wrote.
_NEEDS_ESCAPE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]"
                           r"|_(?=x[0-9A-Fa-f]{4}_)")


def _escape_cell(text):
    text = _NEEDS_ESCAPE.sub(lambda m: "_x%04X_" % ord(m.group(0)), text)
    # A literal CR would come back as LF (XML normalises line ends); a character reference does not.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _column(index):
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _sheet_xml(rows):
    out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
           'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>']
    for r, row in enumerate(rows, 1):
        out.append(f'<row r="{r}">')
        for c, value in enumerate(row):
            out.append(f'<c r="{_column(c)}{r}" s="1" t="inlineStr"><is><t xml:space="preserve">'
                       f'{_escape_cell(value)}</t></is></c>')
        out.append("</row>")
    out.append("</sheetData></worksheet>")
    return "".join(out)


def _attr(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def write(path, sheets):
    """sheets: [(name, rows)], rows a list of lists of str (the first row the header). Returns
    the messages about what did not fit (cells cut to MAX_CELL characters, rows beyond MAX_ROWS),
    for the caller to print; the CSV has everything."""
    notes = []
    fitted = []
    for name, rows in sheets:
        if len(rows) > MAX_ROWS:
            notes.append(f"{name}: {len(rows) - MAX_ROWS} dòng cuối bị bỏ vì bảng tính chỉ chứa "
                         f"{MAX_ROWS} dòng (rows beyond the spreadsheet limit left out; the CSV "
                         f"has them)")
            rows = rows[:MAX_ROWS]
        cut = 0
        fitted_rows = []
        for row in rows:
            new = []
            for value in row:
                if len(value) > MAX_CELL:
                    value = value[:MAX_CELL - 1] + "…"
                    cut += 1
                new.append(value)
            fitted_rows.append(new)
        if cut:
            notes.append(f"{name}: {cut} ô dài quá {MAX_CELL} ký tự đã bị cắt (cells cut to the "
                         f"spreadsheet limit; the CSV has them whole)")
        fitted.append((name, fitted_rows))

    ns = "http://schemas.openxmlformats.org"
    parts = {
        "[Content_Types].xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Types xmlns="{ns}/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
                      'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                      for i in range(1, len(fitted) + 1))
            + "</Types>",
        "_rels/.rels":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{ns}/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<workbook xmlns="{ns}/spreadsheetml/2006/main" '
            f'xmlns:r="{ns}/officeDocument/2006/relationships"><sheets>'
            + "".join(f'<sheet name="{_attr(name)}" sheetId="{i}" r:id="rId{i}"/>'
                      for i, (name, _) in enumerate(fitted, 1))
            + "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{ns}/package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{i}" Type="{ns}/officeDocument/2006/relationships/'
                      f'worksheet" Target="worksheets/sheet{i}.xml"/>'
                      for i in range(1, len(fitted) + 1))
            + f'<Relationship Id="rId{len(fitted) + 1}" Type="{ns}/officeDocument/2006/'
              'relationships/styles" Target="styles.xml"/></Relationships>',
        # Style 1: number format 49, "@" (text), so a cell edited later stays text too.
        "xl/styles.xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<styleSheet xmlns="{ns}/spreadsheetml/2006/main">'
            '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
            '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
            '</cellStyles></styleSheet>',
    }
    for i, (_, rows) in enumerate(fitted, 1):
        parts[f"xl/worksheets/sheet{i}.xml"] = _sheet_xml(rows)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, text.encode("utf-8"))
    return notes
