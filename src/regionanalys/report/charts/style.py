"""The shared chart style: colours, fonts, Swedish tick labels, the example-data mark,
decision markers and the compact PNG every chart is embedded as.

Every chart in every report is made through this module so the reports look alike and
a reader learns the colours once: each region keeps its colour in every chart. The colours
are defined here and nowhere else; all of them are from colour-blind-safe sets
(Okabe & Ito 2008 for regions, Paul Tol's "muted" set for categories).
"""
from __future__ import annotations

import contextlib
import functools
import io
import textwrap
import warnings

# No matplotlib.use() here: the backend is the caller's choice (inline in JupyterLab);
# the report runner selects a headless one for its workers (MPLBACKEND=Agg).
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Annotation, Text
from matplotlib.transforms import IdentityTransform

from regionanalys.data.formatting import axis_formatter, fmt_date
from regionanalys.report.patching import replaced

#: One colour per region and riket, the same in every chart of every report. The three first
#: users get the three most distinct Okabe–Ito colours; riket is near-black (it is the
#: reference); the other regions get the rest of the Okabe–Ito set and darker/lighter
#: shades of it (a chart highlights a few regions at a time, never all 21 in colour).
REGION_COLOURS = {
    "17": "#0072B2",  # Värmland: blue
    "18": "#D55E00",  # Örebro län: vermillion
    "24": "#009E73",  # Västerbotten: bluish green
    "00": "#222222",  # riket: near-black reference
    "01": "#E69F00", "03": "#56B4E9", "04": "#CC79A7", "05": "#A08700",
    "06": "#00466E", "07": "#8A3F00", "08": "#005F45", "09": "#9E6D00",
    "10": "#2D7FAF", "12": "#8E4F74", "13": "#6BC2A6", "14": "#F2B84B",
    "19": "#93CDED", "20": "#E3A6C8", "21": "#F08A4B", "22": "#4F9BD0",
    "23": "#5E6B00", "25": "#B05A91",
}
#: A region that is not highlighted (all 21 regions in a ranking).
OTHER_REGION = "#BBBBBB"
#: Colours with a meaning, used the same way in every chart. Targets and reference lines
#: are grey or black; measures take colours no region has.
COLOURS = {
    "kostnad": "#CC6677",
    "intakt": "#332288",
    "resultat": "#333333",
    "positiv": "#44AA99",
    "negativ": "#AA3377",
    "budget": "#8C8C8C",
    "plan": "#882255",
    "krav": "#000000",
    "utfall": "#333333",
    "referens": "#666666",
}
#: Staff groups, områden and other categories: a separate, colour-blind-safe set (Tol "muted").
CATEGORY_PALETTE = ["#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255", "#AA4499", "#DDDDDD"]
#: Decision markers on time axes.
EVENT_COLOUR = "#6D4C41"
#: The gid of each decision line :func:`mark_events` draws, so :class:`ClearOfEvents` finds them.
EVENT_GID = "regionanalys-event"
#: Points between a value label and a decision line (:class:`ClearOfEvents`).
EVENT_GAP = 2.0

EXAMPLE_MARK = "Exempeldata"
#: Resolution of the embedded PNGs: sharp on A4 paper (a 17 cm wide chart at 150 dpi is
#: ~1000 pixels), while a palette PNG keeps each chart around 20–50 kB.
PRINT_DPI = 150
PNG_COLOURS = 64
#: Height of the example-data footer band, inches (its own margin below the axis labels).
FOOTER_IN = 0.28
#: At most this many bars in a horizontal bar chart (about one A4 page): a region with
#: dozens of decisions or programmes, or a country of them, gets the largest ones, and the
#: chart's title says how many of how many.
MAX_BARS = 30


def cap_note(shown: int, total: int, what: str, table: str = "") -> str:
    """The line a chart capped at :data:`MAX_BARS` (or panels) adds to its title: how many of
    how many it shows, and which table lists them all (the same words in every report)."""
    rest = f"; {table} har alla" if table else ""
    return f"\nDiagrammet visar de {shown} största {what} av {total}{rest}."


def region_colour(code: str) -> str:
    """The region's one colour (grey for an unknown code)."""
    return REGION_COLOURS.get(str(code), OTHER_REGION)


def apply_style() -> None:
    """Set the project's matplotlib defaults (idempotent)."""
    plt.rcParams.update(
        {
            "figure.dpi": 100,
            "savefig.dpi": PRINT_DPI,
            "font.family": "DejaVu Sans",
            "font.size": 10,
            "axes.titlesize": 12,
            "axes.titleweight": "bold",
            "axes.titlelocation": "left",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "axes.grid.axis": "y",
            "grid.color": "#DDDDDD",
            "grid.linewidth": 0.8,
            "axes.axisbelow": True,
            "legend.frameon": False,
            "axes.formatter.use_locale": False,
            # Labels come from data (org names, sources): "$" is a character, never mathtext,
            # so "Område $A$" is shown as written instead of crashing or turning italic.
            "text.parse_math": False,
        }
    )


def new_figure(width: float = 8.0, height: float = 4.0, ncols: int = 1, **kwargs) -> tuple[Figure, Axes]:
    """A figure in the project style (one axes, or ``ncols`` side by side sharing y)."""
    apply_style()
    fig, ax = plt.subplots(1, ncols, figsize=(width, height), layout="constrained", **kwargs)
    return fig, ax


def swedish_axis(ax: Axes, decimals: int = 0, suffix: str = "", axis: str = "y") -> None:
    """Swedish tick labels on an axis (``1 000``, ``−2,5 %``)."""
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(axis_formatter(decimals, suffix))


def wrap_title(text: str, width: int = 60) -> str:
    """A long chart title on several lines (at word boundaries), so it is never cut."""
    return "\n".join(textwrap.fill(line, width, break_long_words=False) for line in str(text).split("\n"))


def fit_titles(fig: Figure) -> None:
    """Wrap every axes title and the figure's suptitle that is wider than the figure.

    Chart modules may pass long titles (a region's name and a measure); wrapping here at
    the figure's real width keeps them inside the picture whatever the font. Lays the
    figure out (its layout engine, no drawing) and again only if a title was wrapped.
    """
    renderer = fig.canvas.get_renderer()
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.execute(fig)
    if _wrap_titles(fig, renderer) and engine is not None:
        engine.execute(fig)


def _wrap_titles(fig: Figure, renderer) -> bool:
    """Wrap the titles wider than the figure at its current layout; whether any was wrapped."""
    width = fig.bbox.width
    titles = [fig._suptitle] if getattr(fig, "_suptitle", None) is not None else []
    for ax in fig.axes:
        titles += [ax.title, ax._left_title, ax._right_title]
    wrapped = False
    for text in titles:
        content = text.get_text()
        if not content:
            continue
        one_line = content.replace("\n", " ")
        chars = len(one_line)
        for _ in range(8):  # narrower until it fits (a centred title overflows on both sides)
            box = text.get_window_extent(renderer)
            if box.x0 >= 2 and box.x1 <= width - 2:
                break
            chars = max(12, int(chars * min(1.0, (width - 8) / max(box.width, 1)) * 0.9))
            text.set_text(wrap_title(one_line, chars))
            wrapped = True
    return wrapped


def mark_example(fig: Figure) -> None:
    """Stamp 'Exempeldata' across a figure built on generated example data.

    The footer line ("Exempeldata – inte verkliga siffror") is added by :func:`png_bytes`
    as its own band below the picture, so it never touches axis labels or a legend below
    the axes, whatever layout the chart uses.
    """
    fig.text(
        0.5, 0.5, EXAMPLE_MARK, fontsize=42, color="#C62828", alpha=0.18,
        ha="center", va="center", rotation=20, weight="bold", zorder=100,
    )
    fig._regionanalys_footer = f"{EXAMPLE_MARK} – inte verkliga siffror"


@functools.lru_cache(maxsize=8)
def _footer_band(text: str, width_px: int, dpi: int):
    """A white strip :data:`FOOTER_IN` high with ``text`` at the right, as a Pillow image
    (the same strip under every chart of a width: drawn once per process)."""
    from PIL import Image

    band = Figure(figsize=(width_px / dpi, FOOTER_IN))
    band.text(0.995, 0.5, text, fontsize=8, color="#C62828", ha="right", va="center")
    buf = io.BytesIO()
    band.savefig(buf, format="png", dpi=dpi, facecolor="white")
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


@functools.cache
def _size_free_locators() -> tuple[type, ...]:
    """Locators whose ticks depend on the view and never on the axis' length in the figure
    (MaxNLocator, AutoLocator and LogLocator fit their number of ticks to the length)."""
    from matplotlib import dates, ticker

    return (dates.RRuleLocator, dates.AutoDateLocator, ticker.FixedLocator, ticker.MultipleLocator,
            ticker.IndexLocator, ticker.NullLocator)


def _tick_key(axis) -> tuple:
    """What an axis' ticks depend on once the chart is built: its view, locators and
    formatters, the dpi, and its axes' place unless every locator ignores it."""
    ax = axis.axes
    major, minor = axis.major, axis.minor
    if isinstance(major.locator, _size_free_locators()) and isinstance(minor.locator, _size_free_locators()):
        # The same ticks wherever the layout puts the axes: the layout's second pass and
        # the draw reuse the first pass's ticks (a date axis re-runs its rrules otherwise).
        where = None
    else:
        # The active position as laid out; get_position() would apply the aspect on each of
        # the ~50 calls per figure (our axes have aspect "auto": the two are the same).
        where = ax._position.bounds if hasattr(ax, "_position") else tuple(ax.get_position().bounds)
    # The locators and formatters themselves (compared by identity), not their ids: a key
    # holds them, so a new one can never pass for an old one at a reused address.
    return (tuple(axis.get_view_interval()), where, axis.get_figure(root=True).dpi,
            major.locator, minor.locator, major.formatter, minor.formatter)


def _memo_update(axis) -> None:
    """Let ``axis`` place and label its ticks once per :func:`_tick_key` in a row.

    matplotlib's ``Axis._update_ticks`` (private, present since 3.x) re-formats and
    re-positions every tick on each of its ~30 calls per figure. Only the last key is kept:
    the Tick objects are shared between calls, so an older result would hold moved ticks.
    """
    update = getattr(axis, "_update_ticks", None)
    if update is None or getattr(update, "_regionanalys_memo", False):
        return
    last: list = [None, None]

    def memo():
        key = _tick_key(axis)
        if last[0] != key:
            last[:] = [key, update()]
        return last[1]

    memo._regionanalys_memo = True
    axis._update_ticks = memo


def _memo_ticks(fig: Figure) -> None:
    """Memoize each axis' tick update (:func:`_memo_update`)."""
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            _memo_update(axis)


#: Text layouts (the box and line positions of a text relative to its anchor) by what they
#: depend on; shared by the charts of a process: tick labels repeat across charts.
_LAYOUTS: dict[tuple, tuple] = {}
_LAYOUTS_MAX = 50_000


#: The settings that change how the Agg renderer measures text (absent ones are skipped).
_TEXT_RC = ("text.hinting", "text.hinting_factor", "text.kerning_factor", "text.antialiased")


def _layout_key(text: Text, renderer, settings: tuple) -> tuple | None:
    """Everything matplotlib's ``Text._get_layout`` reads, or None for a text whose layout
    depends on more (wrapped text depends on its place in the figure)."""
    if text.get_wrap():
        return None
    return (
        text.get_text(), hash(text._fontproperties), text.get_usetex(), text.get_parse_math(),
        text._linespacing, text.get_rotation(), text.get_rotation_mode(), text._horizontalalignment,
        text._verticalalignment, text._get_multialignment(), text.get_figure(root=True).dpi,
        type(renderer), getattr(renderer, "dpi", None), settings,
    )


def _text_settings() -> tuple:
    """The values of :data:`_TEXT_RC` now (a setting deprecated in a newer matplotlib warns when read)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return tuple(plt.rcParams[k] for k in _TEXT_RC if k in plt.rcParams)


@contextlib.contextmanager
def _cached_text_layout(settings: tuple | None = None):
    """Lay each distinct text out once while a chart is laid out and drawn.

    matplotlib's ``Text._get_layout`` (private, present since 3.x) measures a text again on
    each of the ~4 calls per tick label and title (layout engine, tick label boxes, label and
    title placement, draw): 97 % of the calls repeat a layout already made (measured over the
    195 charts of 21 regions). Only inside this block, so analysts' own figures are untouched.
    """
    original = Text._get_layout
    if settings is None:
        settings = _text_settings()

    def cached(self, renderer):
        key = _layout_key(self, renderer, settings)
        if key is None:
            return original(self, renderer)
        hit = _LAYOUTS.get(key)
        if hit is None:
            if len(_LAYOUTS) >= _LAYOUTS_MAX:
                _LAYOUTS.clear()
            hit = _LAYOUTS[key] = original(self, renderer)
        bbox, info, rest = hit
        return bbox.frozen(), list(info), rest  # callers get their own copies of the mutable parts

    with replaced(Text, "_get_layout", cached):
        yield


#: Text bitmaps as Agg rasterizes them (the glyphs at the origin, with the offsets Agg places
#: them by), by text, font and settings; shared by the charts of a process.
_GLYPHS: dict[tuple, tuple] = {}
#: Bytes of bitmaps kept before the cache starts over (the 195 charts of 21 regions need ~3 MB).
_GLYPHS_MAX_BYTES = 32_000_000
_glyph_bytes = [0]


@contextlib.contextmanager
def _cached_glyphs(settings: tuple | None = None):
    """Rasterize each distinct text once while charts are drawn.

    Agg's ``RendererAgg.draw_text`` renders a text's glyphs to a bitmap on every draw, ~85 %
    of its time; 80 % of the texts drawn in a run repeat (tick labels, units, legends: 814
    distinct of 4 111 at 21 regions). The bitmap does not depend on where or at which angle
    the text goes (Agg rotates and places it afterwards), so the body below is matplotlib
    3.8–3.10's own ``draw_text`` with the bitmap kept: the same pixels (test). Only inside
    this block, so analysts' own figures are untouched.
    """
    from math import cos, radians, sin

    import numpy as np
    from matplotlib.backends.backend_agg import RendererAgg, get_hinting_flag

    original = RendererAgg.draw_text
    if settings is None:
        settings = _text_settings()
    hinting = get_hinting_flag()

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath:
            return original(self, gc, x, y, s, prop, angle, ismath, mtext)
        antialiased = gc.get_antialiased()
        key = (s, hash(prop), self.dpi, hinting, antialiased, settings)
        hit = _GLYPHS.get(key)
        if hit is None:
            font = self._prepare_font(prop)
            font.set_text(s, 0, flags=hinting)
            font.draw_glyphs_to_bitmap(antialiased=antialiased)
            xo, yo = font.get_bitmap_offset()
            image = np.array(font.get_image(), dtype=np.uint8, copy=True)
            if _glyph_bytes[0] + image.nbytes > _GLYPHS_MAX_BYTES:
                _GLYPHS.clear()
                _glyph_bytes[0] = 0
            hit = _GLYPHS[key] = (image, font.get_descent() / 64.0, xo / 64.0, yo / 64.0)
            _glyph_bytes[0] += image.nbytes
        image, descent, xo, yo = hit
        # The descent is adjusted for the angle, as matplotlib does.
        x = round(x + xo + descent * sin(radians(angle)))
        y = round(y + yo + descent * cos(radians(angle)))
        self._renderer.draw_text_image(image, x, y + 1, angle, gc)

    with replaced(RendererAgg, "draw_text", draw_text):
        yield


def _line_update_from(self: Line2D, other: Line2D) -> None:
    """matplotlib's ``Line2D.update_from`` (3.10), with ``other``'s MarkerStyle shared.

    matplotlib copies the marker with ``MarkerStyle(marker=other._marker)``, a deep copy of
    its paths and transforms: ~30 µs for each of the ~10 000 tick lines made while 21
    regions' charts are laid out (each new tick copies the first). A Line2D never changes
    its MarkerStyle, it makes a new one (``set_marker``), and matplotlib itself shares one
    given to ``Line2D(marker=...)``; so sharing it draws the same. A test compares every
    attribute with matplotlib's own method, so a matplotlib that copies more is noticed.
    """
    super(Line2D, self).update_from(other)
    for name in _LINE_COPIED:
        setattr(self, name, getattr(other, name))


#: What matplotlib's Line2D.update_from sets besides the Artist's part; ``_marker`` is the
#: one set to the other line's object itself (matplotlib sets a deep copy).
_LINE_COPIED = (
    "_linestyle", "_linewidth", "_color", "_gapcolor", "_markersize", "_markerfacecolor", "_markerfacecoloralt",
    "_markeredgecolor", "_markeredgewidth", "_unscaled_dash_pattern", "_dash_pattern", "_dashcapstyle",
    "_dashjoinstyle", "_solidcapstyle", "_solidjoinstyle", "_marker", "_drawstyle",
)


@contextlib.contextmanager
def _quick_layout(fig: Figure):
    """The tick memo (:func:`_memo_ticks`), the text-layout cache (:func:`_cached_text_layout`),
    the text-bitmap cache (:func:`_cached_glyphs`) and shared tick markers
    (:func:`_line_update_from`) for laying out and drawing ``fig``."""
    _memo_ticks(fig)
    settings = _text_settings()
    with _cached_text_layout(settings), _cached_glyphs(settings), replaced(Line2D, "update_from", _line_update_from):
        yield


def lay_out(fig: Figure) -> None:
    """Lay the figure out now, as :func:`png_bytes` will (same tick memo and text-layout
    cache): for a chart that sizes itself to its laid-out axes before it is drawn."""
    engine = fig.get_layout_engine()
    if engine is None:
        return
    with _quick_layout(fig):
        engine.execute(fig)


def _raster(fig: Figure, dpi: int):
    """The figure drawn once at ``dpi`` on a white background, as an RGB Pillow image.

    What ``savefig(format="png", dpi=dpi, facecolor="white")`` makes, without its extra
    layout pass and the PNG encode and decode: the layout is done once (by
    :func:`fit_titles`, at this dpi) and then frozen for the one Agg draw.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    if not isinstance(fig.canvas, FigureCanvasAgg):  # e.g. an interactive widget canvas: savefig's way
        fit_titles(fig)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
        return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
    fig.set_dpi(dpi)
    fig.set_facecolor("white")
    with _quick_layout(fig):
        fit_titles(fig)
        fig.set_layout_engine("none")  # keep the layout just made; the draw below must not redo it
        fig.canvas.draw()
    width, height = fig.canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), fig.canvas.buffer_rgba()).convert("RGB")
    if width * height * 4 >= _DROP_RASTER_BYTES:
        _drop_raster(fig)
    return image


#: An Agg buffer this large is let go before the palette step (:func:`_drop_raster`); a
#: smaller one goes with its figure (the walk over every text costs more than it saves).
_DROP_RASTER_BYTES = 16_000_000


def _drop_raster(fig: Figure) -> None:
    """Let the figure's Agg buffer go once its picture is copied, before the palette step:
    a tall chart (21 regions' results, 6 000 px) otherwise holds it through the memory peak
    of quantizing (measured: peak 284 -> 255 MB). Every text keeps the renderer it was
    drawn with; a later draw makes a new one."""
    for text in fig.findobj(Text):
        if getattr(text, "_renderer", None) is not None:
            text._renderer = None
    fig.canvas.renderer = None
    fig.canvas._lastKey = None  # get_renderer() must not hand out the dropped one


def png_bytes(fig: Figure, dpi: int = PRINT_DPI, colours: int = PNG_COLOURS) -> bytes:
    """The figure as a compact palette PNG at print resolution (titles wrapped to fit, the
    example-data footer in its own band below).

    Pillow's quantizer reduces the antialiased RGB picture to ``colours`` colours; charts
    have few colours, so text and lines stay sharp while the file is a third of an RGB PNG.
    """
    from PIL import Image

    image = _raster(fig, dpi)
    footer = getattr(fig, "_regionanalys_footer", None)
    if footer:
        band = _footer_band(footer, image.width, dpi)
        whole = Image.new("RGB", (image.width, image.height + band.height), "white")
        whole.paste(image, (0, 0))
        whole.paste(band, (0, image.height))
        image = whole
    small = image.quantize(colors=colours, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    out = io.BytesIO()
    # zlib level 6: a tenth of the time of optimize=True (level 9) for about 8 % more bytes.
    small.save(out, format="PNG", compress_level=6)
    return out.getvalue()


def _event_x(ax: Axes, when: pd.Timestamp) -> float | pd.Timestamp:
    """Where a date is on ``ax``: the date itself on a date axis; on an annual axis with one
    bar per year centred on the year's number, the fraction of that year."""
    from matplotlib.dates import DateConverter, _SwitchableDateConverter  # noqa: PLC0415

    converter = getattr(ax.xaxis, "get_converter", lambda: ax.xaxis.converter)()
    if isinstance(converter, (DateConverter, _SwitchableDateConverter)):
        return when
    return when.year - 0.5 + (when.day_of_year - 1) / (366 if when.is_leap_year else 365)


def short_label(text: str, width: int) -> str:
    """``text`` in at most ``width`` characters, cut after a whole word and ending in " …"
    when cut ("… inte dagen eller …", never "… eller innehå…" or textwrap's " [...]")."""
    return textwrap.shorten(text, width=width, placeholder=" …")


def mark_events(ax: Axes, events: pd.DataFrame | None, *, numbered: bool = True) -> list[Line2D]:
    """Decision markers on a monthly (date) or annual (year number) time axis.

    Each decision inside the axis' range is a thin dashed vertical line with a small
    number at the top; the returned legend handles ("(1) 21 nov 2022: Anställningsstopp …")
    carry the label, so labels never collide in the plot. ``events`` as from
    :func:`regionanalys.load_events` (``start``, ``label``), already filtered to the region.
    """
    from matplotlib.dates import date2num  # noqa: PLC0415

    if events is None or events.empty:
        return []
    lo, hi = ax.get_xlim()
    handles = []
    n = 0
    for ev in events.sort_values("start").itertuples(index=False):
        start = pd.Timestamp(ev.start)
        x = _event_x(ax, start)
        pos = date2num(x) if isinstance(x, pd.Timestamp) else x
        if not lo <= pos <= hi:
            continue
        n += 1
        ax.axvline(x, color=EVENT_COLOUR, linestyle=(0, (4, 3)), linewidth=1.0, zorder=1, gid=EVENT_GID)
        if numbered:
            ax.annotate(
                str(n), xy=(x, 1.0), xycoords=("data", "axes fraction"), xytext=(0, 2), textcoords="offset points",
                ha="center", va="bottom", fontsize=8, color="white", weight="bold",
                bbox={"boxstyle": "circle,pad=0.25", "fc": EVENT_COLOUR, "ec": "none"}, annotation_clip=False,
            )
        # A month-only date (the source names no day) is shown as the month, never a day.
        day = fmt_date(start, getattr(ev, "start_precision", "dag"), short=True)
        label = short_label(ev.label, 60)  # the timeline above the chart has the whole text
        handles.append(Line2D([], [], color=EVENT_COLOUR, linestyle=(0, (4, 3)), label=f"({n}) {day}: {label}" if numbered else f"{day}: {label}"))
    return handles


class ClearOfEvents(Annotation):
    """A value label (text at ``xytext`` offset points from ``xy``) that never touches a
    decision line of :func:`mark_events` on its axes, whether the lines are drawn before or
    after it: each time it is placed (drawing, measuring, the layout) it moves sideways by
    the least that keeps :data:`EVENT_GAP` points between its box and every line. Where no
    line is near it stays where it was asked to be. Make one with :func:`label_clear_of_events`.
    """

    def __init__(self, text: str, xy, xytext=(0.0, 0.0), **kwargs):
        super().__init__(text, xy, xytext=xytext, textcoords="offset points", **kwargs)
        self._asked = tuple(xytext)

    def update_positions(self, renderer) -> None:
        super().update_positions(renderer)
        ax = self.axes
        lines = [] if ax is None else [ln for ln in ax.lines if ln.get_gid() == EVENT_GID and ln.get_visible()]
        xs = [ax.transData.transform((ln.get_xdata(orig=False)[0], 0.0))[0] for ln in lines]
        shift = 0.0
        if xs:
            box = Text.get_window_extent(self, renderer)
            pt, gap = renderer.points_to_pixels(1.0), renderer.points_to_pixels(EVENT_GAP)
            back = (self._asked[0] - self.xyann[0]) * pt  # the box where it was asked to be
            x0, x1 = box.x0 + back, box.x1 + back

            def clear(s: float) -> bool:
                return all(x <= x0 + s - gap or x >= x1 + s + gap for x in xs)

            # Left of or right of one of the lines, whichever moves it least and clears them all.
            options = [0.0, *(x - gap - x1 for x in xs), *(x + gap - x0 for x in xs)]
            shift = min((s for s in options if clear(s)), key=abs, default=0.0) / pt
        # Set only when it moves: a stale figure would be drawn again in an interactive backend.
        if abs(self.xyann[0] - (self._asked[0] + shift)) > 1e-6 or self.xyann[1] != self._asked[1]:
            self.xyann = (self._asked[0] + shift, self._asked[1])


def label_clear_of_events(ax: Axes, text: str, xy, xytext=(0.0, 0.0), **kwargs) -> ClearOfEvents:
    """``ax.annotate(text, xy, xytext=xytext, textcoords="offset points", **kwargs)`` as a
    :class:`ClearOfEvents`: a label that moves sideways off the decision lines of :func:`mark_events`."""
    label = ClearOfEvents(text, xy, xytext, **kwargs)
    label.set_transform(IdentityTransform())  # as Axes.annotate; placed in update_positions
    ax.add_artist(label)
    if not kwargs.get("clip_on", False):
        label.set_clip_path(None)  # as Axes.annotate: clipped to the axes only when asked
    return label


def close(fig: Figure) -> None:
    plt.close(fig)
