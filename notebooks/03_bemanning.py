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
from regionanalys import load_events, load_region
from regionanalys.report import present as p
from regionanalys.analysis import staffing
from regionanalys.report.charts import staffing as charts

data = load_region(region, data_dir)
region, name, df, shown = data.code, data.name, data.df, data.own
events = load_events(data_dir)
month = staffing.report_month(df, region, year)
until = month or f"{year}-12"  # charts end at the report month
p.begin(f"Bemanning i {name} {year}: hyrpersonal, sjukfrånvaro och närvarotid", shown, year=year, region=region,
        points=staffing.key_points(df, region))

# %%
stated = staffing.stated_figures(df, region)
if stated.empty:
    p.collapsed("Verkliga uppgifter om hyrpersonal", staffing.stated_reading(stated, region))
else:
    p.section("Verkliga uppgifter om hyrpersonal")
    p.table(stated, staffing.stated_caption(region), units="mnkr", hide=staffing.stated_hidden(stated))
    p.reading(staffing.stated_reading(stated, region))

# %%
p.section("Uppföljning månad för månad")
p.reading(staffing.month_note(df, region, year, month))
if staffing.example_text(df, region):
    p.note(staffing.example_text(df, region))
p.method("r12")

# %%
p.section("Kostnad för hyrpersonal per personalgrupp")
rental = staffing.rental_r12(df, region, until=until)
example = staffing.chart_example(df, region, "hyrpersonal")
p.figure(charts.rental_chart(rental, region, events), alt=f"Linjediagram: kostnad för hyrpersonal, rullande tolv månader, per personalgrupp och totalt, {name}", caption=staffing.rental_reading(rental, region, month, example=example), example=example)
if not example:
    p.table(staffing.same_period_view(df, region, month), f"Ackumulerat i år mot samma period föregående år, {name}")

# %%
areas = staffing.rental_r12(df, region, by="org", until=until)
if areas.empty:
    p.collapsed("Kostnad för hyrpersonal per område", f"Underlaget har ingen kostnad för hyrpersonal per område för {name}.")
else:
    p.section("Kostnad för hyrpersonal per område")
    example = staffing.chart_example(df, region, "omraden")
    p.figure(charts.area_chart(areas, region, events), alt=f"Linjediagram: kostnad för hyrpersonal, rullande tolv månader, per område, {name}", caption=staffing.area_reading(areas, region, month, example=example), example=example)
    if not example:
        p.table(staffing.same_period_view(df, region, month, by="org"), "Hyrpersonal per område, ackumulerat mot samma period föregående år")

# %%
p.section("Hyrpersonal i förhållande till egen personal (SKR-måttet)")
p.note(staffing.skr_text())
skr = staffing.skr_r12(df, region, until=until)
example = staffing.chart_example(df, region, "skr")
p.figure(charts.skr_chart(skr, region, events), alt=f"Linjediagram: kostnad för hyrpersonal i procent av kostnaden för egen personal, rullande tolv månader, med målvärdet 2 procent, {name}", caption=staffing.skr_reading(skr, region, month, example=example), example=example)

# %%
p.section("Sjukfrånvaro")
sick = staffing.sick_leave_r12(df, region, until=until)
example = staffing.chart_example(df, region, "sjukfranvaro")
p.figure(charts.sick_leave_chart(sick, region, events), alt=f"Linjediagram: sjukfrånvaro i procent av ordinarie arbetstid, rullande tolv månader och per månad, {name}", caption=staffing.sick_leave_reading(sick, region, month, example=example), example=example)

# %%
p.section("Närvarotid med och utan hyrpersonal")
presence = staffing.presence_r12(df, region, until=until)
example = staffing.chart_example(df, region, "narvarotid")
p.figure(charts.presence_chart(presence, region, events), alt=f"Linjediagram: närvarotid omräknad till årsarbetare, rullande tolv månader, med och utan hyrpersonal, {name}", caption=staffing.presence_reading(presence, region, month, example=example), example=example)

# %%
gaps = staffing.r12_gap_table(df, region, until)
if not gaps.empty:
    p.section("Månader som saknas i underlaget")
    p.reading(staffing.r12_gap_reading(df, region, until))
    p.table(gaps, "Månader utan R12 och varför", download=False)

# %%
p.checks(staffing.seed_comparison(df, region), "Hyrpersonal enligt källan och beräknad ur regionens månadsuppgifter")
p.timeline(events[events["region"] == region])
p.appendix(shown)
