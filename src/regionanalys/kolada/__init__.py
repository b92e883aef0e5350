"""Kolada (RKA) as a source of like-for-like public figures for every region.

``client``: the v3 API client and its on-disk cache under ``data/kolada/``;
``fetch``: the logic behind ``regionanalys fetch kolada``;
``analysis``: comparisons and rankings built on the cached figures.

May import: ``regionanalys.data``, ``regionanalys.analysis`` and ``regionanalys.config``.
"""
