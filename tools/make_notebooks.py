"""Author the foundation notebooks (01_region, 00_utforska). Run from the repo root: python tools/make_notebooks.py"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from nbmake import region_parameters, write_notebook

write_notebook("notebooks/01_region.ipynb", [
    region_parameters("17"),
    ("code", '''
from regionanalys import load, load_orgs
from regionanalys.report import present as p
from regionanalys.analysis import deficits
from regionanalys.analysis import savings
from regionanalys.report.charts import economy as economy_charts, savings as savings_charts
from regionanalys.analysis.indicators import select
from regionanalys.data.regions import region_name, resolve_region

region = resolve_region(region)
name = region_name(region)
df = select(load(data_dir, regions=[region]), freq="Y")  # this report shows annual figures only
orgs = load_orgs(data_dir)
p.page_style()
p.heading(f"Ekonomin i {name} {year}", 1)
p.example_banner(df[df["region"] == region])
'''),
    ("md", "## Nettokostnader och skatteintäkter"),
    ("code", '''
table = deficits.cost_revenue_table(df, region)
p.show_table(savings.display(table), "Nettokostnader, skatteintäkter och resultat", units=savings.DISPLAY_UNITS, empty=f"Underlaget innehåller inga regionövergripande nettokostnader eller skatteintäkter för {name}.")
p.show_figure(economy_charts.cost_revenue_chart(table, f"{name}: nettokostnader och skatteintäkter"), alt=f"Stapeldiagram över nettokostnader och skatteintäkter per år för {name}", caption=deficits.cost_revenue_reading(table, region))
'''),
    ("code", '''
p.show_table(deficits.stated_growth_check(df, region, year), "Ökningstakt: uppgiven i källan och beräknad ur beloppen", units="procent")
'''),
    ("md", "## Resultat och avvikelse mot budget"),
    ("code", '''
p.show_table(deficits.budget_deviation_table(df, region, year), f"Utfall {year} och avvikelse mot budget (mnkr)", units="mnkr", sign_columns=["avvikelse mot budget"], empty=f"Underlaget anger ingen avvikelse mot budget för {name} {year}.")
'''),
    ("code", '''
p.show_tables(deficits.result_statements(df, region), "Resultatbudget, {name} (mnkr)", units="mnkr")
'''),
    ("md", "## Sparplaner per område och år"),
    ("code", '''
plan = savings.plan_by_org_and_year(df, region, orgs)
p.show_figure(savings_charts.plan_by_org_chart(plan, f"{name}: planerade besparingar per område"), alt=f"Staplat stapeldiagram över planerade besparingar per område och år för {name}", caption=savings.plan_reading(plan, region))
p.show_table(savings.display(savings.savings_table(df, region), drop=("region", "källa")), "Sparkrav, planer och beslut (källor längst ned)", units=savings.DISPLAY_UNITS, empty=f"Underlaget innehåller inga sparkrav eller sparplaner för {name}.")
'''),
    ("code", '''
p.sources(df[df["region"] == region])
'''),
])

write_notebook("notebooks/00_utforska.ipynb", [
    ("md", '''
# Utforska data med regionanalys

En startpunkt för analytiker: ladda all data, filtrera, räkna en indikator och rita ett diagram.
All logik finns i biblioteket `regionanalys`; se `help(...)` för varje funktion.
'''),
    ("params", '''
region = "Värmland"
data_dir = None
'''),
    ("code", '''
import regionanalys as ra
from regionanalys.analysis import indicators
from regionanalys.analysis import deficits
from regionanalys.report import present as p
from regionanalys.report.charts import economy as economy_charts

df = ra.load(data_dir)
indicators.coverage(df)
'''),
    ("md", "Filtrera: en regions nettokostnader och skatteintäkter, utfall per år."),
    ("code", '''
indicators.select(df, region=region, series=["nettokostnader", "skatt_statsbidrag"], kind="utfall")[["region", "series", "period", "value", "unit", "source"]]
'''),
    ("md", "En indikator: nettokostnad per invånare (kr) ur nettokostnader och SCB:s folkmängd."),
    ("code", '''
costs = indicators.annual(df, "nettokostnader", region)
indicators.per_capita(costs, indicators.population(df, region)).dropna().round(0)
'''),
    ("md", "Ett diagram i projektets stil:"),
    ("code", '''
table = deficits.cost_revenue_table(df, region)
economy_charts.cost_revenue_chart(table, "Nettokostnader och skatteintäkter")
'''),
])
