"""The browser benchmark's table: the shop's first load against the floor and against the
one-button app, each target named for what it divides, in the summary too."""
from __future__ import annotations

from bench import targets
from bench.browser import ROWS, ratio_rows


def medians(**chosen: float) -> dict:
    """Every measure of a pass at 100 ms, but those chosen."""
    every = {key for _, measured, reference, _ in ROWS for key in (measured, reference)}
    return {**dict.fromkeys(every, 100.0), **chosen}


def test_the_first_load_has_a_target_against_each_reference():
    rows, found = ratio_rows(medians(**{"grid": 230.0, "floor load": 200.0, "bare load": 125.0}),
                             [])
    assert found["grid / floor load"] == {"ratio": 1.15, "limit": 1.15}
    assert found["grid / bare load"] == {"ratio": 1.84, "limit": 1.3}
    by_name = {row[0]: row for row in rows}
    assert by_name["first load until the product grid shows, vs the floor"][-1] == "met"
    assert by_name["first load until the product grid shows"][-1] == "MISSED"
    assert by_name["the floor's first load until its grid shows"][3] == "1.60x"


def test_each_pass_is_also_compared_with_the_reference_of_its_own_pass():
    # The load moved: the third pass caught the shop at a busy moment and the floor at a quiet one.
    passes = [{"grid": 100.0, "floor load": 90.0}, {"grid": 300.0, "floor load": 280.0},
              {"grid": 500.0, "floor load": 120.0}]
    rows, found = ratio_rows(medians(**{"grid": 300.0, "floor load": 120.0}), passes)
    row = next(r for r in rows if r[0].endswith("vs the floor"))
    assert row[3:5] == ["2.50x", "1.11x"]
    assert found["grid / floor load"]["ratio"] == 2.5  # the target stays on the medians


def test_the_summary_names_each_browser_target_by_its_reference():
    _, found = ratio_rows(medians(**{"grid": 260.0, "floor load": 200.0}), [])
    table = targets.summary({"browser": {"targets": found}})
    floor_row = next(line for line in table.splitlines() if "grid / floor load" in line)
    assert "1.30 x" in floor_row and floor_row.rstrip().endswith("MISSED")
    assert "browser: grid / bare load" in table
