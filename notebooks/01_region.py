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
region = "17"
year = 2023
data_dir = None

# %%
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

# %% [markdown]
# ## Nettokostnader och skatteintäkter

# %%
table = deficits.cost_revenue_table(df, region)
p.show_table(savings.display(table), "Nettokostnader, skatteintäkter och resultat", units=savings.DISPLAY_UNITS, empty=f"Underlaget innehåller inga regionövergripande nettokostnader eller skatteintäkter för {name}.")
p.show_figure(economy_charts.cost_revenue_chart(table, f"{name}: nettokostnader och skatteintäkter"), alt=f"Stapeldiagram över nettokostnader och skatteintäkter per år för {name}", caption=deficits.cost_revenue_reading(table, region))

# %%
p.show_table(deficits.stated_growth_check(df, region, year), "Ökningstakt: uppgiven i källan och beräknad ur beloppen", units="procent")

# %% [markdown]
# ## Resultat och avvikelse mot budget

# %%
p.show_table(deficits.budget_deviation_table(df, region, year), f"Utfall {year} och avvikelse mot budget (mnkr)", units="mnkr", sign_columns=["avvikelse mot budget"], empty=f"Underlaget anger ingen avvikelse mot budget för {name} {year}.")

# %%
p.show_tables(deficits.result_statements(df, region), "Resultatbudget, {name} (mnkr)", units="mnkr")

# %% [markdown]
# ## Sparplaner per område och år

# %%
plan = savings.plan_by_org_and_year(df, region, orgs)
p.show_figure(savings_charts.plan_by_org_chart(plan, f"{name}: planerade besparingar per område"), alt=f"Staplat stapeldiagram över planerade besparingar per område och år för {name}", caption=savings.plan_reading(plan, region))
p.show_table(savings.display(savings.savings_table(df, region), drop=("region", "källa")), "Sparkrav, planer och beslut (källor längst ned)", units=savings.DISPLAY_UNITS, empty=f"Underlaget innehåller inga sparkrav eller sparplaner för {name}.")

# %%
p.sources(df[df["region"] == region])
