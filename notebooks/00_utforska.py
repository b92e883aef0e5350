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

# %% [markdown]
# # Utforska data med regionanalys
#
# En startpunkt för analytiker, i den ordning arbetet brukar gå:
#
# 1. ladda och filtrera data,
# 2. räkna en indikator,
# 3. rita ett diagram,
# 4. ta in en egen export ur HR- eller ekonomisystemet,
# 5. köra en rapport direkt från Python.
#
# All logik finns i biblioteket `regionanalys`; `help(funktion)` visar vad en funktion gör.
# Notebooken sparas utan utdata. Den redigerbara källan är `00_utforska.py` bredvid.

# %% tags=["parameters"]
region = "Värmland"
data_dir = None  # None: projektets data/
out_dir = None  # None: projektets reports/

# %% [markdown]
# ## 1. Ladda och filtrera
#
# `ra.load()` läser alla observationer i `data/`, validerar dem och ger en tabell med en rad per värde.
# `coverage` visar vilka serier som finns för vilka regioner och år.

# %%
import regionanalys as ra
from regionanalys.analysis import indicators

df = ra.load(data_dir)
indicators.coverage(df)

# %% [markdown]
# `indicators.select` filtrerar på region, serie, utfall/budget, år med mera (region som kod eller namn).

# %%
indicators.select(df, region=region, series=["nettokostnader", "skatt_statsbidrag"], kind="utfall")[["series", "period", "value", "unit", "source"]]

# %% [markdown]
# ## 2. En indikator
#
# Nettokostnad per invånare (kr), ur nettokostnaderna och SCB:s folkmängd.

# %%
costs = indicators.annual(df, "nettokostnader", region)
indicators.per_capita(costs, indicators.population(df, region)).dropna().round(0)

# %% [markdown]
# ## 3. Ett diagram
#
# Diagrammen i `regionanalys.report.charts` är desamma som i rapporterna.

# %%
from regionanalys.analysis import deficits
from regionanalys.report.charts import economy as economy_charts

table = deficits.cost_revenue_table(df, region)
fig = economy_charts.cost_revenue_chart(table, "Nettokostnader och skatteintäkter")

# %% [markdown]
# ## 4. Ta in en egen export
#
# En export ur HR- eller ekonomisystemet (CSV eller Excel, bred eller lång) läses med en
# *mappning* i TOML som säger vilken kolumn som är vilken serie. Här ett litet exempel:
# hyrpersonal per personalgrupp och månad, i tkr, sparad av Excel i cp1252.

# %%
from regionanalys import config, importing

export = config.PROJECT_ROOT / "tests" / "fixtures" / "imports" / "hyrpersonal_bred_cp1252.csv"
imported = importing.import_file(export, export.with_name("hyrpersonal_bred.toml"))
imported.frame[["region", "series", "category", "period", "value", "unit", "source"]].head()

# %% [markdown]
# Tabellen följer samma format som `ra.load()`, så vanliga pandas-diagram fungerar direkt:

# %%
monthly = imported.frame.set_index(["period", "category"])["value"].unstack()
ax = monthly.plot(title="Kostnad för hyrpersonal per personalgrupp (tkr)")

# %% [markdown]
# Spara importen under `data/` så kommer den med i `ra.load()` och i rapporterna:
#
# ```python
# importing.write_observations(imported, "data/imports/24_hyrpersonal.csv")
# ```
#
# eller från terminalen: `python -m regionanalys.data.importing EXPORT --mapping MAPPNING.toml --out data/imports/…`.
# Kör sedan `make validate`.

# %% [markdown]
# ## 5. Kör en rapport från Python
#
# `runner.run` gör samma sak som `regionanalys run`: kör rapport-notebooken och skriver HTML.
# Rapporter vars indata inte har ändrats körs inte om.

# %%
from regionanalys.report import runner

summary = runner.run(notebooks=["region"], regions=[region], data_dir=data_dir, out_dir=out_dir)
[(r.job.title, r.status, str(r.html)) for r in summary.results]
