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
from regionanalys import load_events, load_orgs, load_region
from regionanalys.data.documents import load_statements
from regionanalys.report import present as p
from regionanalys.analysis import deficits, region_story as story
from regionanalys.report.charts import deficits as deficit_charts, economy as charts
from regionanalys.analysis.indicators import select

data = load_region(region, data_dir)
region, name = data.code, data.name
loaded = deficits.with_annual_from_monthly(data.df, region)  # monthly exports give full years
df = story.economy_rows(story.report_scope(loaded[loaded["region"] == region], year))  # nothing later than the report's year
annual_df = select(df, freq="Y")
events = story.events_in_scope(load_events(data_dir), region, year)
statements = story.statements_in_scope(load_statements(data_dir), region, year)
p.begin(f"Ekonomin i {name} {year}", df, year=year, region=region)
gap = story.economy_gap_text(annual_df, region, year)
if gap:
    p.missing(gap)

# %%
p.timeline(events, statements)

# %%
p.section("Resultat år för år")
history = story.results_history(annual_df, region)
p.figure(charts.results_history_chart(history, f"{name}: uppgivna resultat per år", region, events), alt=f"Stapeldiagram över {name}s uppgivna resultat per år, med mått och typ på varje stapel", caption=story.history_reading(history, region))
p.table(story.prognosis_vs_outcome(annual_df, region, year), f"Prognos och utfall {year} (mnkr)", units="mnkr", sign_columns=["utfall − prognos"])
note = story.balance_requirement_note(annual_df, region, year)
if note:
    p.note(note)

# %%
table = deficits.cost_revenue_table(annual_df, region)
fig = charts.cost_revenue_chart(table, f"{name}: nettokostnader och skatteintäkter")
if fig is None:
    p.collapsed("Nettokostnader och skatteintäkter", f"Underlaget innehåller inga nettokostnader eller skatteintäkter för {name}.")
else:
    p.section("Nettokostnader och skatteintäkter")
    p.figure(fig, alt=f"Stapeldiagram över nettokostnader och skatteintäkter per år för {name}", caption=deficits.cost_revenue_reading(table, region))
bridge = deficits.result_bridge(annual_df, region, year - 1, year)
if not bridge.empty:
    p.figure(deficit_charts.bridge_chart(bridge, f"{name}: från resultatet {year - 1} till resultatet {year}"), alt=f"Vattenfallsdiagram från verksamhetens resultat {year - 1} till resultatet {year} för {name}", caption=deficits.bridge_reading(bridge, region))
ytd = deficits.monthly_rollup(df, region)
p.table(ytd, "Nettokostnader och skatteintäkter från månadsrapporter (mnkr)", units="mnkr", hide=("serie", "helår"))

# %%
deviation = deficits.budget_deviation_table(annual_df, region, year)
if not deviation.empty:
    p.section("Avvikelse mot budget")
    p.table(deviation, f"Utfall {year} och avvikelse mot budget, sett från resultatet (mnkr)", units="mnkr", sign_columns=["avvikelse mot budget"])
    p.reading(deficits.budget_deviation_reading(deviation, region, year))
    p.method("budgetavvikelse")

# %%
plan = story.gap_closing_plan(annual_df, region, year)
if not plan.empty:
    p.section(f"Underskottet {year} och åtgärderna för {year + 1}")
    p.figure(charts.gap_closing_chart(plan, f"{name}: underskottet {year} och beslutade åtgärder {year + 1}"), alt=f"Liggande staplar: underskottet {year} och de beslutade åtgärderna för {year + 1}", caption=story.gap_closing_reading(plan, region, year))
    p.table(plan, f"Underskottet {year} och beslutade åtgärder {year + 1} (mnkr)", units="mnkr", hide=("typ",), sign_columns=["belopp"])

# %%
p.section("Sparbeslut")
p.table(story.decision_rows(annual_df, region), "Sparbeslut och deras delar (mnkr)", units={"belopp": "mnkr"}, empty=f"Underlaget innehåller inga sparbeslut för {name}.")
if story.assessments_reading(statements):
    p.reading(story.assessments_reading(statements))
phases = story.plan_phases(annual_df, region)
if not phases.empty:
    p.figure(charts.segments_chart(phases, f"{name}: sparkravet, fördelat och ännu inte specificerat"), alt="Liggande staplar: den fördelade delen, resten och hela sparkravet", caption="; ".join(f"{r['del']}: {r['förklaring']}" for _, r in phases.iterrows()) + ".")

# %%
orgs = load_orgs(data_dir)
adjustments = story.plans_against_areas(annual_df, region, year + 1, orgs)
for org in deficits.orgs_with_result_statement(annual_df, region):
    p.section(f"{org}: resultatbudget och handlingsplan")
    statement = deficits.result_statement(annual_df, region, org)
    p.table(statement, f"{org}s resultatbudget (mnkr), med dokumentets tecken", units="mnkr", hide=("serie", "kategori"), source_column=None)
    p.checks(deficits.statement_check(statement), f"{org}s resultatbudget: går kolumnerna ihop?")
    wages = story.wage_growth(annual_df, region, org)
    if not wages.empty:
        p.table(wages, f"{org}s lönekostnadsökningstakt (procent)", units={"procent": "procent"})
    adjust = adjustments.get(org)
    if adjust is not None:
        p.figure(charts.segments_chart(adjust, f"{org}s handlingsplan {year + 1}: områdena och den antagna planen"), alt=f"Liggande staplar: områdenas åtgärder, justeringen och {org}s antagna plan", caption=story.plan_against_areas_reading(adjust, org, year + 1))
    p.table(story.plan_pivot(annual_df, region, parent=org, orgs=orgs), f"{org}s handlingsplan per område och år (mnkr)", units="mnkr")

# %%
p.appendix(df)
