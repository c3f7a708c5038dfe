"""Importing the pupil roster from a CSV file exported by the school's MIS.

All or nothing. The whole file is read and checked first and every bad row is reported with its
line number; only a file with no problems is written, in one transaction and with bulk queries,
so a school of 2,000 pupils imports in seconds and the query count does not grow per row.
Pupils are matched by MIS id, so importing the same file twice changes nothing the second time.

- `columns`: the columns a file may have, as the import page lists them.
- `parse`: reading the CSV (encoding, records, the header line, dates and yes/no cells, NULs).
- `check`: checking every row and collecting its problems; nothing there touches the database.
- `problems`: the problems found, kept for the page and, all of them, for the download.
- `apply`: the all-or-nothing write of a checked file (a new school year included).
- `services`: what the view and the task call: upload, claim, run, sweep, export.
"""
