"""Write the tiny fixture notebooks the runner tests execute (run once after editing).

    .venv/bin/python tests/runner_fixtures/make_notebooks.py

The region notebook checks that a reused worker starts it clean (no variable, matplotlib
setting or environment left from the previous report) and has switches (parameters
``fail`` and ``hang``, a region code) to make one region's report fail or hang, and one
(``touch``, a file) that changes a data file after reading it.
"""
from pathlib import Path

import nbformat

HERE = Path(__file__).parent / "notebooks"
KERNEL = {"name": "regionanalys", "display_name": "Python (regionanalys)", "language": "python"}


def write(name, cells):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = KERNEL
    nb.metadata["language_info"] = {"name": "python"}
    for i, (kind, src) in enumerate(cells):
        src = src.strip("\n")
        cell = nbformat.v4.new_markdown_cell(src) if kind == "md" else nbformat.v4.new_code_cell(src)
        if kind == "params":
            cell.metadata["tags"] = ["parameters"]
        cell["id"] = f"c{i:02d}"
        nb.cells.append(cell)
    (HERE / name).write_text(nbformat.writes(nb) + "\n", encoding="utf-8")


write("01_region.ipynb", [
    ("params", '''
region = "17"
year = 2023
data_dir = None
fail = ""  # a region code: that region's report raises in the middle
hang = ""  # a region code: that region's report hangs in one cell (time-out test)
touch = ""  # a data file: changed (10 478 -> 10 479) after the data is read (cache race test)
'''),
    ("code", '''
import os
import time

import matplotlib
import matplotlib.pyplot as plt
from IPython.display import HTML, display

from regionanalys import load
'''),
    ("code", '''
# a reused worker must start every report clean
assert "leak_marker" not in globals(), "variabel kvar från en tidigare rapport"
assert matplotlib.rcParams["lines.linewidth"] == 1.5, "matplotlib-inställning kvar"
assert "FIXTURE_LEAK" not in os.environ, "miljövariabel kvar"
leak_marker = region
matplotlib.rcParams["lines.linewidth"] = 7
os.environ["FIXTURE_LEAK"] = "1"
df = load(data_dir, regions=[region])
if touch:  # another program saves the file while this report runs
    with open(touch, encoding="utf-8") as fh:
        text = fh.read()
    with open(touch, "w", encoding="utf-8") as fh:
        fh.write(text.replace("10 478", "10 479"))
'''),
    ("md", '''
# Testrapport

Källa: [SCB](https://www.scb.se/) och <https://www.kolada.se>.
'''),
    ("code", '''
if str(fail) == region:
    raise ValueError("avsiktligt fel i testnotebooken")
if str(hang) == region:
    time.sleep(600)
if df["example"].any():
    display(HTML('<div class="banner" data-exempeldata="true">Exempeldata</div>'))
display(HTML("<h2>Rader</h2><p>" + str(len(df)) + " rader för region " + region + "</p>"))
display(HTML("<p>Summa " + str(round(float(df["value"].sum()), 1)) + "</p>"))
'''),
    ("code", '''
fig, ax = plt.subplots(figsize=(3, 2))
ax.plot([1, 2, 3], [1, 4, 9])
plt.show()
'''),
    ("code", '''
print("klart", region, year)
'''),
])

write("02_jamforelse.ipynb", [
    ("params", '''
regions = ["17", "18", "24"]
year = 2023
data_dir = None
'''),
    ("code", '''
from IPython.display import HTML, display

from regionanalys import load
from regionanalys.data.loading import load_events

df = load(data_dir, regions=regions)
events = load_events(data_dir)  # only this report reads meta/events.csv
display(HTML("<h1>Jämförelse</h1><p>" + ", ".join(sorted(df["region"].unique())) + "</p>"))
display(HTML("<p>" + str(len(events)) + " händelser</p>"))
'''),
])

write("00_utforska.ipynb", [
    ("params", '''
region = "17"
'''),
    ("code", '''
print(region)
'''),
])
