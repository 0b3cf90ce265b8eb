#!/usr/bin/env python3
"""Reads an .xlsx workbook with openpyxl (a real, independent XLSX reader) and prints what the
tests check as JSON: every cell (value, type, number format), frozen panes, autofilter,
conditional formats, print setup, column widths, hyperlinks, and the charts in the package
(titles, and each series' category and value ranges).

Usage: xlsx_dump.py WORKBOOK.xlsx
"""
import datetime
import json
import re
import sys
import zipfile

import openpyxl


def cell_json(c):
    v = c.value
    if isinstance(v, datetime.datetime):
        kind, v = "date", v.date().isoformat()
    elif isinstance(v, datetime.date):
        kind, v = "date", v.isoformat()
    elif isinstance(v, bool):
        kind = "bool"
    elif isinstance(v, (int, float)):
        kind = "number"
    elif c.data_type == "f":
        kind = "formula"
    else:
        kind = "text"
    return {"v": v, "t": kind, "fmt": c.number_format}


def main(path):
    wb = openpyxl.load_workbook(path)
    out = {"sheets": [], "properties": {}}
    props = wb.properties
    out["properties"] = {
        "title": props.title,
        "created": props.created.isoformat() if props.created else None,
    }
    for ws in wb.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    cells[c.coordinate] = cell_json(c)
        cf = []
        for rng, rules in ws.conditional_formatting._cf_rules.items():
            for r in rules:
                bar = None
                if r.dataBar is not None:
                    bar = {"color": r.dataBar.color.rgb if r.dataBar.color is not None else None,
                           "bounds": [[v.type, v.val] for v in r.dataBar.cfvo]}
                cf.append({"range": str(rng.sqref), "type": r.type, "formula": list(r.formula or []),
                           "fill": (r.dxf.fill.bgColor.rgb if r.dxf and r.dxf.fill and r.dxf.fill.bgColor is not None else None),
                           "bar": bar})
        widths = {k: v.width for k, v in ws.column_dimensions.items() if v.width}
        links = {}
        for row in ws.iter_rows():
            for c in row:
                if c.hyperlink is not None:
                    links[c.coordinate] = c.hyperlink.location or c.hyperlink.target
        ps = ws.page_setup
        out["sheets"].append({
            "name": ws.title,
            "cells": cells,
            "max_row": ws.max_row,
            "freeze": ws.freeze_panes,
            "autofilter": ws.auto_filter.ref,
            "conditional": cf,
            "orientation": ps.orientation,
            "fit_width": ps.fitToWidth,
            "fit_height": ps.fitToHeight,
            "fit_to_page": bool(ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage),
            "print_title_rows": ws.print_title_rows,
            "print_title_cols": ws.print_title_cols,
            "scale": ps.scale,
            "margins": [ws.page_margins.left, ws.page_margins.right, ws.page_margins.top, ws.page_margins.bottom,
                        ws.page_margins.footer],
            "footer_parts": [ws.oddFooter.left.text, ws.oddFooter.center.text, ws.oddFooter.right.text],
            "row_breaks": [b.id for b in ws.row_breaks.brk],
            "col_breaks": [b.id for b in ws.col_breaks.brk],
            "merged": sorted(str(m) for m in ws.merged_cells.ranges),
            "heights": {str(k): v.height for k, v in ws.row_dimensions.items() if v.height is not None},
            "widths": widths,
            "links": links,
        })
    with zipfile.ZipFile(path) as z:
        charts = sorted(n for n in z.namelist() if re.match(r"xl/charts/chart\d+\.xml$", n))
        titles = []
        series = []
        for n in charts:
            xml = z.read(n).decode("utf-8")
            title = " ".join(re.findall(r"<a:t>([^<]*)</a:t>", xml))
            titles.append(title)
            # Each series: where its categories and values come from, and whether the categories
            # are text (one label per point) or numbers/dates (Excel may draw a date axis).
            for ser in re.findall(r"<c:ser>(.*?)</c:ser>", xml, re.S):
                cat = re.search(r"<c:cat><c:(strRef|numRef)><c:f>([^<]*)</c:f>", ser)
                val = re.search(r"<c:val><c:numRef><c:f>([^<]*)</c:f>", ser)
                series.append({"chart": title,
                               "categories": cat.group(2) if cat else None,
                               "category_kind": ("text" if cat.group(1) == "strRef" else "number") if cat else None,
                               "values": val.group(1) if val else None})
        out["charts"] = titles
        out["chart_series"] = series
    json.dump(out, sys.stdout, ensure_ascii=False, default=str)


if __name__ == "__main__":
    main(sys.argv[1])
