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
from regionanalys import load, load_events, load_orgs
from regionanalys.report import present as p
from regionanalys.analysis import deficits, effect, reconciliation, savings
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

# %% [markdown]
# ## Från resultat till underskott

# %%
bridge = deficits.result_bridge(df, region, year - 1, year)
p.show_figure(deficit_charts.bridge_chart(bridge, f"{name}: verksamhetens resultat {year - 1} till {year}"), alt=f"Vattenfallsdiagram från verksamhetens resultat {year - 1} till {year} för {name}", caption=deficits.bridge_reading(bridge, region))

# %%
p.show_table(savings.display(bridge, drop=("från", "till")), f"Resultatbryggan {year - 1}–{year}", units=savings.DISPLAY_UNITS, sign_columns=["belopp"], empty=f"Underlaget saknar nettokostnader eller skatteintäkter för {year - 1} och {year} för {name}: resultatbryggan kan inte göras.")

# %%
gap = deficits.growth_gap_table(df, [region])
p.show_table(savings.display(gap, drop=("region",)), "Kostnadernas och intäkternas ökning och gapet mellan dem", units=savings.DISPLAY_UNITS)

# %%
p.reading(deficits.growth_gap_reading(gap, [region]))

# %% [markdown]
# ## Sparkravet i regionens egna termer

# %%
terms = savings.requirement_in_own_terms(df, region)
p.show_table(savings.display(terms, drop=("region", "skattekrona_mnkr", "skattesats_kommentar")), "Sparkraven som andel av kostnaderna och per invånare", units=savings.DISPLAY_UNITS, empty=f"Underlaget innehåller inga sparkrav för {name}.")

# %%
p.reading(savings.requirement_reading(terms))

# %% [markdown]
# ## Sparkrav, planer och beslut

# %%
p.show_table(savings.display(savings.savings_table(df, region), drop=("region",)), "Sparkrav, planer och beslut med källa", units=savings.DISPLAY_UNITS, empty=f"Underlaget innehåller inga sparkrav eller sparplaner för {name}.")

# %%
cover = savings.coverage_table(df, region, orgs)
p.show_figure(savings_charts.coverage_chart(cover, f"{name}: identifierade besparingar mot kravet"), alt=f"Liggande stapeldiagram över hur stor del av varje sparkrav i {name} som täcks av planer", caption=savings.coverage_reading(cover))

# %%
p.show_table(savings.display(cover, drop=("region", "källa")), "Krav, identifierat och realiserat", units=savings.DISPLAY_UNITS)

# %%
build = savings.buildup_table(df, region, orgs)
p.show_figure(savings_charts.buildup_chart(build, f"{name}: sparplanens uppbyggnad per år"), alt=f"Stapeldiagram över planerade besparingar per år mot kravet för {name}", caption=savings.buildup_reading(build, region))

# %%
posts = savings.per_post_table(df, region)
p.show_figure(savings_charts.per_post_chart(posts, f"{name}: besparing per tjänst eller årsarbetare"), alt=f"Liggande stapeldiagram över besparing i tkr per tjänst eller årsarbetare för {name}", caption=savings.per_post_reading(posts))

# %% [markdown]
# ## Stämmer summorna?

# %%
findings = reconciliation.reconcile(df, orgs, region=region)
p.reading(reconciliation.reading(findings, name))

# %%
focus = reconciliation.focus(findings)
p.show_figure(savings_charts.reconciliation_chart(focus, reconciliation.focus_title(focus)), alt="Stapeldiagram över uppgivna summor mot summan av delarna", caption=reconciliation.focus_reading(focus, findings))

# %%
p.show_table(reconciliation.readable(findings[findings["status"] != "stämmer"]), "Summor som inte stämmer med sina delar (differens = uppgivet − summa av delarna)", empty="Alla kontrollerade summor stämmer med sina delar.")

# %%
p.show_table(reconciliation.readable(findings[findings["status"] == "stämmer"], ["kontroll", "org", "post", "kategori", "period", "typ", "uppgivet"]), "Summor som stämmer")

# %% [markdown]
# ## Har sparbesluten gett effekt? Utfall mot trend

# %%
p.show_figures(savings_charts.effect_figures(df, events, [region]))

# %%
p.sources(df[df["region"] == region])
