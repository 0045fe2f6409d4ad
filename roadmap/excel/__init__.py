"""The openpyxl writing kit every written workbook stands on (the template, the plan and other
reports, the exports' spreadsheet-safe text): ``writing`` (formats, cells, tables, widths, print
setup, saving through the write guard) and ``printing`` (page headers, footers and document
properties). It knows how to write a sheet, never what a sheet says."""
