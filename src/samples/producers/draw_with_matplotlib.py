"""Draws statements' page models with matplotlib, one figure per page, fonts embedded as Type3
(pdf.fonttype 3). Reads [{"model": <statement-pages.ts's StatementPages>, "out": <path of the
PDF to write>}, ...] as JSON on stdin.
The font is Nimbus Sans (URW's Helvetica, Debian's fonts-urw-base35), so that text measures
as the model's Helvetica does; without it, matplotlib's DejaVu Sans runs wider."""
import json
import os
import sys

import matplotlib

matplotlib.use("pdf")
matplotlib.rcParams["pdf.fonttype"] = 3
# No creation date, so the same statement gives the same bytes.
os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")
from matplotlib import font_manager  # noqa: E402
from matplotlib.backends.backend_pdf import PdfPages  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402

FONT_DIR = "/usr/share/fonts/opentype/urw-base35"


def font(bold):
    path = os.path.join(FONT_DIR, "NimbusSans-Bold.otf" if bold else "NimbusSans-Regular.otf")
    if os.path.exists(path):
        return font_manager.FontProperties(fname=path)
    return font_manager.FontProperties(family="DejaVu Sans", weight="bold" if bold else "normal")


FONTS = {False: font(False), True: font(True)}


def draw(model, out):
    width, height = model["width"], model["height"]
    with PdfPages(out, metadata={"Title": "Statement of Account"}) as pdf:
        for runs in model["pages"]:
            figure = plt.figure(figsize=(width / 72, height / 72))
            for run in runs:
                right = run["width"] is not None and run["align"] == "right"
                x = run["x"] + run["width"] if right else run["x"]
                figure.text(
                    x / width,
                    1 - run["baseline"] / height,
                    run["text"],
                    fontproperties=FONTS[run["bold"]],
                    fontsize=run["fontSize"],
                    ha="right" if right else "left",
                    va="baseline",
                )
            pdf.savefig(figure)
            plt.close(figure)


for job in json.load(sys.stdin):
    draw(job["model"], job["out"])
