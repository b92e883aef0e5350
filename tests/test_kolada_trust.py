"""The Kolada client does not trust the server: origin, body size, overall deadline.

Local fake servers only (pytest-httpserver on 127.0.0.1/localhost). "Off-host" here is a
second server on another port, or the same server under another host name: both are
another origin than the base URL's scheme, host and port.
"""
from __future__ import annotations

import json
import time

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from regionanalys.kolada import client as K
from test_kolada import _offline_env, client, fixture, metadata_for  # noqa: F401 - the autouse fixture applies here too

PATH = "/v3/data/kpi/N60008/municipality/0017,0018/year/2022,2023"


@pytest.fixture
def other():
    """A second server: another origin (other port)."""
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


def base_of(server) -> str:
    return server.url_for("/v3").rstrip("/")


def test_an_off_host_next_url_is_refused_and_never_requested(httpserver, other):
    base = base_of(httpserver)
    other.expect_request(PATH).respond_with_data(fixture("data_page2.json", base), content_type="application/json")
    httpserver.expect_request(PATH).respond_with_data(fixture("data_page1.json", base_of(other)), content_type="application/json")
    with client(base) as c, pytest.raises(K.KoladaOffsiteError, match="sidlänken") as err:
        list(c.data(["N60008"], ["0017", "0018"], [2022, 2023]))
    assert err.value.url.startswith(base_of(other))
    assert len(other.log) == 0 and len(httpserver.log) == 1


def test_another_host_name_for_the_same_server_is_another_origin(httpserver):
    base = base_of(httpserver)
    assert "://localhost:" in base
    alias = base.replace("://localhost:", "://127.0.0.1:")
    httpserver.expect_request(PATH).respond_with_data(fixture("data_page1.json", alias), content_type="application/json")
    with client(base) as c, pytest.raises(K.KoladaOffsiteError):
        list(c.data(["N60008"], ["0017", "0018"], [2022, 2023]))
    assert len(httpserver.log) == 1


def test_an_off_host_redirect_is_refused_and_never_requested(httpserver, other):
    base = base_of(httpserver)
    other.expect_request("/v3/kpi/N60008").respond_with_data('{"values": []}', content_type="application/json")
    httpserver.expect_request("/v3/kpi/N60008").respond_with_data(
        "", status=302, headers={"Location": other.url_for("/v3/kpi/N60008")})
    with client(base) as c, pytest.raises(K.KoladaOffsiteError, match="omdirigeringen") as err:
        c.kpi_metadata(["N60008"])
    assert err.value.url == other.url_for("/v3/kpi/N60008")
    assert len(other.log) == 0


def test_a_same_origin_redirect_is_followed_and_the_fetched_url_recorded(httpserver, tmp_path):
    base = base_of(httpserver)
    httpserver.expect_request("/v3/kpi/N60008").respond_with_data("", status=301, headers={"Location": "/mirror/kpi/N60008"})
    httpserver.expect_request("/mirror/kpi/N60008").respond_with_data(metadata_for(["N60008"]), content_type="application/json")
    httpserver.expect_request(PATH, query_string="per_page=5000").respond_with_data(
        fixture("data_page1.json", base), content_type="application/json")
    httpserver.expect_request(PATH, query_string="page=2&per_page=5000").respond_with_data(
        fixture("data_page2.json", base), content_type="application/json")
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    result = K.refresh_cache(["N60008"], ["17", "18"], [2022, 2023], data_dir=data_dir, client=client(base))
    assert result.urls == [httpserver.url_for("/mirror/kpi/N60008"), f"{base}/data/kpi/N60008/municipality/0017,0018/year/2022,2023?per_page=5000",
                           f"{base}/data/kpi/N60008/municipality/0017,0018/year/2022,2023?page=2&per_page=5000"]
    saved = json.loads((data_dir / "kolada" / "metadata.json").read_text(encoding="utf-8"))
    assert saved["last_fetch"]["urls_fetched"] == result.urls


def test_an_off_host_page_link_leaves_the_existing_cache_untouched(httpserver, other, tmp_path):
    base = base_of(httpserver)
    cache = tmp_path / "data" / "kolada" / "kolada.csv"
    cache.parent.mkdir(parents=True)
    cache.write_text("region;org;series;category;period;kind;value;unit;source;note;example\n", encoding="utf-8")
    httpserver.expect_request("/v3/kpi/N60008").respond_with_data(metadata_for(["N60008"]), content_type="application/json")
    httpserver.expect_request(PATH).respond_with_data(fixture("data_page1.json", base_of(other)), content_type="application/json")
    other.expect_request(PATH).respond_with_data(fixture("data_page2.json", base), content_type="application/json")
    before = cache.read_bytes()
    with pytest.raises(K.KoladaOffsiteError):
        K.refresh_cache(["N60008"], ["17", "18"], [2022, 2023], data_dir=tmp_path / "data", client=client(base))
    assert cache.read_bytes() == before and len(other.log) == 0


@pytest.mark.parametrize("chunked", [False, True])
def test_an_oversize_body_is_refused_without_reading_it_whole(httpserver, chunked):
    body = b'{"values": [' + b'{"id": "N60008"},' * 2000 + b'{}]}'  # about 36 kB
    if chunked:  # no Content-Length: the limit must hold while streaming
        httpserver.expect_request("/v3/kpi/N60008").respond_with_handler(
            lambda request: Response((body[i:i + 1000] for i in range(0, len(body), 1000)), content_type="application/json"))
    else:
        httpserver.expect_request("/v3/kpi/N60008").respond_with_data(body, content_type="application/json")
    with client(base_of(httpserver), max_bytes=10_000) as c, pytest.raises(K.KoladaTooLargeError, match="10000 byte"):
        c.kpi_metadata(["N60008"])
    with client(base_of(httpserver), max_bytes=len(body)) as c:  # the same body within the limit is read
        assert c.kpi_metadata(["N60008"]) == {"N60008": {"id": "N60008"}}


def test_a_server_dripping_bytes_is_cut_at_the_deadline(httpserver):
    chunks = 200

    def drip(request):
        def body():
            yield b'{"values": []'
            for _ in range(chunks):  # a space every 20 ms: never a read timeout, 4 s in all
                time.sleep(0.02)
                yield b" "
            yield b"}"
        return Response(body(), content_type="application/json")

    httpserver.expect_request("/v3/kpi/N60008").respond_with_handler(drip)
    with client(base_of(httpserver), timeout=5, deadline=0.3, max_retries=3) as c:
        with pytest.raises(K.KoladaDeadlineError, match="inte färdigt inom 0.3 s") as err:
            c.kpi_metadata(["N60008"])
        assert c.requests == 1  # a deadline is not retried
    read = int(err.value.args[0].split("(")[1].split(" byte")[0])
    assert read < len(b'{"values": []') + chunks  # stopped before the end of the body
    assert isinstance(err.value, K.KoladaNetworkError)  # the CLI reports it like other network errors


@pytest.mark.parametrize("bad", ["api.kolada.se/v3", "ftp://example.invalid/v3", "/v3"])
def test_a_base_url_without_scheme_and_host_is_refused(bad):
    with pytest.raises(K.KoladaError, match="ingen fullständig http"):
        K.KoladaClient(bad)
