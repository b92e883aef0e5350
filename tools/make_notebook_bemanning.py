"""Author notebooks/03_bemanning.ipynb (staffing report). Run from the repo root:

    .venv/bin/python tools/make_notebook_bemanning.py

Every analysis is in the library (regionanalys.analysis.staffing, regionanalys.report.charts.staffing);
each cell is one call and one show.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from nbmake import region_parameters, write_notebook

write_notebook("notebooks/03_bemanning.ipynb", [
    region_parameters("24"),
    ("code", '''
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
'''),
    ("md", "## Kostnad för hyrpersonal per personalgrupp"),
    ("code", '''
rental = staffing.rental_r12(df, region, until=until)
p.show_figure(charts.rental_chart(rental, region, events), alt=f"Linjediagram: kostnad för hyrpersonal, rullande tolv månader, per personalgrupp och totalt, {name}", caption=staffing.rental_reading(rental, region, month), example=example)
'''),
    ("code", '''
p.show_table(staffing.same_period_view(df, region, month), f"Ackumulerat i år mot samma period föregående år, {name}", example=example, empty=f"Underlaget innehåller inga månadsuppgifter om bemanning för {name}.")
'''),
    ("md", "### Verkliga uppgifter ur underlaget"),
    ("code", '''
p.show_table(staffing.seed_comparison(df, region), "Hyrpersonal: förändring enligt källan och beräknad ur månadsdata", empty=f"Källdokumenten innehåller inga uppgifter om hyrpersonalens kostnad för {name}; siffrorna ovan är exempeldata.")
'''),
    ("md", "## Kostnad för hyrpersonal per område"),
    ("code", '''
areas = staffing.rental_r12(df, region, by="org", until=until)
p.show_figure(charts.area_chart(areas, region, events), alt=f"Linjediagram: kostnad för hyrpersonal, rullande tolv månader, per område, {name}", caption=staffing.area_reading(areas, region, month), example=example)
'''),
    ("code", '''
p.show_table(staffing.same_period_view(df, region, month, by="org"), f"Hyrpersonal per område, ackumulerat mot samma period föregående år", example=example, empty=f"Underlaget har ingen kostnad för hyrpersonal per område för {name}.")
'''),
    ("md", "## SKR-måttet: hyrpersonal i förhållande till egen personal"),
    ("code", '''
skr = staffing.skr_r12(df, region, until=until)
p.show_figure(charts.skr_chart(skr, region, events), alt=f"Linjediagram: kostnad för hyrpersonal i procent av kostnaden för egen personal, rullande tolv månader, med det nationella målet 2 procent, {name}", caption=staffing.skr_reading(skr, region, month), example=example)
'''),
    ("md", "## Sjukfrånvaro"),
    ("code", '''
sick = staffing.sick_leave_r12(df, region, until=until)
p.show_figure(charts.sick_leave_chart(sick, region, events), alt=f"Linjediagram: sjukfrånvaro i procent av ordinarie arbetstid, rullande tolv månader och per månad, {name}", caption=staffing.sick_leave_reading(sick, region, month), example=example)
'''),
    ("md", "## Närvarotid med och utan hyrpersonal"),
    ("code", '''
presence = staffing.presence_r12(df, region, until=until)
p.show_figure(charts.presence_chart(presence, region, events), alt=f"Linjediagram: närvarotid omräknad till årsarbetare, rullande tolv månader, med och utan hyrpersonal, {name}", caption=staffing.presence_reading(presence, region, month), example=example)
'''),
    ("md", "## Luckor i R12"),
    ("code", '''
p.reading(staffing.r12_gap_reading(df, region, until))
p.show_table(staffing.r12_gap_table(df, region, until), "Månader utan R12 och varför")
'''),
    ("code", '''
p.sources(df[(df["region"] == region) & df["series"].isin([*staffing.STAFFING_SERIES, staffing.SEED_CHANGE, staffing.SEED_CHANGE_PCT])])
'''),
])
