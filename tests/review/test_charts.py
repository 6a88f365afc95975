"""Chart geometry: numbers in, rectangles out, in proportion and inside the chart."""

from __future__ import annotations

import pytest

from review.charts import CHART_HEIGHT, CHART_WIDTH, ROW_HEIGHT, bars_height, horizontal_bars, stacked_columns

KEYS = [("red", "Red flag"), ("book", "Book"), ("self", "Self-care")]


def test_each_column_stacks_its_segments_bottom_first_in_the_order_of_the_keys():
    (column,) = stacked_columns(columns=[("Mon", {"red": 1, "book": 2, "self": 3})], keys=KEYS)
    bottom, middle, top = column.segments
    assert [s.key for s in column.segments] == ["red", "book", "self"]
    assert bottom.y + bottom.height == CHART_HEIGHT
    assert middle.y + middle.height == pytest.approx(bottom.y)
    assert top.y + top.height == pytest.approx(middle.y)


def test_the_tallest_column_fills_the_chart_and_the_others_are_in_proportion():
    tall, short = stacked_columns(columns=[("Mon", {"book": 6, "self": 4}), ("Tue", {"book": 5})], keys=KEYS)
    assert sum(s.height for s in tall.segments) == pytest.approx(CHART_HEIGHT)
    assert sum(s.height for s in short.segments) == pytest.approx(CHART_HEIGHT / 2)
    assert (tall.total, short.total) == (10, 5)


def test_a_key_missing_from_a_column_is_an_empty_segment():
    (column,) = stacked_columns(columns=[("Mon", {"book": 2})], keys=KEYS)
    assert [(s.key, s.value, s.height) for s in column.segments] == [
        ("red", 0, 0),
        ("book", 2, CHART_HEIGHT),
        ("self", 0, 0),
    ]


def test_columns_share_the_width_evenly_and_stay_inside_it():
    columns = stacked_columns(columns=[(str(day), {"book": day}) for day in range(1, 8)], keys=KEYS)
    slot = CHART_WIDTH / 7
    assert [c.x for c in columns] == [pytest.approx(i * slot + slot * 0.15, abs=0.1) for i in range(7)]
    assert all(c.width == pytest.approx(slot * 0.7, abs=0.1) for c in columns)
    assert columns[-1].x + columns[-1].width <= CHART_WIDTH


def test_a_chart_of_zeros_draws_empty_columns_rather_than_failing():
    columns = stacked_columns(columns=[("Mon", {}), ("Tue", {"book": 0})], keys=KEYS)
    assert [c.total for c in columns] == [0, 0]
    assert all(s.height == 0 and s.y == CHART_HEIGHT for c in columns for s in c.segments)


def test_no_columns_draw_nothing():
    assert stacked_columns(columns=[], keys=KEYS) == []


def test_a_custom_height_scales_the_columns_to_it():
    (column,) = stacked_columns(columns=[("Mon", {"book": 3})], keys=KEYS, height=90)
    assert column.segments[1].height == 90
    assert column.segments[1].y == 0


def test_the_longest_bar_fills_the_width_and_the_others_are_in_proportion():
    bars = horizontal_bars(rows=[("Hip", 8), ("Back", 2), ("Groin", 0)], width=400)
    assert [(b.label, b.value, b.width) for b in bars] == [("Hip", 8, 400), ("Back", 2, 100), ("Groin", 0, 0)]


def test_bars_are_one_row_apart_in_their_order():
    bars = horizontal_bars(rows=[("a", 1), ("b", 1), ("c", 1)])
    assert [b.y for b in bars] == [0, ROW_HEIGHT, 2 * ROW_HEIGHT]


def test_bars_of_zeros_or_no_bars_draw_without_failing():
    assert [b.width for b in horizontal_bars(rows=[("a", 0), ("b", 0)])] == [0, 0]
    assert horizontal_bars(rows=[]) == []


@pytest.mark.parametrize(("rows", "height"), [(0, ROW_HEIGHT), (1, ROW_HEIGHT), (5, 5 * ROW_HEIGHT)])
def test_a_bar_chart_is_one_row_tall_per_bar_and_never_less_than_one(rows, height):
    assert bars_height([("x", 1)] * rows) == height
