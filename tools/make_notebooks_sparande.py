"""Author the savings notebooks (04_sparande per region, 02_jamforelse across regions).

Run from the repo root: python tools/make_notebooks_sparande.py
Every figure on the pages comes from the library; a cell is one call and one show.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from nbmake import comparison_parameters, region_parameters, write_notebook

UNITS_BRIDGE = '{"belopp": "mnkr", "ökning_pct": "procent", "uppgiven_ökning_pct": "procent"}'
UNITS_GAP = '{"kostnadsökning_pct": "procent", "intäktsökning_pct": "procent", "gap_pe": "procentenheter", "gapets_kostnad_mnkr": "mnkr", "uppgiven_kostnadsökning_pct": "procent", "uppgiven_intäktsökning_pct": "procent"}'
UNITS_TERMS = '{"krav_mnkr": "mnkr", "basbelopp_mnkr": "mnkr", "andel_av_bas_pct": "procent", "uppgiven_andel_pct": "procent", "kr_per_invånare": "kr", "skattekrona_mnkr": "mnkr", "skattesats_kr": "kr"}'
UNITS_COVER = '{"krav_mnkr": "mnkr", "identifierat_mnkr": "mnkr", "identifierat_delar_mnkr": "mnkr", "realiserat_mnkr": "mnkr", "täckning_pct": "procent", "realiserat_pct": "procent"}'
UNITS_POST = '{"belopp_mnkr": "mnkr", "antal": "arsarbetare", "tkr_per_post": "tkr"}'
UNITS_SAVINGS = '{"belopp_mnkr": "mnkr", "årsarbetare": "arsarbetare", "tjänster": "tjanster", "anställda": "anstallda"}'
UNITS_EFFECT = '{"effekt": "mnkr", "nedre": "mnkr", "övre": "mnkr"}'
UNITS_NORM = '{"belopp_mnkr": "mnkr", "folkmängd": "personer", "kr_per_invånare": "kr", "skatt_statsbidrag_mnkr": "mnkr", "andel_av_skatt_pct": "procent"}'


write_notebook("notebooks/04_sparande.ipynb", [
    region_parameters("17"),
    ("code", '''
from regionanalys import load, load_events, load_orgs
from regionanalys.report import present as p
from regionanalys.analysis import deficits
from regionanalys.analysis import savings
from regionanalys.analysis import reconciliation
from regionanalys.analysis import effect
from regionanalys.report.charts import deficits as deficit_charts, savings as savings_charts
from regionanalys.data.regions import region_name, resolve_region

region = resolve_region(region)
name = region_name(region)
df = load(data_dir, regions=[region])
orgs = load_orgs(data_dir)
events = load_events(data_dir)
p.page_style()
p.heading(f"Underskott och sparprogram i {name} {year}", 1)
p.example_banner(df[df["region"] == region])
'''),
    ("md", "## Från resultat till underskott"),
    ("code", '''
bridge = deficits.result_bridge(df, region, year - 1, year)
p.show_figure(deficit_charts.bridge_chart(bridge, f"{name}: verksamhetens resultat {year - 1} till {year}"), alt=f"Vattenfallsdiagram från verksamhetens resultat {year - 1} till {year} för {name}", caption=deficits.bridge_reading(bridge, region))
'''),
    ("code", '''
p.show_table(savings.display(bridge, drop=("från", "till")), f"Resultatbryggan {year - 1}–{year}", units=savings.DISPLAY_UNITS, sign_columns=["belopp"], empty=f"Underlaget saknar nettokostnader eller skatteintäkter för {year - 1} och {year} för {name}: resultatbryggan kan inte göras.")
'''),
    ("code", '''
gap = deficits.growth_gap_table(df, [region])
p.show_table(savings.display(gap, drop=("region",)), "Kostnadernas och intäkternas ökning och gapet mellan dem", units=savings.DISPLAY_UNITS)
'''),
    ("code", '''
p.reading(deficits.growth_gap_reading(gap, [region]))
'''),
    ("md", "## Sparkravet i regionens egna termer"),
    ("code", '''
terms = savings.requirement_in_own_terms(df, region)
p.show_table(savings.display(terms, drop=("region", "skattekrona_mnkr", "skattesats_kommentar")), "Sparkraven som andel av kostnaderna och per invånare", units=savings.DISPLAY_UNITS, empty=f"Underlaget innehåller inga sparkrav för {name}.")
'''),
    ("code", '''
p.reading(savings.requirement_reading(terms))
'''),
    ("md", "## Sparkrav, planer och beslut"),
    ("code", '''
p.show_table(savings.display(savings.savings_table(df, region), drop=("region",)), "Sparkrav, planer och beslut med källa", units=savings.DISPLAY_UNITS, empty=f"Underlaget innehåller inga sparkrav eller sparplaner för {name}.")
'''),
    ("code", '''
cover = savings.coverage_table(df, region, orgs)
p.show_figure(savings_charts.coverage_chart(cover, f"{name}: identifierade besparingar mot kravet"), alt=f"Liggande stapeldiagram över hur stor del av varje sparkrav i {name} som täcks av planer", caption=savings.coverage_reading(cover))
'''),
    ("code", '''
p.show_table(savings.display(cover, drop=("region", "källa")), "Krav, identifierat och realiserat", units=savings.DISPLAY_UNITS)
'''),
    ("code", '''
build = savings.buildup_table(df, region, orgs)
p.show_figure(savings_charts.buildup_chart(build, f"{name}: sparplanens uppbyggnad per år"), alt=f"Stapeldiagram över planerade besparingar per år mot kravet för {name}", caption=savings.buildup_reading(build, region))
'''),
    ("code", '''
posts = savings.per_post_table(df, region)
p.show_figure(savings_charts.per_post_chart(posts, f"{name}: besparing per tjänst eller årsarbetare"), alt=f"Liggande stapeldiagram över besparing i tkr per tjänst eller årsarbetare för {name}", caption=savings.per_post_reading(posts))
'''),
    ("md", "## Stämmer summorna?"),
    ("code", '''
findings = reconciliation.reconcile(df, orgs, region=region)
p.reading(reconciliation.reading(findings, name))
'''),
    ("code", '''
focus = reconciliation.focus(findings)
p.show_figure(savings_charts.reconciliation_chart(focus, reconciliation.focus_title(focus)), alt="Stapeldiagram över uppgivna summor mot summan av delarna", caption=reconciliation.focus_reading(focus, findings))
'''),
    ("code", '''
p.show_table(reconciliation.readable(findings[findings["status"] != "stämmer"]), "Summor som inte stämmer med sina delar (differens = uppgivet − summa av delarna)", empty="Alla kontrollerade summor stämmer med sina delar.")
'''),
    ("code", '''
p.show_table(reconciliation.readable(findings[findings["status"] == "stämmer"], ["kontroll", "org", "post", "kategori", "period", "typ", "uppgivet"]), "Summor som stämmer")
'''),
    ("md", "## Har sparbesluten gett effekt? Utfall mot trend"),
    ("code", '''
p.show_figures(savings_charts.effect_figures(df, events, [region]))
'''),
    ("code", '''
p.sources(df[df["region"] == region])
'''),
])

write_notebook("notebooks/02_jamforelse.ipynb", [
    comparison_parameters(),
    ("code", '''
from regionanalys import load, load_events, load_orgs
from regionanalys.report import present as p
from regionanalys.analysis import deficits
from regionanalys.analysis import savings
from regionanalys.analysis import reconciliation
from regionanalys.analysis import effect
from regionanalys.analysis import staffing
from regionanalys.kolada import analysis as kolada_analysis
from regionanalys.report.charts import deficits as deficit_charts, kolada as kolada_charts, savings as savings_charts, staffing as staffing_charts
from regionanalys.data.regions import region_name, resolve_region

regions = [resolve_region(r) for r in regions]
names = [region_name(r) for r in regions]
df_all = load(data_dir, regions=regions)  # shared files (Kolada, SCB) keep all regions and riket
df = df_all[df_all["region"].isin(regions)]
orgs = load_orgs(data_dir)
events = load_events(data_dir)
p.page_style()
p.heading(f"Underskott och sparprogram: {', '.join(names)} {year}", 1)
p.example_banner(df)
'''),
    ("md", "## Resultatet, jämförbart mellan regionerna"),
    ("code", '''
norm = deficits.normalized_results(df, regions, [year - 1, year])
p.show_figure(deficit_charts.normalized_chart(norm, "Resultat per invånare och som andel av skatteintäkterna"), alt="Två stapeldiagram med samma regioner och år: verksamhetens resultat i kronor per invånare och i procent av skatteintäkter och generella statsbidrag; saknade uppgifter är markerade", caption=deficits.normalized_reading(norm))
'''),
    ("code", '''
p.show_table(savings.display(deficits.normalized_results(df, regions, [year - 1, year]).dropna(subset=["belopp_mnkr"])), "Resultatmått per invånare och som andel av skatteintäkterna (bara de som finns i underlaget)", units=savings.DISPLAY_UNITS)
'''),
    ("md", "## Varför underskottet uppstod"),
    ("code", '''
p.show_figures(deficit_charts.bridge_figures(df, regions, year))
'''),
    ("code", '''
gap = deficits.growth_gap_table(df, regions)
p.show_figure(deficit_charts.growth_gap_chart(gap, regions, "Nettokostnadernas och skatteintäkternas ökning"), alt="Stapeldiagram över nettokostnadernas och skatteintäkternas ökning per region; saknade uppgifter är markerade", caption=deficits.growth_gap_reading(gap, regions))
'''),
    ("md", "## Sparkraven i regionernas egna termer"),
    ("code", '''
terms = savings.requirement_in_own_terms(df, regions)
p.show_figure(deficit_charts.requirement_per_capita_chart(savings.largest_requirements(terms), regions, "Största sparkravet per invånare"), alt="Liggande stapeldiagram över varje regions största sparkrav i kronor per invånare", caption=savings.per_capita_reading(savings.largest_requirements(terms), regions))
'''),
    ("code", '''
p.show_table(savings.display(terms, drop=("skattekrona_mnkr", "skattesats_kommentar")), "Sparkraven som andel av kostnaderna och per invånare", units=savings.DISPLAY_UNITS)
'''),
    ("code", '''
p.reading(savings.requirement_reading(terms))
'''),
    ("md", "## Sparprogrammen"),
    ("code", '''
p.show_table(savings.display(savings.headline(savings.savings_table(df))), "Sparkrav, planer och beslut med källa (summor per organisation; delarna per kategori finns i rapporten för varje region)", units=savings.DISPLAY_UNITS)
'''),
    ("code", '''
cover = savings.coverage_table(df, regions, orgs)
p.show_figure(savings_charts.coverage_chart(cover, "Identifierade besparingar mot kravet"), alt="Liggande stapeldiagram över hur stor del av varje sparkrav som täcks av planer, per region", caption=savings.coverage_reading(cover))
'''),
    ("code", '''
posts = savings.per_post_table(df, regions)
p.show_figure(savings_charts.per_post_chart(posts, "Besparing per anställd, tjänst eller årsarbetare"), alt="Liggande stapeldiagram över besparing i tkr per post för varje sparprogram", caption=savings.per_post_reading(posts))
'''),
    ("code", '''
p.show_figures(savings_charts.buildup_figures(df, regions, orgs))
'''),
    ("md", "## Bemanning: hyrpersonal, sjukfrånvaro och närvarotid"),
    ("code", '''
staff_month = staffing.comparison_month(df, regions, year)
staff_table = staffing.comparison_table(df, regions, staff_month)
staff_example = staffing.is_example(df, regions)
p.show_table(staff_table, staffing.comparison_caption(staff_table), units=staffing.COMPARISON_UNITS, sign_columns=["Hyrpersonal, förändring på ett år"], example=staff_example)
'''),
    ("code", '''
p.show_figure(staffing_charts.comparison_chart(df, regions, staff_month), alt="Fyra linjediagram: hyrpersonal, SKR-måttet med målet 2 procent, sjukfrånvaro och närvarotid, rullande tolv månader, en linje per region", caption=staffing.comparison_reading(staff_table), example=staff_example)
'''),
    ("md", "## Alla regioner i Kolada"),
    ("code", '''
has_kolada, kolada_text = kolada_analysis.cache_status(data_dir)
(p.note if has_kolada else p.missing)(kolada_text)
p.show_figures(kolada_charts.ranking_figures(df_all, regions, year))
'''),
    ("code", '''
p.show_table(kolada_analysis.cross_check_display(kolada_analysis.cross_check(df_all)), "Samma mått i regionens dokument och i Kolada", empty="Ingen avstämning mot Kolada: cachen saknas eller har inga år gemensamma med dokumenten.")
'''),
    ("md", "## Stämmer summorna?"),
    ("code", '''
findings = reconciliation.reconcile(df, orgs)
p.reading(reconciliation.reading(findings))
'''),
    ("code", '''
focus = reconciliation.focus(findings)
p.show_figure(savings_charts.reconciliation_chart(focus, reconciliation.focus_title(focus)), alt="Stapeldiagram över uppgivna summor mot summan av delarna", caption=reconciliation.focus_reading(focus, findings))
'''),
    ("code", '''
p.show_table(reconciliation.readable(findings[findings["status"] != "stämmer"]), "Summor som inte stämmer med sina delar (differens = uppgivet − summa av delarna)", empty="Alla kontrollerade summor stämmer med sina delar.")
'''),
    ("md", "## Har sparbesluten gett effekt? Utfall mot trend"),
    ("code", '''
p.show_figures(savings_charts.effect_figures(df, events, regions, headings=True))
'''),
    ("code", '''
p.sources(df)
'''),
])
