"""Draws statements' page models with reportlab's canvas and its built-in Helvetica. Reads
[{"model": <statement-pages.ts's StatementPages>, "out": <path of the PDF to write>}, ...]
as JSON on stdin."""
import json
import sys

from reportlab.pdfgen import canvas


def draw(model, out):
    # invariant: no creation date or random file id, so the same statement gives the same bytes.
    pdf = canvas.Canvas(out, pagesize=(model["width"], model["height"]), invariant=1)
    pdf.setTitle("Statement of Account")
    for runs in model["pages"]:
        for run in runs:
            pdf.setFont("Helvetica-Bold" if run["bold"] else "Helvetica", run["fontSize"])
            y = model["height"] - run["baseline"]
            if run["width"] is not None and run["align"] == "right":
                pdf.drawRightString(run["x"] + run["width"], y, run["text"])
            else:
                pdf.drawString(run["x"], y, run["text"])
        pdf.showPage()
    pdf.save()


for job in json.load(sys.stdin):
    draw(job["model"], job["out"])
