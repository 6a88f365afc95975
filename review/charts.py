"""Chart geometry for server-rendered SVG: numbers in, rectangles out.

Templates draw the rectangles with CSS classes from a static stylesheet (no
inline styles, no JavaScript, no CDN), so the charts work under a strict CSP.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Segment:
    key: str
    label: str
    value: int
    y: float
    height: float


@dataclass(frozen=True)
class Column:
    label: str
    total: int
    x: float
    width: float
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    width: float
    y: float


CHART_HEIGHT = 180
CHART_WIDTH = 600


def stacked_columns(
    *, columns: list[tuple[str, dict[str, int]]], keys: list[tuple[str, str]], height: int = CHART_HEIGHT
) -> list[Column]:
    """One stacked column per (label, {key: value}); keys (key, label) in stacking order, bottom first."""
    peak = max((sum(values.values()) for _label, values in columns), default=0) or 1
    slot = CHART_WIDTH / max(len(columns), 1)
    result = []
    for index, (label, values) in enumerate(columns):
        y = float(height)
        segments = []
        for key, key_label in keys:
            value = values.get(key, 0)
            h = round(value / peak * height, 1)
            y -= h
            segments.append(Segment(key, key_label, value, round(y, 1), h))
        result.append(
            Column(
                label, sum(values.values()), round(index * slot + slot * 0.15, 1), round(slot * 0.7, 1), tuple(segments)
            )
        )
    return result


ROW_HEIGHT = 22


def bars_height(rows: list) -> int:
    return max(len(rows), 1) * ROW_HEIGHT


def horizontal_bars(*, rows: list[tuple[str, int]], width: int = 340, row_height: int = ROW_HEIGHT) -> list[Bar]:
    peak = max((value for _label, value in rows), default=0) or 1
    return [
        Bar(label, value, round(value / peak * width, 1), index * row_height)
        for index, (label, value) in enumerate(rows)
    ]
