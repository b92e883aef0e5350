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
from regionanalys import load, load_events, load_orgs
from regionanalys.report import present as p
from regionanalys.analysis import deficits, effect, reconciliation, savings, staffing
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

# %% [markdown]
# ## Resultatet, jämförbart mellan regionerna

# %%
norm = deficits.normalized_results(df, regions, [year - 1, year])
p.show_figure(deficit_charts.normalized_chart(norm, "Resultat per invånare och som andel av skatteintäkterna"), alt="Två stapeldiagram med samma regioner och år: verksamhetens resultat i kronor per invånare och i procent av skatteintäkter och generella statsbidrag; saknade uppgifter är markerade", caption=deficits.normalized_reading(norm))

# %%
p.show_table(savings.display(deficits.normalized_results(df, regions, [year - 1, year]).dropna(subset=["belopp_mnkr"])), "Resultatmått per invånare och som andel av skatteintäkterna (bara de som finns i underlaget)", units=savings.DISPLAY_UNITS)

# %% [markdown]
# ## Varför underskottet uppstod

# %%
p.show_figures(deficit_charts.bridge_figures(df, regions, year))

# %%
gap = deficits.growth_gap_table(df, regions)
p.show_figure(deficit_charts.growth_gap_chart(gap, regions, "Nettokostnadernas och skatteintäkternas ökning"), alt="Stapeldiagram över nettokostnadernas och skatteintäkternas ökning per region; saknade uppgifter är markerade", caption=deficits.growth_gap_reading(gap, regions))

# %% [markdown]
# ## Sparkraven i regionernas egna termer

# %%
terms = savings.requirement_in_own_terms(df, regions)
p.show_figure(deficit_charts.requirement_per_capita_chart(savings.largest_requirements(terms), regions, "Största sparkravet per invånare"), alt="Liggande stapeldiagram över varje regions största sparkrav i kronor per invånare", caption=savings.per_capita_reading(savings.largest_requirements(terms), regions))

# %%
p.show_table(savings.display(terms, drop=("skattekrona_mnkr", "skattesats_kommentar")), "Sparkraven som andel av kostnaderna och per invånare", units=savings.DISPLAY_UNITS)

# %%
p.reading(savings.requirement_reading(terms))

# %% [markdown]
# ## Sparprogrammen

# %%
p.show_table(savings.display(savings.headline(savings.savings_table(df))), "Sparkrav, planer och beslut med källa (summor per organisation; delarna per kategori finns i rapporten för varje region)", units=savings.DISPLAY_UNITS)

# %%
cover = savings.coverage_table(df, regions, orgs)
p.show_figure(savings_charts.coverage_chart(cover, "Identifierade besparingar mot kravet"), alt="Liggande stapeldiagram över hur stor del av varje sparkrav som täcks av planer, per region", caption=savings.coverage_reading(cover))

# %%
posts = savings.per_post_table(df, regions)
p.show_figure(savings_charts.per_post_chart(posts, "Besparing per anställd, tjänst eller årsarbetare"), alt="Liggande stapeldiagram över besparing i tkr per post för varje sparprogram", caption=savings.per_post_reading(posts))

# %%
p.show_figures(savings_charts.buildup_figures(df, regions, orgs))

# %% [markdown]
# ## Bemanning: hyrpersonal, sjukfrånvaro och närvarotid

# %%
staff_month = staffing.comparison_month(df, regions, year)
staff_table = staffing.comparison_table(df, regions, staff_month)
staff_example = staffing.is_example(df, regions)
p.show_table(staff_table, staffing.comparison_caption(staff_table), units=staffing.COMPARISON_UNITS, sign_columns=["Hyrpersonal, förändring på ett år"], example=staff_example)

# %%
p.show_figure(staffing_charts.comparison_chart(df, regions, staff_month), alt="Fyra linjediagram: hyrpersonal, SKR-måttet med målet 2 procent, sjukfrånvaro och närvarotid, rullande tolv månader, en linje per region", caption=staffing.comparison_reading(staff_table), example=staff_example)

# %% [markdown]
# ## Alla regioner i Kolada

# %%
has_kolada, kolada_text = kolada_analysis.cache_status(data_dir)
(p.note if has_kolada else p.missing)(kolada_text)
p.show_figures(kolada_charts.ranking_figures(df_all, regions, year))

# %%
p.show_table(kolada_analysis.cross_check_display(kolada_analysis.cross_check(df_all)), "Samma mått i regionens dokument och i Kolada", empty="Ingen avstämning mot Kolada: cachen saknas eller har inga år gemensamma med dokumenten.")

# %% [markdown]
# ## Stämmer summorna?

# %%
findings = reconciliation.reconcile(df, orgs)
p.reading(reconciliation.reading(findings))

# %%
focus = reconciliation.focus(findings)
p.show_figure(savings_charts.reconciliation_chart(focus, reconciliation.focus_title(focus)), alt="Stapeldiagram över uppgivna summor mot summan av delarna", caption=reconciliation.focus_reading(focus, findings))

# %%
p.show_table(reconciliation.readable(findings[findings["status"] != "stämmer"]), "Summor som inte stämmer med sina delar (differens = uppgivet − summa av delarna)", empty="Alla kontrollerade summor stämmer med sina delar.")

# %% [markdown]
# ## Har sparbesluten gett effekt? Utfall mot trend

# %%
p.show_figures(savings_charts.effect_figures(df, events, regions, headings=True))

# %%
p.sources(df)
