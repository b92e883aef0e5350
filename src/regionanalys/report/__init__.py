"""Report layer: what the reader sees, and the machinery that produces it.

``present``: helpers the notebooks call (tables, readings, banners); ``charts``: every
chart and the one shared chart style; ``htmlexport``: nbconvert export to self-contained
HTML and PDF; ``specs``: the report specifications in ``notebooks/reports.toml``;
``runner``: the parallel report runner (plan, cache, kernels, workers, index, PDF);
``templates``: the nbconvert template, the index page and the one stylesheet.

May import: ``regionanalys.data``, ``regionanalys.analysis``, ``regionanalys.kolada``
and ``regionanalys.config``; only ``regionanalys.cli`` imports from here.
"""
