"""Per-frame memoization (analysis/memo.py): a cached answer is never stale."""
import gc

import pandas as pd

from regionanalys.analysis import memo, staffing


def frame() -> pd.DataFrame:
    return pd.DataFrame({"series": ["a", "a", "b"], "period": pd.period_range("2023-01", periods=3, freq="M"), "value": [1.0, 2.0, 3.0]})


def counted():
    calls = []

    @memo.per_frame
    def total(df: pd.DataFrame, series: str) -> pd.Series:
        calls.append(series)
        return df.loc[df["series"] == series, "value"].rename("total")

    return total, calls


def test_the_same_question_is_computed_once_per_frame():
    total, calls = counted()
    df = frame()
    first, second = total(df, "a"), total(df, series="a")
    assert calls == ["a"]  # a positional and a keyword call are the same question
    total(df, "a"), total(df, series="a")
    assert calls == ["a"]
    pd.testing.assert_series_equal(first, second)
    total(df, "b")
    assert calls == ["a", "b"]


def test_defaults_and_nested_calls_share_the_cache():
    """f(df, x) and f(df, x, flag=False) with False the default are one entry; a cached call
    made inside another on the same frame is answered without a new fingerprint."""
    from regionanalys.analysis import memo

    calls = []

    @memo.per_frame
    def inner(df, series, scale=1.0):
        calls.append(("inner", series, scale))
        return df.loc[df["series"] == series, "value"] * scale

    @memo.per_frame
    def outer(df, series):
        calls.append(("outer", series))
        return inner(df, series) + inner(df, series, scale=1.0)

    df = frame()
    prints = []
    real = memo.fingerprint
    memo.fingerprint = lambda d: prints.append(1) or real(d)
    try:
        outer(df, "a")
        assert calls == [("outer", "a"), ("inner", "a", 1.0)]
        assert len(prints) == 1, "the nested calls reuse the outer call's check"
        inner(df, "a", 1.0)
        assert len(calls) == 2 and len(prints) == 2
    finally:
        memo.fingerprint = real


def test_an_edit_in_place_is_seen():
    total, calls = counted()
    df = frame()
    assert total(df, "a").sum() == 3
    df.loc[0, "value"] = 10.0
    assert total(df, "a").sum() == 12
    df.loc[1, "series"] = "b"
    assert total(df, "a").sum() == 10
    df.index = [5, 6, 7]
    total(df, "a")
    assert len(calls) == 4


def test_a_caller_editing_the_result_does_not_change_the_cache():
    total, _ = counted()
    df = frame()
    got = total(df, "a")
    got.iloc[0] = -100.0
    assert total(df, "a").tolist() == [1.0, 2.0]


def test_frames_with_their_own_content_get_their_own_answers():
    total, _ = counted()
    a, b = frame(), frame()
    b["value"] = b["value"] * 2
    assert total(a, "a").sum() == 3
    assert total(b, "a").sum() == 6


def test_the_cache_goes_with_the_frame():
    total, _ = counted()
    df = frame()
    total(df, "a")
    key = id(df)
    assert key in memo._frames
    del df
    gc.collect()
    assert key not in memo._frames


def test_unhashable_arguments_are_computed_without_the_cache():
    calls = []

    @memo.per_frame
    def pick(df: pd.DataFrame, wanted) -> int:
        calls.append(1)
        return len(wanted)

    df = frame()
    assert pick(df, {"a": 1}) == 1 and pick(df, {"a": 1}) == 1
    assert len(calls) == 2
    assert pick(df, ["a", "b"]) == 2 and pick(df, ["a", "b"]) == 2  # lists become tuples in the key
    assert len(calls) == 3


def test_staffing_monthly_follows_an_edited_table():
    rows = [
        {"region": "17", "org": "region", "series": "hyrpersonal_kostnad", "category": "", "period": p, "kind": "utfall",
         "value": 1.0, "freq": "M", "year": p.year}
        for p in pd.period_range("2023-01", periods=12, freq="M")
    ]
    df = pd.DataFrame(rows)
    assert staffing.monthly(df, "17", "hyrpersonal_kostnad").sum() == 12
    df.loc[df["period"] == pd.Period("2023-05", freq="M"), "value"] = 5.0
    assert staffing.monthly(df, "17", "hyrpersonal_kostnad").sum() == 16
    assert staffing.measures(df, "17")["hyr_totalt"].r12_at(pd.Period("2023-12", freq="M")) == 16


def test_two_functions_of_the_same_name_do_not_share_answers():
    def make(factor):
        @memo.per_frame
        def total(df: pd.DataFrame) -> float:
            return float(df["value"].sum()) * factor
        return total

    once, twice = make(1), make(2)
    df = frame()
    assert once(df) == 6 and twice(df) == 12


def test_first_positions_finds_what_a_mask_per_key_finds():
    from regionanalys.analysis.memo import first_positions

    df = pd.DataFrame({"a": ["x", "y", "x", "y", "z"], "b": [1, 1, 1, 2, 1]})
    first = first_positions(df["a"], df["b"])
    assert first == {("x", 1): 0, ("y", 1): 1, ("y", 2): 3, ("z", 1): 4}
    for (a, b), pos in first.items():
        assert df.index[(df["a"] == a) & (df["b"] == b)][0] == pos
