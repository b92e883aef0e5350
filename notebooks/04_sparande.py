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
from regionanalys.report import present as p
from regionanalys.analysis import deficits, reconciliation, savings
from regionanalys.data.documents import load_statements
from regionanalys.report.charts import deficits as deficit_charts, savings as savings_charts

data = load_region(region, data_dir)
region, name, df, mine = data.code, data.name, data.df, data.own
orgs = load_orgs(data_dir)
events = load_events(data_dir)
p.begin(f"Underskott och sparprogram i {name} {year}", mine, year=year, region=region)

# %%
p.section("Sparkraven, beslut för beslut")
terms = savings.requirement_in_own_terms(df, region, year=year)
p.table(savings.terms_view(terms), "Sparkraven: ett beslut per rad, delarna under sin summa", units=savings.DISPLAY_UNITS, empty=f"Underlaget innehåller inga sparkrav för {name}.")
p.reading(savings.requirement_reading(terms))
p.method("sparkrav")
p.method("kr_per_inv")

# %%
p.section("Hur stor del av kraven har en plan?")
cover = savings.coverage_table(df, region, orgs)
chart = savings_charts.coverage_chart(cover, f"{name}: planerat eller fördelat mot kravet, per beslut")
if chart is None:
    p.reading(savings.coverage_reading(cover))
else:
    p.figure(chart, alt=f"Liggande stapeldiagram över hur stor del av varje sparbeslut i {name} som har en plan eller är fördelat", caption=savings.coverage_reading(cover))
p.table(savings.display(cover, drop=("region", "rad", "org", "krav_mnkr", "realiserat_mnkr", "fördelning")), "Sparbeslut, plan och fördelning", units=savings.DISPLAY_UNITS)

# %%
build = savings.buildup_table(df, region, orgs)
if build.empty:
    p.collapsed("Sparplanen per år", f"Underlaget innehåller ingen sparplan per år för {name}.")
else:
    p.section("Sparplanen per år" if build["plan_delar_mnkr"].isna().all() else "Sparplanen per år och område")
    p.figure(savings_charts.buildup_chart(build, f"{name}: sparplanens uppbyggnad per år"), alt=f"Stapeldiagram över den antagna sparplanen per år mot kravet för {name}", caption=savings.buildup_reading(build, region))
    plan = savings.adopted_plan(df, region, int(build["år"].min()), orgs)
    p.table(savings.display(plan, drop=("region", "typ")), f"Sparplanen {int(build['år'].min())} som antagen och dess delar", units=savings.DISPLAY_UNITS)

# %%
posts = savings.per_post_table(df, region)
if posts.empty:
    p.collapsed("Besparing per tjänst eller årsarbetare", savings.per_post_reading(posts))
else:
    p.section("Besparing per tjänst eller årsarbetare")
    p.figure(savings_charts.per_post_chart(posts, f"{name}: besparing per tjänst eller årsarbetare"), alt=f"Liggande stapeldiagram över besparing i tkr per tjänst eller årsarbetare för {name}", caption=savings.per_post_reading(posts))

# %%
p.timeline(events[events["region"] == region], load_statements(data_dir)[lambda t: t["region"] == region])

# %%
bridge = deficits.result_bridge(df, region, year - 1, year)
if bridge.empty:
    p.collapsed("Från resultat till underskott", f"Underlaget saknar nettokostnader eller skatteintäkter för {year - 1} och {year} för {name}: resultatbryggan visas i regionrapporten när uppgifterna finns.")
else:
    p.section("Från resultat till underskott")
    p.figure(deficit_charts.bridge_chart(bridge, f"{name}: verksamhetens resultat {year - 1} till {year}"), alt=f"Vattenfallsdiagram från verksamhetens resultat {year - 1} till {year} för {name}", caption=deficits.bridge_reading(bridge, region))

# %%
p.section("Har sparbesluten gett effekt?")
for item in savings_charts.effect_figures(df, events, [region]):
    if "missing" in item:
        p.missing(item["missing"])
    else:
        p.figure(item["fig"], alt=item["alt"], caption=item["caption"], example=item.get("example", False))
p.method("effekt")

# %%
findings = reconciliation.reconcile(df, orgs, region=region)
p.reading(reconciliation.short_reading(findings))
p.checks(reconciliation.check_table(findings), f"Summor som inte stämmer med sina delar, {name} (mnkr; differens = uppgivet − summa av delarna)")
p.method("summakontroll")

# %%
p.appendix(mine)
