"""Analysis layer: indicators and readings computed from the tidy table.

Holds selection and growth indicators, deficits (result bridge, growth gap), savings
(requirements, coverage, build-up), staffing (the rolling-twelve-month engine in ``r12``
and the staffing readings), the effect estimator and the reconciliation of stated totals;
``memo`` caches pure per-frame computations within a report (``staffing.monthly``).
Functions take a DataFrame from :func:`regionanalys.load` and return DataFrames or text.

May import: ``regionanalys.data`` and ``regionanalys.config``; never ``report`` or ``cli``.
"""
