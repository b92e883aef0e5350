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
region = "24"
year = 2023
data_dir = None

# %%
from regionanalys import load, load_events
from regionanalys.report import present as p
from regionanalys.analysis import staffing
from regionanalys.report.charts import staffing as charts
from regionanalys.data.regions import region_name, resolve_region

region = resolve_region(region)
name = region_name(region)
df = load(data_dir, regions=[region])
events = load_events(data_dir)
month = staffing.report_month(df, region, year)
until = month or f"{year}-12"  # charts end at the report month
example = staffing.is_example(df, region)
p.page_style()
p.heading(f"Bemanning i {name}: hyrpersonal, sjukfrånvaro och närvarotid {year}", 1)
p.example_banner(df[df["region"] == region])
p.reading(staffing.month_note(df, region, year, month))
p.note(staffing.method_note())

# %% [markdown]
# ## Kostnad för hyrpersonal per personalgrupp

# %%
rental = staffing.rental_r12(df, region, until=until)
p.show_figure(charts.rental_chart(rental, region, events), alt=f"Linjediagram: kostnad för hyrpersonal, rullande tolv månader, per personalgrupp och totalt, {name}", caption=staffing.rental_reading(rental, region, month), example=example)

# %%
p.show_table(staffing.same_period_view(df, region, month), f"Ackumulerat i år mot samma period föregående år, {name}", example=example, empty=f"Underlaget innehåller inga månadsuppgifter om bemanning för {name}.")

# %% [markdown]
# ### Verkliga uppgifter ur underlaget

# %%
p.show_table(staffing.seed_comparison(df, region), "Hyrpersonal: förändring enligt källan och beräknad ur månadsdata", empty=f"Källdokumenten innehåller inga uppgifter om hyrpersonalens kostnad för {name}; siffrorna ovan är exempeldata.")

# %% [markdown]
# ## Kostnad för hyrpersonal per område

# %%
areas = staffing.rental_r12(df, region, by="org", until=until)
p.show_figure(charts.area_chart(areas, region, events), alt=f"Linjediagram: kostnad för hyrpersonal, rullande tolv månader, per område, {name}", caption=staffing.area_reading(areas, region, month), example=example)

# %%
p.show_table(staffing.same_period_view(df, region, month, by="org"), f"Hyrpersonal per område, ackumulerat mot samma period föregående år", example=example, empty=f"Underlaget har ingen kostnad för hyrpersonal per område för {name}.")

# %% [markdown]
# ## SKR-måttet: hyrpersonal i förhållande till egen personal

# %%
skr = staffing.skr_r12(df, region, until=until)
p.show_figure(charts.skr_chart(skr, region, events), alt=f"Linjediagram: kostnad för hyrpersonal i procent av kostnaden för egen personal, rullande tolv månader, med det nationella målet 2 procent, {name}", caption=staffing.skr_reading(skr, region, month), example=example)

# %% [markdown]
# ## Sjukfrånvaro

# %%
sick = staffing.sick_leave_r12(df, region, until=until)
p.show_figure(charts.sick_leave_chart(sick, region, events), alt=f"Linjediagram: sjukfrånvaro i procent av ordinarie arbetstid, rullande tolv månader och per månad, {name}", caption=staffing.sick_leave_reading(sick, region, month), example=example)

# %% [markdown]
# ## Närvarotid med och utan hyrpersonal

# %%
presence = staffing.presence_r12(df, region, until=until)
p.show_figure(charts.presence_chart(presence, region, events), alt=f"Linjediagram: närvarotid omräknad till årsarbetare, rullande tolv månader, med och utan hyrpersonal, {name}", caption=staffing.presence_reading(presence, region, month), example=example)

# %% [markdown]
# ## Luckor i R12

# %%
p.reading(staffing.r12_gap_reading(df, region, until))
p.show_table(staffing.r12_gap_table(df, region, until), "Månader utan R12 och varför")

# %%
p.sources(df[(df["region"] == region) & df["series"].isin([*staffing.STAFFING_SERIES, staffing.SEED_CHANGE, staffing.SEED_CHANGE_PCT])])
