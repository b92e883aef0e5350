"""Kolada v3 client, mapping and cache, tested offline against a local fake HTTP server.

The fake server (pytest-httpserver) serves responses in the API's JSON shape from
tests/fixtures/kolada/ (synthetic numbers, see the README there). Nothing here touches
the real data/ directory or the network.
"""
from __future__ import annotations

import json
import re
import socket
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from regionanalys.kolada import client as K
from regionanalys.kolada.analysis import cross_check, kolada_frame, kolada_ranking, kolada_series
from regionanalys.kolada.fetch import kolada as kolada_command
from regionanalys.kolada.fetch import parse_regions, parse_years
from regionanalys.data.loading import load
from regionanalys.data.parsing import parse_number
from regionanalys.data.registry import get_series, series_registry

FIXTURES = Path(__file__).parent / "fixtures" / "kolada"
REAL_BASE = "https://api.kolada.se/v3"
ALL_KPIS = ",".join(K.KPIS)


@pytest.fixture(autouse=True)
def _offline_env(monkeypatch):
    monkeypatch.setenv(K.MIN_INTERVAL_ENV, "0")
    monkeypatch.delenv(K.BASE_URL_ENV, raising=False)
    monkeypatch.delenv("REGIONANALYS_READ_LOG", raising=False)


@pytest.fixture
def base(httpserver) -> str:
    return httpserver.url_for("/v3").rstrip("/")


def fixture(name: str, base: str) -> str:
    """A fixture's JSON text with the real API host replaced by the fake server's."""
    return (FIXTURES / name).read_text(encoding="utf-8").replace(REAL_BASE, base)


def metadata_for(kpis: list[str]) -> str:
    doc = json.loads((FIXTURES / "kpi_metadata.json").read_text(encoding="utf-8"))
    doc["values"] = [v for v in doc["values"] if v["id"] in kpis]
    doc["count"] = len(doc["values"])
    return json.dumps(doc, ensure_ascii=False)


def client(base: str, **kw) -> K.KoladaClient:
    kw.setdefault("backoff", 0)
    kw.setdefault("min_interval", 0)
    kw.setdefault("max_retries", 2)
    return K.KoladaClient(base, **kw)


def serve(httpserver, path: str, body: str, query: str | None = None, status: int = 200, headers=None, oneshot=False):
    expect = httpserver.expect_oneshot_request if oneshot else httpserver.expect_request
    kwargs = {"query_string": query} if query is not None else {}
    expect(path, **kwargs).respond_with_data(body, status=status, headers=headers, content_type="application/json")


def serve_e2e(httpserver):
    serve(httpserver, f"/v3/kpi/{ALL_KPIS}", metadata_for(list(K.KPIS)))
    serve(httpserver, f"/v3/data/kpi/{ALL_KPIS}/municipality/0017,0000/year/2022,2023", fixture("data_e2e.json", ""))


SEED = """region;org;series;category;period;kind;value;unit;source;note
17;region;befolkning;;2022;utfall;283 976;personer;SCB, folkmängd 31 december 2022;
17;region;befolkning;;2023;utfall;283 548;personer;SCB, folkmängd 31 december 2023;
17;region;nettokostnader;;2023;utfall;11 776;mnkr;testkälla, rad 12;
17;region;skatt_statsbidrag;;2023;utfall;11 298;mnkr;testkälla, rad 20;
17;region;verksamhetens_resultat;;2023;utfall;−478;mnkr;testkälla, rad 36;
17;region;nettokostnadsutveckling;;2023;utfall;12;procent;testkälla, rad 40;
"""


@pytest.fixture
def data_dir(tmp_path) -> Path:
    root = tmp_path / "data"
    (root / "seeds").mkdir(parents=True)
    (root / "seeds" / "befolkning_och_ekonomi.csv").write_text(SEED, encoding="utf-8")
    return root


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------- client


def test_multi_page_response_follows_next_url(httpserver, base):
    path = "/v3/data/kpi/N60008/municipality/0017,0018/year/2022,2023"
    serve(httpserver, path, fixture("data_page1.json", base), query="per_page=5000")
    serve(httpserver, path, fixture("data_page2.json", base), query="page=2&per_page=5000")
    with client(base) as c:
        entries = [e for _, e in c.data(["N60008"], ["0017", "0018"], [2022, 2023])]
        assert c.requests == 2
    assert [(e["municipality"], e["period"]) for e in entries] == [("0017", 2022), ("0017", 2023), ("0018", 2022), ("0018", 2023)]


def test_next_page_key_is_accepted_too(httpserver, base):
    path = "/v3/data/kpi/N60008/municipality/0017,0018/year/2022,2023"
    page1 = json.loads(fixture("data_page1.json", base))
    page1["next_page"] = page1.pop("next_url")
    serve(httpserver, path, json.dumps(page1), query="per_page=5000")
    serve(httpserver, path, fixture("data_page2.json", base), query="page=2&per_page=5000")
    with client(base) as c:
        assert len(list(c.data(["N60008"], ["0017", "0018"], [2022, 2023]))) == 4


def test_page_links_going_in_circles_are_an_error(httpserver, base):
    path = "/v3/data/kpi/N60008/municipality/0017/year/2023"
    page = {"count": 0, "values": [], "next_url": f"{base}/data/kpi/N60008/municipality/0017/year/2023?page=1"}
    serve(httpserver, path, json.dumps(page))
    with client(base) as c, pytest.raises(K.KoladaFormatError, match="cirkel"):
        list(c.data(["N60008"], ["0017"], [2023]))


def test_ids_are_batched_at_most_25_per_call(httpserver, base):
    serve(httpserver, re.compile(r"^/v3/data/.*"), fixture("data_empty.json", base))
    serve(httpserver, re.compile(r"^/v3/kpi/.*"), fixture("data_empty.json", base))
    kpis = [f"N{i:05d}" for i in range(1, 31)]
    munis = [f"{i:04d}" for i in range(100, 127)]
    with client(base) as c:
        assert list(c.data(kpis, munis, [2023])) == []
        assert c.kpi_metadata(kpis) == {}
    paths = [req.path for req, _ in httpserver.log]
    data = [p.split("/") for p in paths if p.startswith("/v3/data/")]
    assert len(data) == 4  # 30 KPIs -> 25 + 5, 27 municipalities -> 25 + 2
    seen_k, seen_m = set(), set()
    for parts in data:
        k, m = parts[parts.index("kpi") + 1].split(","), parts[parts.index("municipality") + 1].split(",")
        assert len(k) <= 25 and len(m) <= 25
        seen_k |= set(k)
        seen_m |= set(m)
    assert seen_k == set(kpis) and seen_m == set(munis)
    meta = [p for p in paths if p.startswith("/v3/kpi/")]
    assert [len(p.rsplit("/", 1)[1].split(",")) for p in meta] == [25, 5]


def test_429_is_retried_after_the_servers_retry_after(httpserver, base):
    path = "/v3/kpi/N60008"
    serve(httpserver, path, '{"message": "Too Many Requests"}', status=429, headers={"Retry-After": "7"}, oneshot=True)
    serve(httpserver, path, metadata_for(["N60008"]))
    waits: list[float] = []
    with client(base, sleep=waits.append, backoff=0.25) as c:
        meta = c.kpi_metadata(["N60008"])
        assert c.requests == 2
    assert meta["N60008"]["title"] == K.KPIS["N60008"].title
    assert waits == [7.0]


def test_5xx_without_retry_after_backs_off_exponentially_then_gives_up(httpserver, base):
    serve(httpserver, "/v3/kpi/N60008", "upstream error", status=503)
    waits: list[float] = []
    with client(base, sleep=waits.append, backoff=0.5, max_retries=3) as c:
        with pytest.raises(K.KoladaHTTPError, match="HTTP 503") as err:
            c.kpi_metadata(["N60008"])
        assert c.requests == 4
    assert waits == [0.5, 1.0, 2.0]
    assert err.value.status == 503 and "/v3/kpi/N60008" in err.value.url


def test_rate_limit_waits_between_requests(httpserver, base):
    serve(httpserver, "/v3/kpi/N60008", metadata_for(["N60008"]))
    waits: list[float] = []
    with client(base, sleep=waits.append, min_interval=30) as c:
        c.kpi_metadata(["N60008"])
        c.kpi_metadata(["N60008"])
    assert len(waits) == 1 and 29 < waits[0] <= 30


def test_malformed_json_is_a_format_error_naming_the_url(httpserver, base):
    serve(httpserver, "/v3/kpi/N60008", '{"values": [ {"id": "N60008", "title": ')
    with client(base) as c, pytest.raises(K.KoladaFormatError, match="inte är giltig JSON") as err:
        c.kpi_metadata(["N60008"])
    assert err.value.url.endswith("/v3/kpi/N60008")


def test_unreachable_network_gives_a_swedish_error_naming_the_url():
    base = f"http://127.0.0.1:{closed_port()}/v3"
    with client(base, timeout=2) as c, pytest.raises(K.KoladaNetworkError) as err:
        c.kpi_metadata(["N60008"])
    assert "går inte att nå" in str(err.value)
    assert f"{base}/kpi/N60008" in str(err.value) and err.value.url == f"{base}/kpi/N60008"


def test_base_url_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv(K.BASE_URL_ENV, "http://example.invalid/kolada/v3/")
    with K.KoladaClient() as c:
        assert c.base_url == "http://example.invalid/kolada/v3"
        assert c.url("kpi/N60008") == "http://example.invalid/kolada/v3/kpi/N60008"
    with K.KoladaClient("http://other.invalid/v3") as c:
        assert c.base_url == "http://other.invalid/v3"
    monkeypatch.delenv(K.BASE_URL_ENV)
    with K.KoladaClient() as c:
        assert c.base_url == K.DEFAULT_BASE_URL


# --------------------------------------------------------------------------- fetch and cache


def test_end_to_end_fetch_writes_a_cache_the_loader_accepts(httpserver, base, data_dir):
    serve_e2e(httpserver)
    now = datetime(2025, 5, 2, 8, 30, tzinfo=timezone.utc)
    result = K.refresh_cache(regions=["17", "00"], years=[2022, 2023], data_dir=data_dir, client=client(base), now=now)
    path = result.path
    assert path == data_dir / "kolada" / "kolada.csv"
    assert result.rows_per_kpi == {k: 4 for k in K.KPIS}
    assert result.warnings == []
    assert result.skipped_other == 24  # genders K and M of N60030, N60065, N01951 (2 regions × 2 years each)

    df = load(data_dir)  # seed and cache together: no duplicate keys
    kol = df[df["source_file"] == "kolada/kolada.csv"]
    assert len(kol) == len(K.KPIS) * 4 + len(K.DERIVED) * 4  # 16 KPIs × 2 regions × 2 years, 5 derived series
    assert set(kol["kind"]) == {"utfall"} and set(kol["org"]) == {"region"} and not kol["example"].any()

    def value(series, region, year, category=""):
        rows = df[(df.series == series) & (df.region == region) & (df.year == year) & (df.category == category)]
        assert len(rows) == 1, (series, region, year, category)
        return rows.iloc[0]

    pop = value("befolkning", "17", 2023, "kolada")
    assert pop.value == 283548 and pop.unit == "personer"
    assert value("befolkning", "17", 2023).source.startswith("SCB")  # the seed row is still there
    net = value("kolada_verksamhetens_nettokostnader_per_inv", "17", 2023)
    assert net.value == 41500  # Kolada: -41500
    assert "tecken omvänt" in net.source and "minustecken" in net.note
    assert net.source == (
        "Kolada API v3, KPI N63012 'Verksamhetens nettokostnader enligt resultaträkningen region, kr/inv', hämtad 2025-05-02T08:30:00+00:00, "
        f"{base}/data/kpi/N63012/municipality/0017/year/2023 [tecken omvänt: Kolada redovisar värdet som negativt tal]"
    )
    assert value("kolada_sjukfranvaro", "17", 2023).value == 5.9  # gender T, not K or M
    assert value("kolada_nettokostnadsutveckling", "00", 2022).value == 7.5
    derived = value("kolada_verksamhetens_nettokostnader_mnkr", "17", 2023)
    assert derived.value == pytest.approx(round(41500 * 283548 / 1e6, 1)) and derived.unit == "mnkr"
    assert "Härledd" in derived.source and "Härledd" in derived.note
    tax = value("kolada_skatt_statsbidrag_mnkr", "00", 2023)
    assert tax.value == pytest.approx(round((27600 + 11500) * 10551707 / 1e6, 1))
    assert value("kolada_arets_resultat_mnkr", "17", 2023).value == pytest.approx(round(-1500 * 283548 / 1e6, 1))

    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "region;org;series;category;period;kind;value;unit;source;note;example"
    assert ";7,5;procent;" in text  # decimal comma
    meta = json.loads((data_dir / "kolada" / "metadata.json").read_text(encoding="utf-8"))
    assert meta["fetched_at"] == "2025-05-02T08:30:00+00:00" and meta["base_url"] == base
    assert meta["kpis"]["N63012"]["title"] == "Verksamhetens nettokostnader enligt resultaträkningen region, kr/inv" and meta["kpis"]["N63012"]["sign"] == -1
    assert meta["last_fetch"]["rows_per_kpi"]["N01951"] == 4 and meta["rows_total"] == 84
    assert meta["rows_in_cache"]["befolkning/kolada"] == 4
    assert not [p for p in (data_dir / "kolada").iterdir() if p.name.startswith(".")]  # no temp files left


def test_fetch_kolada_returns_the_cache_path(httpserver, base, data_dir):
    serve_e2e(httpserver)
    path = K.fetch_kolada(regions=["Värmland", "riket"], years=["2022", "2023"], data_dir=data_dir, client=client(base))
    assert path == K.cache_path(data_dir) and K.has_cache(data_dir)


def test_deleted_and_null_values_are_counted_not_written(httpserver, base, data_dir):
    serve(httpserver, "/v3/kpi/N63012,N63019", metadata_for(["N63012", "N63019"]))
    serve(httpserver, "/v3/data/kpi/N63012,N63019/municipality/0017/year/2022,2023", fixture("data_deleted.json", base))
    result = K.refresh_cache(["N63012", "N63019"], ["17"], [2022, 2023], data_dir=data_dir, client=client(base))
    assert result.rows_per_kpi == {"N63012": 1}
    assert result.skipped_deleted == {"N63012": 1} and result.skipped_missing == {"N63019": 1}
    df = load(data_dir)
    kol = df[df["source_file"] == "kolada/kolada.csv"]
    assert list(zip(kol.series, kol.year, kol.value)) == [("kolada_verksamhetens_nettokostnader_per_inv", 2023, 41500.0)]


def test_empty_result_leaves_no_cache(httpserver, base, data_dir):
    serve(httpserver, "/v3/kpi/N60008", metadata_for(["N60008"]))
    serve(httpserver, "/v3/data/kpi/N60008/municipality/0017/year/2023", fixture("data_empty.json", base))
    with pytest.raises(K.KoladaEmptyError, match="inga värden"):
        K.fetch_kolada(["N60008"], ["17"], [2023], data_dir=data_dir, client=client(base))
    assert not K.has_cache(data_dir)


def _existing_cache(data_dir: Path) -> dict[Path, bytes]:
    (data_dir / "kolada").mkdir(exist_ok=True)
    files = {
        data_dir / "kolada" / "kolada.csv": (
            "region;org;series;category;period;kind;value;unit;source;note;example\n"
            "17;region;kolada_sjukfranvaro;;2021;utfall;6,1;procent;Kolada API v3, KPI N60030 'x', hämtad 2024-01-01T00:00:00+00:00, u;;false\n"
        ).encode(),
        data_dir / "kolada" / "metadata.json": b'{"fetched_at": "2024-01-01T00:00:00+00:00"}\n',
    }
    for p, b in files.items():
        p.write_bytes(b)
    return files


def _unchanged(files: dict[Path, bytes]) -> bool:
    folder = next(iter(files)).parent
    return all(p.read_bytes() == b for p, b in files.items()) and sorted(folder.iterdir()) == sorted(files)


def test_network_failure_leaves_the_existing_cache_untouched(data_dir):
    files = _existing_cache(data_dir)
    base = f"http://127.0.0.1:{closed_port()}/v3"
    with pytest.raises(K.KoladaNetworkError, match="går inte att nå"):
        K.fetch_kolada(data_dir=data_dir, client=client(base, timeout=2))
    assert _unchanged(files)


def test_malformed_response_leaves_the_existing_cache_untouched(httpserver, base, data_dir):
    files = _existing_cache(data_dir)
    serve(httpserver, "/v3/kpi/N60008", metadata_for(["N60008"]))
    serve(httpserver, "/v3/data/kpi/N60008/municipality/0017/year/2023", '{"values": [{"kpi": "N60008", "municipality": "0017"')
    with pytest.raises(K.KoladaFormatError):
        K.fetch_kolada(["N60008"], ["17"], [2023], data_dir=data_dir, client=client(base))
    assert _unchanged(files)


def test_positive_net_cost_in_kolada_is_refused(httpserver, base, data_dir):
    files = _existing_cache(data_dir)
    body = json.loads(fixture("data_deleted.json", base))
    body["values"] = [body["values"][0]]
    body["values"][0]["values"][0]["value"] = 41500
    serve(httpserver, "/v3/kpi/N63012", metadata_for(["N63012"]))
    serve(httpserver, "/v3/data/kpi/N63012/municipality/0017/year/2023", json.dumps(body))
    with pytest.raises(K.KoladaFormatError, match="minustecken"):
        K.fetch_kolada(["N63012"], ["17"], [2023], data_dir=data_dir, client=client(base))
    assert _unchanged(files)


def test_a_key_collision_with_another_data_file_is_refused(httpserver, base, data_dir):
    (data_dir / "17_hand.csv").write_text(
        "region;org;series;category;period;kind;value;unit;source\n"
        "17;region;kolada_sjukfranvaro;;2023;utfall;5,9;procent;avskrivet för hand ur Kolada\n",
        encoding="utf-8",
    )
    serve_e2e(httpserver)
    with pytest.raises(K.KoladaValidationError, match="krockar") as err:
        K.fetch_kolada(regions=["17", "00"], years=[2022, 2023], data_dir=data_dir, client=client(base))
    assert any(p.file == "kolada/kolada.csv" and "dubblett" in p.message for p in err.value.problems)
    assert not K.has_cache(data_dir)


def test_a_partial_fetch_keeps_the_rest_of_the_cache(httpserver, base, data_dir):
    serve_e2e(httpserver)
    K.fetch_kolada(regions=["17", "00"], years=[2022, 2023], data_dir=data_dir, client=client(base))
    httpserver.clear()
    body = json.loads(fixture("data_e2e.json", base))
    body["values"] = [e for e in body["values"] if e["kpi"] == "N60008" and e["municipality"] == "0017" and e["period"] == 2023]
    body["values"][0]["values"][0]["value"] = 42000
    serve(httpserver, "/v3/kpi/N60008", metadata_for(["N60008"]))
    serve(httpserver, "/v3/data/kpi/N60008/municipality/0017/year/2023", json.dumps(body))
    result = K.refresh_cache(["N60008"], ["17"], [2023], data_dir=data_dir, client=client(base))
    assert result.kept_rows == len(K.KPIS) * 4 - 1 and result.rows_total == 84
    df = load(data_dir)
    n = df[(df.series == "kolada_nettokostnad_totalt_per_inv") & (df.region == "17")].set_index("year")["value"]
    assert n.to_dict() == {2022: 37200.0, 2023: 42000.0}
    assert len(df[df.series == "kolada_verksamhetens_nettokostnader_mnkr"]) == 4  # derived recomputed, not lost


def test_unknown_kpi_in_kolada_is_an_error(httpserver, base, data_dir):
    serve(httpserver, "/v3/kpi/N60008", fixture("data_empty.json", base))
    with pytest.raises(K.KoladaError, match="känner inte till"):
        K.fetch_kolada(["N60008"], ["17"], [2023], data_dir=data_dir, client=client(base))


def test_a_changed_kolada_title_is_reported(httpserver, base, data_dir):
    doc = json.loads(metadata_for(["N60008"]))
    doc["values"][0]["title"] = "Nettokostnad hälso- och sjukvård totalt, kr/inv"
    serve(httpserver, "/v3/kpi/N60008", json.dumps(doc, ensure_ascii=False))
    serve(httpserver, "/v3/data/kpi/N60008/municipality/0017,0018/year/2022,2023", fixture("data_page2.json", base))
    result = K.refresh_cache(["N60008"], ["17", "18"], [2022, 2023], data_dir=data_dir, client=client(base))
    assert len(result.warnings) == 1 and "hälso- och sjukvård" in result.warnings[0]
    assert "'Nettokostnad hälso- och sjukvård totalt, kr/inv'" in load(data_dir).query("region == '18'").iloc[-1]["source"]


# --------------------------------------------------------------------------- mapping details


def test_registry_has_every_kolada_series_with_its_unit():
    units = {k: get_series(s.series).unit for k, s in K.KPIS.items()}
    assert units["N01951"] == "personer" and K.KPIS["N01951"].series == "befolkning"
    assert K.KPIS["N01951"].category == "kolada"
    assert units["N60065"] == "arsarbetare"
    assert {units[k] for k in ("N60008", "N63012", "N63010", "N63011", "N63019", "N63132")} == {"kr_per_inv"}
    assert {units[k] for k in ("N63148", "N63009", "N63016", "N60030")} == {"procent"}
    assert {get_series(d.series).unit for d in K.DERIVED} == {"mnkr"}
    assert all(get_series(s).domain == "kolada" for s in K.KOLADA_SERIES if s != "befolkning")
    assert len(series_registry()) >= len(K.KOLADA_SERIES)


def test_status_goes_into_the_note_and_duplicates_are_counted():
    entry = {"kpi": "N60030", "municipality": "0017", "period": 2023,
             "values": [{"gender": "T", "count": 1, "status": "P", "value": 5.9, "isdeleted": False}]}
    result = K.FetchResult(Path("x"), Path("y"), "t", "b", ["N60030"], ["17"], [2023])
    rows = K.map_entries([("u", entry), ("u", entry)], titles={}, fetched_at="t", base_url="b",
                         kpis=["N60030"], regions=["17"], years=[2023], result=result)
    assert len(rows) == 1 and rows[0]["note"] == "Kolada-status: P." and result.duplicates == 1
    assert result.rows_per_kpi == {"N60030": 1}


def test_a_non_finite_value_is_a_format_error():
    entry = {"kpi": "N60030", "municipality": "0017", "period": 2023, "values": [{"gender": "T", "value": float("nan")}]}
    with pytest.raises(K.KoladaFormatError, match="inte ett tal"):
        K.map_entries([("u", entry)], titles={}, fetched_at="t", base_url="b", kpis=["N60030"], regions=["17"], years=[2023])


@pytest.mark.parametrize("value", [0.0, 7.5, -4.2, 41500.0, 10551707.0, 1234.56789, -0.001, 1e-5])
def test_values_are_written_so_the_loader_reads_them_back(value):
    text = K.format_value(value)
    assert "e" not in text and "." not in text
    assert parse_number(text) == pytest.approx(value, abs=1e-6)


def test_default_years_are_the_last_ten_complete_years():
    assert K.default_years(date(2025, 5, 1)) == list(range(2015, 2025))


# --------------------------------------------------------------------------- analysis


def test_kolada_frame_and_ranking(httpserver, base, data_dir):
    df = load(data_dir)
    assert kolada_frame(df, "kolada_arsarbetare").empty and cross_check(df).empty and kolada_series(df) == []
    serve_e2e(httpserver)
    K.fetch_kolada(regions=["17", "00"], years=[2022, 2023], data_dir=data_dir, client=client(base))
    df = load(data_dir)
    frame = kolada_frame(df, "kolada_verksamhetens_nettokostnader_per_inv")
    assert list(frame.index) == ["17", "00"] and list(frame.columns) == [2022, 2023]
    assert frame.loc["00", 2023] == 40900
    pop = kolada_frame(df, "befolkning")  # only the Kolada rows, not the SCB seed
    assert list(pop.index) == ["17", "00"] and pop.loc["17", 2022] == 283976
    ranking = kolada_ranking(df, "kolada_verksamhetens_nettokostnader_per_inv", 2023)
    assert ranking.to_dict("records") == [
        {"region": "17", "name": "Region Värmland", "value": 41500.0, "rank": 1, "riket": 40900.0, "diff_riket": 600.0}
    ]
    assert "kolada_sjukfranvaro" in kolada_series(df)


def test_cross_check_puts_seed_and_kolada_side_by_side(httpserver, base, data_dir):
    serve_e2e(httpserver)
    K.fetch_kolada(regions=["17", "00"], years=[2022, 2023], data_dir=data_dir, client=client(base))
    table = cross_check(load(data_dir))
    rows = {(r.measure, r.year): r for r in table.itertuples()}
    result = rows[("Verksamhetens resultat i procent av skatt och statsbidrag mot N63016", 2023)]
    assert result.seed == pytest.approx(-478 / 11298 * 100)  # −4,2 %
    assert result.kolada == -3.8 and result.difference == pytest.approx(-3.8 + 478 / 11298 * 100)
    assert "finansiella poster" in result.comment
    per_inv = rows[("Verksamhetens nettokostnader per invånare (N63012)", 2023)]
    assert per_inv.seed == pytest.approx(11776e6 / 283548) and per_inv.kolada == 41500
    assert per_inv.relative_pct == pytest.approx((41500 - 11776e6 / 283548) / (11776e6 / 283548) * 100)
    pop = rows[("Folkmängd 31 december (N01951)", 2022)]
    assert pop.seed == pop.kolada == 283976 and pop.difference == 0
    assert rows[("Nettokostnadsutveckling (N63148)", 2023)].difference == pytest.approx(0.4)
    assert set(table["region"]) == {"17"}  # the seed has no riket figures to compare


# --------------------------------------------------------------------------- CLI


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """Test app."""

    app.command("kolada")(kolada_command)
    return app


def _serve_page_fixtures(httpserver, base):
    path = "/v3/data/kpi/N60008/municipality/0017,0018/year/2022,2023"
    serve(httpserver, "/v3/kpi/N60008", metadata_for(["N60008"]))
    serve(httpserver, path, fixture("data_page1.json", base), query="per_page=5000")
    serve(httpserver, path, fixture("data_page2.json", base), query="page=2&per_page=5000")


def test_cli_command_fetches_and_prints_a_summary(httpserver, base, data_dir):
    _serve_page_fixtures(httpserver, base)
    args = ["kolada", "--kpi", "n60008", "--region", "Värmland,Örebro län", "--region", "0018",
            "--years", "2022-2023", "--base-url", base, "--data-dir", str(data_dir)]
    res = CliRunner().invoke(_app(), args)
    assert res.exit_code == 0, res.output
    assert "N60008" in res.output and "4 rader" in res.output and "Skrev" in res.output
    assert "0 borttagna" in res.output
    assert len(load(data_dir).query("series == 'kolada_nettokostnad_totalt_per_inv'")) == 4


def test_cli_reports_an_unreachable_kolada_in_swedish(data_dir, monkeypatch):
    monkeypatch.setenv(K.BACKOFF_ENV, "0")
    base = f"http://127.0.0.1:{closed_port()}/v3"
    res = CliRunner().invoke(_app(), ["kolada", "--kpi", "N60008", "--region", "17", "--years", "2023",
                                      "--base-url", base, "--data-dir", str(data_dir)])
    assert res.exit_code == 1
    assert "går inte att nå" in res.output and base in res.output


def test_cli_rejects_unknown_regions_and_years(data_dir):
    res = CliRunner().invoke(_app(), ["kolada", "--region", "Atlantis", "--data-dir", str(data_dir)])
    assert res.exit_code == 2 and "okänd region" in res.output
    res = CliRunner().invoke(_app(), ["kolada", "--kpi", "N99999", "--data-dir", str(data_dir)])
    assert res.exit_code == 2 and "okänt nyckeltal" in res.output


def test_option_parsing():
    from regionanalys.kolada import fetch as kolada_cli
    from regionanalys.data import parsing

    assert (kolada_cli.MIN_YEAR, kolada_cli.MAX_YEAR) == (parsing.MIN_YEAR, parsing.MAX_YEAR)
    assert parse_years(["2019-2021", "2023,2021"]) == [2019, 2020, 2021, 2023]
    assert parse_years(None) is None
    assert parse_regions(["Värmland, 0018", "24", "riket"]) == ["17", "18", "24", "00"]
    with pytest.raises(typer.BadParameter):
        parse_years(["2023-2021"])


def test_registered_in_the_project_cli_when_it_exists(httpserver, base, data_dir):
    cli = pytest.importorskip("regionanalys.cli")
    _serve_page_fixtures(httpserver, base)
    res = CliRunner().invoke(cli.app, ["fetch", "kolada", "--kpi", "N60008", "--region", "17,18", "--years", "2022,2023",
                                       "--base-url", base, "--data-dir", str(data_dir)])
    assert res.exit_code == 0, res.output
    assert K.has_cache(data_dir)
