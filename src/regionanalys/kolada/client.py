"""Kolada API v3: regional key figures into a validated cache in the project's data format.

Kolada (RKA, https://www.kolada.se) publishes key figures (KPIs) for municipalities and
regions, mostly from SCB:s räkenskapssammandrag. :func:`fetch_kolada` asks the v3 API
for the KPIs in :data:`KPIS`, for all 21 regions and riket, and writes one shared
observation file, ``data/kolada/kolada.csv`` (``;``-separated, decimal comma, kind
``utfall``, org ``region``), plus ``data/kolada/metadata.json``.

The cache is only ever replaced whole and only by a table that the project's own loader
accepts: the new table is written to a temporary directory, loaded with
:func:`regionanalys.data.loading.load`, checked for key collisions with the other data files,
and then moved into place with :func:`os.replace`. A network failure, a malformed
response or an invalid table leaves the existing cache untouched.

Conventions (see also ``data/series/kolada.toml`` and ``data/kolada/README.md``):

* only gender ``T`` (total) is stored; values with ``isdeleted`` true and ``null``
  values are not written, and are counted in :class:`FetchResult`;
* signs follow the project: Kolada reports N63012 (verksamhetens nettokostnader) as a
  negative number, it is stored as a positive net cost (said so in ``source`` and
  ``note``);
* N01951 (invånare 31/12) is the series ``befolkning`` with category ``kolada``, so it
  never collides with the SCB figures in ``data/seeds/befolkning_scb.csv`` (category
  ``""``) for the same region and year;
* amounts in mnkr (net costs, tax and grants, result, balanskravsresultat) are derived
  as kr/inv × N01951 / 1 000 000 into separate ``kolada_*_mnkr`` series, marked
  "härledd" in ``source`` and ``note``.

Kolada has no KPI for hyrpersonal (rental staff) or närvarotid (:data:`NOT_IN_KOLADA`):
those figures still come from the regions' own documents. Kolada's KPI catalogue for
regions ships with the library (:mod:`regionanalys.kolada.catalogue`); the titles in
:data:`KPIS` are checked against it by the tests.
"""
from __future__ import annotations

import contextlib
import csv
import email.utils
import io
import json
import math
import os
import re
import tempfile
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from regionanalys import config
from regionanalys.data.csvout import safe_row
from regionanalys.data.loading import load, observation_files, validate
from regionanalys.data.parsing import CellError, parse_number
from regionanalys.data.fileio import atomic_write_text
from regionanalys.data.regions import REGIONS, UnknownRegionError, all_regions, resolve_region
from regionanalys.data.registry import get_series
from regionanalys.data.validation import DataError

if TYPE_CHECKING:  # httpx is imported where a request is made: report kernels read only cached files
    import httpx

DEFAULT_BASE_URL = "https://api.kolada.se/v3"
#: Environment variable overriding the API's base URL (e.g. a proxy or a test server).
BASE_URL_ENV = "KOLADA_BASE_URL"
#: Environment variable with the minimum number of seconds between two requests.
MIN_INTERVAL_ENV = "KOLADA_MIN_INTERVAL"
DEFAULT_MIN_INTERVAL = 0.5
#: Environment variable with the first retry's wait in seconds (doubled for each retry).
BACKOFF_ENV = "KOLADA_BACKOFF"
DEFAULT_BACKOFF = 1.0
#: The API accepts at most this many ids per path segment (kpis, municipalities, years).
MAX_IDS_PER_CALL = 25
#: Rows per page asked for; the API's maximum.
PER_PAGE = 5000
#: Safety stop when following next_url links.
MAX_PAGES = 1000
#: Largest response body read, in bytes (a full page of 5 000 values is about 1,5 MB).
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
#: Seconds one request (connect, headers and the whole body) may take at most.
DEFAULT_DEADLINE = 120.0
#: Redirects followed per request (only on the base URL's scheme, host and port).
MAX_REDIRECTS = 5
_DEFAULT_PORTS = {"http": 80, "https": 443}

CACHE_SUBDIR = "kolada"
CACHE_FILE = "kolada.csv"
METADATA_FILE = "metadata.json"
#: Category under which N01951 is stored in the existing ``befolkning`` series.
KOLADA_CATEGORY = "kolada"
ORG = "region"
KIND = "utfall"
FIELDS = ["region", "org", "series", "category", "period", "kind", "value", "unit", "source", "note", "example"]
USER_AGENT = "regionanalys/0.1 (reports on Swedish regions' finances; python-httpx)"

NOTE_NEGATED = "Kolada redovisar verksamhetens nettokostnader med minustecken, här lagrade som positiv nettokostnad enligt projektets tecken."


# --------------------------------------------------------------------------- errors


class KoladaError(RuntimeError):
    """Anything that stops a Kolada fetch; the message is Swedish and names the URL."""

    def __init__(self, message: str, url: str = ""):
        super().__init__(message)
        self.url = url


class KoladaNetworkError(KoladaError):
    """Kolada could not be reached (connection refused, DNS, timeout)."""


class KoladaHTTPError(KoladaError):
    """Kolada answered with an error status (after retries for 429 and 5xx)."""

    def __init__(self, message: str, url: str = "", status: int = 0):
        super().__init__(message, url)
        self.status = status


class KoladaFormatError(KoladaError):
    """A response that is not the JSON shape the v3 API documents."""


class KoladaOffsiteError(KoladaError):
    """A redirect or page link pointing away from the base URL's scheme, host and port."""


class KoladaTooLargeError(KoladaError):
    """A response body larger than the client's byte limit."""


class KoladaDeadlineError(KoladaNetworkError):
    """A request (body included) that did not finish within the client's deadline."""


class KoladaEmptyError(KoladaError):
    """The fetch returned no values at all, so there is nothing to write."""


class KoladaValidationError(KoladaError):
    """The new table would not pass the project's validation; lists the problems."""

    def __init__(self, message: str, problems: Sequence = ()):
        super().__init__(message)
        self.problems = list(problems)


# --------------------------------------------------------------------------- KPI mapping


@dataclass(frozen=True)
class KpiSpec:
    """How one Kolada KPI is stored."""

    id: str
    series: str  #: series id in the registry
    title: str  #: Kolada's title as in the shipped catalogue; a different title at fetch time is a warning
    category: str = ""
    sign: int = 1  #: multiply Kolada's value by this to get the project's sign convention


#: The KPIs `fetch kolada` asks for by default: the standard comparison of the regions'
#: economy, kept as data in kolada/kpi_map.csv (id; series; title; category; sign). Titles
#: are Kolada's own, word for word (tests/test_kolada_catalogue.py checks them against the
#: shipped catalogue, kolada/kpi_catalogue.csv); sign −1 turns a KPI that Kolada defines as
#: negative (N63012) into the project's convention. Where a KPI is per invånare, the
#: catalogue says whether it divides by the population of 31/12 (N01951 of the same year
#: turns it back into mnkr, see DERIVED) or of 1 November (not convertible).
KPI_MAP_FILE = Path(__file__).with_name("kpi_map.csv")


def _read_kpi_map(path: Path = KPI_MAP_FILE) -> dict[str, KpiSpec]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    return {r["id"]: KpiSpec(r["id"], r["series"], r["title"], r["category"], int(r["sign"])) for r in rows}


KPIS: dict[str, KpiSpec] = _read_kpi_map()
#: What the reports must say when they compare staffing: Kolada's catalogue has no KPI
#: for hired staff (its only "inhyrd" KPIs are premises) and none for närvarotid.
NOT_IN_KOLADA = (
    "Kolada har inga nyckeltal för hyrpersonal (inhyrd personal) eller närvarotid; "
    "de uppgifterna kommer bara från regionernas egna dokument."
)
POPULATION_KPI = "N01951"


@dataclass(frozen=True)
class DerivedSpec:
    """An amount in mnkr derived as (sum of kr/inv series) × N01951 / 1 000 000."""

    series: str
    kpis: tuple[str, ...]  #: the kr/inv KPIs summed before multiplying


DERIVED: tuple[DerivedSpec, ...] = (
    DerivedSpec("kolada_verksamhetens_nettokostnader_mnkr", ("N63012",)),
    DerivedSpec("kolada_skatt_statsbidrag_mnkr", ("N63010", "N63011")),
    DerivedSpec("kolada_arets_resultat_mnkr", ("N63019",)),
    DerivedSpec("kolada_balanskravsresultat_mnkr", ("N63132",)),
    DerivedSpec("kolada_finansnetto_mnkr", ("N63000",)),
)

_BY_SERIES: dict[tuple[str, str], KpiSpec] = {(k.series, k.category): k for k in KPIS.values()}
DERIVED_SERIES = {d.series for d in DERIVED}
#: Every series id the Kolada cache may hold (N01951 only with category "kolada").
KOLADA_SERIES: tuple[str, ...] = tuple(dict.fromkeys([k.series for k in KPIS.values()] + [d.series for d in DERIVED]))


def resolve_kpi(value: str) -> str:
    """A KPI id from :data:`KPIS` ("n63012" -> "N63012"); ValueError names the known ids."""
    key = value.strip().upper()
    if key not in KPIS:
        raise ValueError(f"okänt nyckeltal {value!r}; kända nyckeltal: {', '.join(KPIS)}")
    return key


def default_years(today: date | None = None) -> list[int]:
    """The last ten complete years: with today in 2025, 2015–2024."""
    year = (today or date.today()).year
    return list(range(year - 10, year))


# --------------------------------------------------------------------------- client


def _chunks(items: Sequence, size: int = MAX_IDS_PER_CALL) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield list(items[i : i + size])


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    """(scheme, host, port) with the scheme's default port filled in."""
    scheme = url.scheme.lower()
    return scheme, (url.host or "").lower(), url.port or _DEFAULT_PORTS.get(scheme)


def _retry_after(headers: httpx.Headers) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), if any."""
    value = headers.get("Retry-After", "").strip()
    if not value:
        return None
    if re.fullmatch(r"\d+(\.\d+)?", value):
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


class KoladaClient:
    """A thin, polite client for Kolada's v3 API.

    * ``base_url``: argument, else ``$KOLADA_BASE_URL``, else ``https://api.kolada.se/v3``;
    * paging: follows ``next_url`` (or ``next_page``) until it is empty;
    * batching: at most :data:`MAX_IDS_PER_CALL` ids per path segment;
    * retries: 429 and 5xx (and connection errors) are retried with exponential backoff
      ``backoff × 2**attempt`` (``backoff``: argument, else ``$KOLADA_BACKOFF``, else 1 s),
      or after the server's ``Retry-After``, capped at ``max_wait``;
    * rate limit: at least ``min_interval`` seconds between requests (argument, else
      ``$KOLADA_MIN_INTERVAL``, else 0,5 s; tests use 0);
    * errors: :class:`KoladaError` subclasses with a Swedish message naming the URL;
    * trust: redirects and page links are followed only on the base URL's scheme, host
      and port (:class:`KoladaOffsiteError` otherwise); a body is read streamed up to
      ``max_bytes`` (:class:`KoladaTooLargeError`), and a request with its body must end
      within ``deadline`` seconds (:class:`KoladaDeadlineError`, not retried). A server
      that sends nothing is cut by ``timeout``; one that drips bytes by ``deadline``: a
      request takes at most ``deadline`` + ``timeout`` (one blocked read) in all.
      :attr:`fetched_urls` lists the URLs actually fetched, after redirects.
    """

    def __init__(
        self,
        base_url: str | None = None,
        *,
        timeout: float = 30.0,
        deadline: float = DEFAULT_DEADLINE,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_retries: int = 4,
        backoff: float | None = None,
        max_wait: float = 120.0,
        min_interval: float | None = None,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
    ):
        import httpx  # noqa: PLC0415 - only when talking to Kolada

        self.base_url = (base_url or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL).rstrip("/")
        if min_interval is None:
            min_interval = float(os.environ.get(MIN_INTERVAL_ENV, DEFAULT_MIN_INTERVAL))
        self.min_interval = max(0.0, min_interval)
        self.max_retries = max_retries
        self.backoff = max(0.0, backoff if backoff is not None else float(os.environ.get(BACKOFF_ENV, DEFAULT_BACKOFF)))
        self.max_wait = max_wait
        self.requests = 0  #: HTTP requests sent, retries and redirects included
        self.deadline = deadline
        self.max_bytes = max_bytes
        self.fetched_urls: list[str] = []  #: final URL of every successful response
        base = httpx.URL(self.base_url)
        self._origin = _origin(base)
        if base.scheme not in ("http", "https") or not base.host:
            raise KoladaError(f"Koladas bas-URL {self.base_url!r} är ingen fullständig http(s)-adress")
        self._sleep = sleep
        self._last = 0.0
        self._http = httpx.Client(
            timeout=timeout,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            follow_redirects=False,  # followed by hand, only on the base URL's origin
            transport=transport,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> KoladaClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def url(self, path: str) -> str:
        """Absolute URL for a path relative to the base URL (absolute URLs pass through)."""
        if path.startswith(("http://", "https://")):
            return path
        return f"{self.base_url}/{path.lstrip('/')}"

    def _throttle(self) -> None:
        if self.min_interval and self._last:
            wait = self.min_interval - (time.monotonic() - self._last)
            if wait > 0:
                self._sleep(wait)
        self._last = time.monotonic()

    def check_origin(self, url: str, what: str = "adressen") -> None:
        """Raise :class:`KoladaOffsiteError` unless ``url`` is on the base URL's scheme, host and port."""
        import httpx  # noqa: PLC0415 - only when talking to Kolada

        if _origin(httpx.URL(url)) != self._origin:
            raise KoladaOffsiteError(
                f"Kolada-klienten följer inte {what} {url}: den ligger inte på bas-URL:ens server "
                f"({self.base_url}); bara samma schema, värd och port godtas. Cachen lämnas orörd.",
                url,
            )

    def _get_once(self, url: str, params: dict | None, shown: str) -> tuple[int, httpx.Headers, bytes, str]:
        """One GET with redirects (same origin only), a byte limit and an overall deadline.

        Returns (status, headers, body, final URL); the body is read only for status < 300.
        """
        end = time.monotonic() + self.deadline
        for _ in range(MAX_REDIRECTS + 1):
            self.check_origin(url)
            with self._http.stream("GET", url, params=params) as response:
                final = str(response.url)
                if response.is_redirect:
                    location = response.headers.get("Location", "")
                    url, params = urljoin(final, location), None
                    self.check_origin(url, "omdirigeringen till")
                    self.requests += 1
                    continue
                if response.status_code >= 300:
                    return response.status_code, response.headers, response.read()[:2000], final
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > self.max_bytes:
                    raise KoladaTooLargeError(self._too_large(shown, int(declared)), shown)
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise KoladaTooLargeError(self._too_large(shown, size), shown)
                    if time.monotonic() > end:
                        raise KoladaDeadlineError(
                            f"Kolada svarade inte färdigt inom {self.deadline:g} s på {shown} "
                            f"({size} byte hittills); försök igen senare. Cachen lämnas orörd.",
                            shown,
                        )
                    chunks.append(chunk)
                return response.status_code, response.headers, b"".join(chunks), final
        raise KoladaFormatError(f"Kolada omdirigerade mer än {MAX_REDIRECTS} gånger från {shown}", shown)

    def _too_large(self, shown: str, size: int) -> str:
        return (f"Koladas svar på {shown} är större än gränsen {self.max_bytes} byte ({size} byte); "
                "läser inte vidare. Cachen lämnas orörd.")

    def get_json(self, url: str, params: dict | None = None) -> dict:
        """One GET returning a JSON object, with retries; raises a :class:`KoladaError`."""
        import httpx  # noqa: PLC0415 - only when talking to Kolada

        url = self.url(url)
        shown = str(httpx.URL(url, params=params)) if params else url
        last: str = ""
        for attempt in range(self.max_retries + 1):
            self._throttle()
            self.requests += 1
            try:
                status, headers, body, final = self._get_once(url, params, shown)
            except httpx.TimeoutException as exc:
                last = f"ingen svar inom tidsgränsen ({type(exc).__name__})"
                retry_in = self.backoff * 2**attempt
            except httpx.TransportError as exc:
                last = f"{type(exc).__name__}: {exc}"
                retry_in = self.backoff * 2**attempt
            else:
                text = body.decode("utf-8", errors="replace")
                if status == 429 or status >= 500:
                    last = f"HTTP {status}"
                    if attempt == self.max_retries:
                        raise KoladaHTTPError(
                            f"Kolada svarade HTTP {status} på {shown} även efter {self.max_retries + 1} försök; försök igen senare.",
                            shown, status,
                        )
                    wait = _retry_after(headers)
                    self._sleep(min(self.max_wait, wait if wait is not None else self.backoff * 2**attempt))
                    continue
                if status >= 300:
                    raise KoladaHTTPError(f"Kolada svarade HTTP {status} på {shown}: {text[:200]}", shown, status)
                try:
                    payload = json.loads(body)
                except ValueError as exc:
                    raise KoladaFormatError(
                        f"Kolada svarade med något som inte är giltig JSON på {shown} ({exc}); början av svaret: {text[:80]!r}",
                        shown,
                    ) from None
                if not isinstance(payload, dict):
                    raise KoladaFormatError(f"Kolada svarade med {type(payload).__name__}, inte ett JSON-objekt, på {shown}", shown)
                self.fetched_urls.append(final)
                return payload
            if attempt < self.max_retries:
                self._sleep(min(self.max_wait, retry_in))
        raise KoladaNetworkError(
            f"Kolada går inte att nå: {shown} ({last}). Kontrollera nätverket eller {BASE_URL_ENV}; "
            "den befintliga Kolada-cachen lämnas orörd.",
            shown,
        )

    def pages(self, path: str, params: dict | None = None) -> Iterator[tuple[str, dict]]:
        """Every page of a listing as (url, payload), following next_url/next_page."""
        import httpx  # noqa: PLC0415 - only when talking to Kolada

        url: str | None = self.url(path)
        seen: set[str] = set()
        while url:
            full = str(httpx.URL(url, params=params)) if params else url
            if full in seen or len(seen) >= MAX_PAGES:
                raise KoladaFormatError(f"Koladas sidlänkar går i cirkel eller tar aldrig slut vid {full}", full)
            seen.add(full)
            payload = self.get_json(url, params)
            if not isinstance(payload.get("values"), list):
                raise KoladaFormatError(f"Koladas svar på {url} saknar listan 'values'", url)
            yield url, payload
            nxt = payload.get("next_url") or payload.get("next_page")
            if nxt and not isinstance(nxt, str):
                raise KoladaFormatError(f"Koladas svar på {url} har en sidlänk som inte är text: {nxt!r}", url)
            url = urljoin(url, nxt) if nxt else None
            if url:
                self.check_origin(url, "sidlänken (next_url)")
            params = None  # the next link carries its own query string

    def get_all(self, path: str, params: dict | None = None) -> list[dict]:
        """All ``values`` of a listing, over every page."""
        return [v for _, payload in self.pages(path, params) for v in payload["values"]]

    def kpi_metadata(self, kpi_ids: Sequence[str]) -> dict[str, dict]:
        """Metadata (title, description, ...) per KPI id, from ``/kpi/{ids}``."""
        out: dict[str, dict] = {}
        for batch in _chunks(list(kpi_ids)):
            for item in self.get_all(f"kpi/{','.join(batch)}"):
                if isinstance(item, dict) and "id" in item:
                    out[str(item["id"])] = item
        return out

    def municipalities(self) -> list[dict]:
        """Kolada's municipalities and regions (id, title, type), from ``/municipality``."""
        return self.get_all("municipality", {"per_page": PER_PAGE})

    def data(
        self, kpis: Sequence[str], municipalities: Sequence[str], years: Sequence[int | str]
    ) -> Iterator[tuple[str, dict]]:
        """(url, entry) for every data entry, batching every id list to ≤ 25 per call.

        An entry is ``{"kpi", "municipality", "period", "values": [{"gender", "count",
        "status", "value", "isdeleted"}]}`` as the API returns it.
        """
        for k in _chunks(list(kpis)):
            for m in _chunks(list(municipalities)):
                for y in _chunks([str(v) for v in years]):
                    path = f"data/kpi/{','.join(k)}/municipality/{','.join(m)}/year/{','.join(y)}"
                    for url, payload in self.pages(path, {"per_page": PER_PAGE}):
                        for entry in payload["values"]:
                            yield url, entry


# --------------------------------------------------------------------------- mapping


@dataclass
class FetchResult:
    """What a fetch did; :func:`fetch_kolada` returns only ``path``."""

    path: Path
    metadata_path: Path
    fetched_at: str
    base_url: str
    kpis: list[str]
    regions: list[str]
    years: list[int]
    titles: dict[str, str] = field(default_factory=dict)
    rows_per_kpi: Counter = field(default_factory=Counter)  #: rows written from this fetch
    derived_rows: Counter = field(default_factory=Counter)  #: derived rows per series in the cache
    skipped_deleted: Counter = field(default_factory=Counter)  #: per KPI, isdeleted true
    skipped_missing: Counter = field(default_factory=Counter)  #: per KPI, value null
    skipped_other: int = 0  #: gender K/M, other municipalities, KPIs not asked for
    duplicates: int = 0
    kept_rows: int = 0  #: rows kept from the previous cache (outside this fetch's scope)
    rows_total: int = 0  #: rows in the written file
    requests: int = 0
    urls: list[str] = field(default_factory=list)  #: URLs actually fetched (after redirects)
    warnings: list[str] = field(default_factory=list)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return " ".join("".join(c for c in decomposed if c.isalnum() or c.isspace()).split())


def _number(value, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise KoladaFormatError(f"{where}: värdet {value!r} är inte ett tal")
    if isinstance(value, (int, float)) and math.isfinite(value):
        return float(value)
    if isinstance(value, str):
        try:
            return parse_number(value)
        except CellError:
            pass
    raise KoladaFormatError(f"{where}: värdet {value!r} är inte ett tal")


def _source(spec: KpiSpec, title: str, fetched_at: str, base_url: str, municipality: str, year: int) -> str:
    url = f"{base_url}/data/kpi/{spec.id}/municipality/{municipality}/year/{year}"
    text = f"Kolada API v3, KPI {spec.id} '{title}', hämtad {fetched_at}, {url}"
    if spec.sign < 0:
        text += " [tecken omvänt: Kolada redovisar värdet som negativt tal]"
    return text


def map_entries(
    entries: Iterable[tuple[str, dict]],
    *,
    titles: dict[str, str],
    fetched_at: str,
    base_url: str,
    kpis: Iterable[str],
    regions: Iterable[str],
    years: Iterable[int],
    result: FetchResult | None = None,
) -> list[dict]:
    """Rows in the project's data format from Kolada data entries.

    Keeps gender ``T`` for the asked KPIs, regions and years; counts (in ``result``)
    deleted values, null values, everything else skipped and duplicates.
    """
    wanted_kpis, wanted_regions, wanted_years = set(kpis), set(regions), {int(y) for y in years}
    rows: dict[tuple[str, str, int], dict] = {}
    for url, entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("values"), list):
            raise KoladaFormatError(f"Koladas svar på {url} har en post utan listan 'values': {str(entry)[:120]}", url)
        kpi = str(entry.get("kpi", ""))
        try:
            region = resolve_region(str(entry.get("municipality", "")))
            year = int(entry.get("period"))
        except (UnknownRegionError, TypeError, ValueError):
            if result is not None:
                result.skipped_other += 1
            continue
        if kpi not in wanted_kpis or region not in wanted_regions or year not in wanted_years:
            if result is not None:
                result.skipped_other += 1
            continue
        spec = KPIS[kpi]
        for item in entry["values"]:
            if not isinstance(item, dict):
                raise KoladaFormatError(f"Koladas svar på {url} har ett värde som inte är ett objekt: {item!r}", url)
            if item.get("gender") != "T":
                if result is not None:
                    result.skipped_other += 1
                continue
            if item.get("isdeleted") is True:
                if result is not None:
                    result.skipped_deleted[kpi] += 1
                continue
            value = _number(item.get("value"), f"{kpi} {entry.get('municipality')} {year}")
            if value is None:
                if result is not None:
                    result.skipped_missing[kpi] += 1
                continue
            if spec.sign < 0 and value > 0:
                raise KoladaFormatError(
                    f"{kpi} för {entry.get('municipality')} {year} är {value:g} i Kolada; registret antar att Kolada "
                    f"redovisar nettokostnaden med minustecken. Kontrollera nyckeltalet innan tecknet ändras i kolada.py.",
                    url,
                )
            notes = [NOTE_NEGATED] if spec.sign < 0 else []
            status = str(item.get("status") or "").strip()
            if status:
                notes.append(f"Kolada-status: {status}.")
            key = (kpi, region, year)
            if result is not None:
                if key in rows:
                    result.duplicates += 1
                else:
                    result.rows_per_kpi[kpi] += 1
            rows[key] = {
                "region": region, "org": ORG, "series": spec.series, "category": spec.category,
                "period": year, "kind": KIND, "value": value * spec.sign + 0.0, "unit": _unit(spec.series),
                "source": _source(spec, titles.get(kpi, spec.title), fetched_at, base_url, REGIONS[region].kolada_id, year),
                "note": " ".join(notes), "example": False, "_kpi": kpi,
            }
    return list(rows.values())


def _unit(series_id: str) -> str:
    return get_series(series_id).unit


def derive(rows: list[dict], computed_at: str) -> list[dict]:
    """The derived mnkr rows (:data:`DERIVED`) for every region-year with all inputs."""
    per_inv: dict[tuple[str, str, int], float] = {}
    for r in rows:
        spec = _BY_SERIES.get((r["series"], r["category"]))
        if spec is not None:
            per_inv[(spec.id, r["region"], int(r["period"]))] = float(r["value"])
    out = []
    places = sorted({(reg, yr) for (k, reg, yr) in per_inv if k == POPULATION_KPI})
    for d in DERIVED:
        for region, year in places:
            inputs = [per_inv.get((k, region, year)) for k in d.kpis]
            if any(v is None for v in inputs):
                continue
            population = per_inv[(POPULATION_KPI, region, year)]
            value = round(sum(inputs) * population / 1e6, 1) + 0.0
            formula = " + ".join(d.kpis)
            formula = f"({formula})" if len(d.kpis) > 1 else formula
            out.append({
                "region": region, "org": ORG, "series": d.series, "category": "", "period": year, "kind": KIND,
                "value": value, "unit": "mnkr",
                "source": f"Härledd ur Kolada API v3: KPI {formula} (kr/inv) × KPI {POPULATION_KPI} (invånare 31/12) / 1 000 000, beräknad {computed_at}. Se raderna för {', '.join(d.kpis)} och {POPULATION_KPI} i samma fil",
                "note": "Härledd, inte ett belopp ur räkenskaperna: Koladas kr/inv är avrundade och kan bygga på en annan befolkningsuppgift än 31/12. Avrundad till 0,1 mnkr.",
                "example": False, "_kpi": "",
            })
    return out


# --------------------------------------------------------------------------- writing


def format_value(value: float) -> str:
    """A number the way the data files write it: decimal comma, no exponent."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def to_csv(rows: list[dict]) -> str:
    """The cache file's text: a header and one ``;``-separated line per row."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\n")
    writer.writerow(FIELDS)
    for r in rows:
        writer.writerow(safe_row([  # no cell a spreadsheet would execute (the loader reads it back)
            r["region"], r["org"], r["series"], r["category"], str(r["period"]), r["kind"],
            format_value(float(r["value"])), r["unit"], r["source"], r["note"], "true" if r["example"] else "false",
        ]))
    return buf.getvalue()


def _sort_key(r: dict) -> tuple:
    order = {s: i for i, s in enumerate(KOLADA_SERIES)}
    region = r["region"]
    return (order.get(r["series"], len(order)), r["category"], region == "00", region, int(r["period"]))


@contextlib.contextmanager
def _no_read_log() -> Iterator[None]:
    """Validation reads temporary files; keep them out of the report runner's read log."""
    saved = os.environ.pop(config.READ_LOG_ENV, None)
    try:
        yield
    finally:
        if saved is not None:
            os.environ[config.READ_LOG_ENV] = saved


def validate_cache_text(text: str, data_dir: Path, cache_path: Path) -> None:
    """Raise :class:`KoladaValidationError` unless the new cache text is valid data.

    The text is loaded on its own from a temporary directory with the project's loader,
    then checked together with the other observation files of ``data_dir`` for duplicate
    keys (only errors in the new file count: another file's own problems are not ours to
    fix, and warnings do not stop :func:`~regionanalys.data.loading.load` either).
    """
    rel = cache_path.relative_to(data_dir) if cache_path.is_relative_to(data_dir) else Path(CACHE_SUBDIR) / CACHE_FILE
    with tempfile.TemporaryDirectory(prefix="kolada-check-") as tmp, _no_read_log():
        alone = Path(tmp) / "alone"
        (alone / rel).parent.mkdir(parents=True)
        (alone / rel).write_text(text, encoding="utf-8")
        try:
            load(alone)
        except DataError as exc:
            raise KoladaValidationError(
                f"Den nya Kolada-tabellen klarar inte valideringen; cachen lämnas orörd.\n{exc}", exc.problems
            ) from None
        together = Path(tmp) / "together"
        (together / rel).parent.mkdir(parents=True)
        (together / rel).write_text(text, encoding="utf-8")
        others = [p for p in observation_files(data_dir) if p.resolve() != cache_path.resolve()] if data_dir.is_dir() else []
        for p in others:
            target = together / p.relative_to(data_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            # a copy, not a symlink: the loader does not follow links out of its data folder
            target.write_bytes(p.read_bytes())
        ours = [p for p in validate(together) if p.file == rel.as_posix() and getattr(p, "is_error", True)]
        if ours:
            raise KoladaValidationError(
                "Den nya Kolada-tabellen krockar med andra datafiler; cachen lämnas orörd.\n" + DataError(ours).args[0], ours
            )


def read_cache(path: Path) -> tuple[list[dict], list[str]]:
    """Rows of an existing cache file (values as floats), and warnings for rows dropped."""
    if not path.exists():
        return [], []
    rows, warnings = [], []
    try:
        text = path.read_text(encoding="utf-8-sig")
        reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=";")
        for line, rec in enumerate(reader, start=2):
            try:
                series, category = rec["series"], rec["category"] or ""
                if series not in KOLADA_SERIES or (series == "befolkning" and category != KOLADA_CATEGORY):
                    raise ValueError(f"serien {series!r} hör inte till Kolada-cachen")
                spec = _BY_SERIES.get((series, category))
                rows.append({
                    "region": resolve_region(rec["region"]), "org": rec["org"], "series": series, "category": category,
                    "period": int(rec["period"]), "kind": rec["kind"], "value": parse_number(rec["value"]),
                    "unit": rec["unit"], "source": rec["source"], "note": rec.get("note") or "",
                    "example": (rec.get("example") or "").strip().lower() in ("true", "1", "ja", "sant"),
                    "_kpi": spec.id if spec else "",
                })
            except (KeyError, TypeError, ValueError, CellError, UnknownRegionError) as exc:
                warnings.append(f"{path.name} rad {line} i den gamla cachen behålls inte: {exc}")
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        return [], [f"den gamla cachen {path} går inte att läsa och ersätts helt: {exc}"]
    return rows, warnings


def _read_metadata(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


# --------------------------------------------------------------------------- fetch


def _resolve_regions(regions: Iterable[str | int] | None) -> list[str]:
    if regions is None:
        return [r.code for r in all_regions(include_riket=True)]
    return list(dict.fromkeys(resolve_region(r) for r in regions))


def refresh_cache(
    kpis: Iterable[str] | None = None,
    regions: Iterable[str | int] | None = None,
    years: Iterable[int | str] | None = None,
    base_url: str | None = None,
    data_dir: str | os.PathLike | None = None,
    *,
    client: KoladaClient | None = None,
    now: datetime | None = None,
) -> FetchResult:
    """Fetch from Kolada and replace the cache atomically; returns what was done.

    Rows in the existing cache outside this fetch's scope (other KPIs, regions or years)
    are kept, so ``--kpi N60008`` does not wipe the rest. The derived series are always
    recomputed from the resulting table. Raises a :class:`KoladaError` (cache untouched)
    on any network, format or validation failure, or when nothing was returned.
    """
    kpi_ids = list(dict.fromkeys(resolve_kpi(k) for k in (kpis if kpis is not None else KPIS)))
    region_codes = _resolve_regions(regions)
    year_list = sorted({int(y) for y in years}) if years is not None else default_years()
    if not kpi_ids or not region_codes or not year_list:
        raise ValueError("minst ett nyckeltal, en region och ett år behövs")
    root = config.data_dir(data_dir)
    target = root / CACHE_SUBDIR / CACHE_FILE
    meta_path = root / CACHE_SUBDIR / METADATA_FILE
    stamp = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(microsecond=0).isoformat()

    own_client = client is None
    client = client or KoladaClient(base_url)
    result = FetchResult(
        path=target, metadata_path=meta_path, fetched_at=stamp, base_url=client.base_url,
        kpis=kpi_ids, regions=region_codes, years=year_list,
    )
    try:
        meta = client.kpi_metadata(kpi_ids)
        missing = [k for k in kpi_ids if k not in meta]
        if missing:
            raise KoladaError(f"Kolada känner inte till nyckeltalen {', '.join(missing)} ({client.url('kpi/' + ','.join(missing))})")
        result.titles = {k: str(meta[k].get("title") or KPIS[k].title).strip() for k in kpi_ids}
        for k in kpi_ids:
            if _fold(result.titles[k]) != _fold(KPIS[k].title):
                result.warnings.append(
                    f"{k}: Koladas rubrik är '{result.titles[k]}', registret antar '{KPIS[k].title}' – "
                    f"kontrollera att serien {KPIS[k].series} mäter det registret säger."
                )
        entries = client.data(kpi_ids, [REGIONS[r].kolada_id for r in region_codes], year_list)
        new_rows = map_entries(
            entries, titles=result.titles, fetched_at=stamp, base_url=client.base_url,
            kpis=kpi_ids, regions=region_codes, years=year_list, result=result,
        )
    finally:
        result.requests = client.requests
        result.urls = list(dict.fromkeys(client.fetched_urls))
        if own_client:
            client.close()
    if not new_rows:
        raise KoladaEmptyError(
            f"Kolada returnerade inga värden för {', '.join(kpi_ids)}, {len(region_codes)} områden och åren "
            f"{year_list[0]}–{year_list[-1]}; cachen lämnas orörd.",
            client.url("data/kpi/" + ",".join(kpi_ids)),
        )

    old_rows, warnings = read_cache(target)
    result.warnings.extend(warnings)
    scope_k, scope_r, scope_y = set(kpi_ids), set(region_codes), set(year_list)
    kept = [
        r for r in old_rows
        if r["_kpi"] and not (r["_kpi"] in scope_k and r["region"] in scope_r and int(r["period"]) in scope_y)
    ]
    result.kept_rows = len(kept)
    primary = kept + new_rows
    derived = derive(primary, stamp)
    result.derived_rows = Counter(r["series"] for r in derived)
    rows = sorted(primary + derived, key=_sort_key)
    result.rows_total = len(rows)

    text = to_csv(rows)
    validate_cache_text(text, root, target)
    atomic_write_text(target, text)

    old_meta = _read_metadata(meta_path)
    titles = dict(old_meta.get("kpis", {})) if isinstance(old_meta.get("kpis"), dict) else {}
    for k in kpi_ids:
        titles[k] = {"title": result.titles[k], "series": KPIS[k].series, "category": KPIS[k].category,
                     "unit": _unit(KPIS[k].series), "sign": KPIS[k].sign, "fetched_at": stamp}
    in_cache = Counter(r["series"] + (f"/{r['category']}" if r["category"] else "") for r in rows)
    metadata = {
        "fetched_at": stamp,
        "base_url": client.base_url,
        "file": f"{CACHE_SUBDIR}/{CACHE_FILE}",
        "last_fetch": {
            "kpis": kpi_ids, "regions": region_codes, "years": year_list,
            "rows_per_kpi": dict(result.rows_per_kpi),
            "skipped_deleted": dict(result.skipped_deleted),
            "skipped_missing": dict(result.skipped_missing),
            "skipped_other": result.skipped_other,
            "duplicates": result.duplicates,
            "kept_rows_from_previous_cache": result.kept_rows,
            "requests": result.requests,
            "urls_fetched": result.urls,
            "warnings": result.warnings,
        },
        "kpis": titles,
        "rows_in_cache": dict(sorted(in_cache.items())),
        "rows_total": result.rows_total,
    }
    atomic_write_text(meta_path, json.dumps(metadata, ensure_ascii=False, indent=2) + "\n")
    return result


def fetch_kolada(*args, **kwargs) -> Path:
    """Fetch Kolada KPIs into ``data/kolada/kolada.csv``; returns the file's path.

    Takes the arguments of :func:`refresh_cache` (which says what is kept and when the
    cache is left untouched). Defaults: all :data:`KPIS`, all 21 regions and riket, the
    last ten complete years, base URL from ``$KOLADA_BASE_URL`` or ``https://api.kolada.se/v3``.
    """
    return refresh_cache(*args, **kwargs).path


def cache_path(data_dir: str | os.PathLike | None = None) -> Path:
    """Where the Kolada cache lives (it may not exist: only a real fetch creates it)."""
    return config.data_dir(data_dir) / CACHE_SUBDIR / CACHE_FILE


def has_cache(data_dir: str | os.PathLike | None = None) -> bool:
    """Whether a Kolada cache file exists, so a report can say when it does not."""
    return cache_path(data_dir).is_file()
