# ---
# jupyter:
#   jupytext:
#     notebook_metadata_filter: -jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python (regionanalys)
#     language: python
#     name: regionanalys
# ---

# %% tags=["parameters"]
# Parametrar (papermill ersätter dem vid körning)
regions = ["17", "18", "24"]
year = 2023
data_dir = None

# %%
from regionanalys import load, load_events
from regionanalys.report import present as p
from regionanalys.analysis import comparison
from regionanalys.analysis.indicators import population_source
from regionanalys.analysis.requirements import decisions
from regionanalys.data.documents import load_statements
from regionanalys.kolada import analysis as kolada_analysis
from regionanalys.kolada.client import NOT_IN_KOLADA
from regionanalys.report.charts import comparison as comparison_charts, kolada as kolada_charts
from regionanalys.data.regions import region_name, resolve_region

regions = [resolve_region(r) for r in regions]
names = [region_name(r) for r in regions]
df_all = load(data_dir, regions=regions)  # shared files (Kolada, SCB) keep all regions and riket
df = df_all[df_all["region"].isin(regions)]
events = load_events(data_dir)
matrix_years = list(range(year - 4, year + 2))
avail = comparison.availability(df, regions, matrix_years)
has_kolada, kolada_text = kolada_analysis.cache_status(data_dir)
p.begin(f"Underskott och sparprogram: {', '.join(names)} {year}", df, year=year, regions=regions)

# %%
kolada_items, kolada_absent = kolada_charts.standard_figures(df_all, regions, year)
if kolada_items:
    p.section("Alla 21 regioner i Kolada")
    p.note(kolada_text)
    for item in kolada_items:
        p.figure(item["fig"], alt=item["alt"], caption=item["caption"])
    for title, text in kolada_absent:
        p.collapsed(title, text)
    p.method("kolada")

# %%
p.section("Vad kan jämföras?")
p.reading(comparison.matrix_reading(avail))
p.table(comparison.matrix(avail), "Vad underlaget innehåller per region, mått och år (utfall, prognos, budget, beslut, exempeldata eller – för inget)", row_header="region", download=False)
if not has_kolada:
    p.note(kolada_text)

# %%
p.section("Resultatet år för år")
history = comparison.results_history(df, regions, list(range(year - 7, year + 2)))
p.figure(comparison_charts.results_history_chart(history, regions, "Resultat per region och år, mnkr"), alt="Stapeldiagram, ett per region: resultatet per år i miljoner kronor; varje stapel anger mått och om det är utfall eller prognos; prognoser skrafferade", caption=comparison.results_reading(history, regions))
p.table(comparison.results_table(history), "Resultaten i diagrammet med mått, typ och källa", units={"mnkr": "mnkr"})

# %%
growth = comparison.growth_table(df, regions, year)
if growth.empty:
    p.collapsed("Kostnader mot intäkter", comparison.growth_reading(growth, regions, year))
else:
    p.section("Kostnader mot intäkter")
    p.table(growth, f"Nettokostnadernas och skatteintäkternas ökning {year}", units={"skillnad (procentenheter)": "procentenheter"}, sign_columns=["skillnad (procentenheter)"])
    p.reading(comparison.growth_reading(growth, regions, year))
    p.method("tillvaxt")

# %%
p.section("Sparkraven, jämförda inom samma omfattning")
items = decisions(df, regions)
pop_year = comparison.population_year(df, regions, year + 1)
per_capita = comparison.requirements_per_capita(df, items, regions, pop_year)
p.table(comparison.decisions_display(items), "Sparkrav per beslut (ett krav räknas en gång; delarna under sin summa)")
p.figure(comparison_charts.requirements_chart(per_capita, f"Sparkrav i kronor per invånare (folkmängd 31 december {pop_year})"), alt="Liggande stapeldiagram i två delar: sparkrav för hela regionen och sparkrav för administrationen, i kronor per invånare", caption=comparison.requirements_reading(per_capita, pop_year) + f" Folkmängd: {population_source(df, pop_year)}.")
p.method("sparkrav")
p.method("kr_per_inv")

# %%
p.section("Hyrpersonal")
staff = comparison.staffing_real(df, regions)
p.table(comparison.staffing_display(staff), "Hyrpersonal enligt regionernas dokument och offentliga källor (utfall)")
p.reading(comparison.staffing_reading(staff, regions) + " " + NOT_IN_KOLADA)

# %%
p.collapsed("Sjukfrånvaro och närvarotid", comparison.missing_text(avail, ["sjukfranvaro", "narvarotid"], regions, "sjukfrånvaro och närvarotid"))
p.collapsed("Har sparbesluten gett effekt?", comparison.missing_text(avail, ["personalkostnad"], regions, "personalkostnaden per månad (som beslutens effekt prövas på)"))

# %%
statements = load_statements(data_dir)
p.timeline(events[events["region"].isin(regions)], statements[statements["region"].isin(regions)])

# %%
cross = kolada_analysis.cross_check(df_all)
cross_figures, cross_notes = kolada_analysis.cross_check_checks(cross[cross["region"].isin(regions)], per_capita=False)
p.checks(cross_figures, "Samma mått i regionernas dokument, offentliga källor och Kolada (skillnad = Kolada − uppgivet)")
p.checks(cross_notes, "Varför Kolada och dokumenten kan skilja sig åt, per mått")
p.checks(comparison.seed_public_checks(df, regions), "Samma uppgift i regionernas dokument och i offentliga källor")
p.appendix(df)
