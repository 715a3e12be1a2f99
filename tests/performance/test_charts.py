"""The trend chart's geometry: bars to scale, the target line on the same scale."""

from withhold.performance.charts import trend_chart


def test_bars_are_to_scale_and_link_to_their_month():
    chart = trend_chart([("Oct", 2), ("Nov", 4)], hrefs=["/oct", "/nov"])
    oct_, nov = chart.bars
    assert nov.height == 2 * oct_.height
    assert nov.y + nov.height == chart.axis_y  # bars stand on the axis
    assert (oct_.href, nov.href) == ("/oct", "/nov")
    assert chart.reference_y is None


def test_a_target_above_every_bar_sets_the_scale():
    chart = trend_chart([("Oct", 1), ("Nov", 2)], reference=4)
    top_of_scale = chart.axis_y - chart.bars[1].height * 2
    assert abs(chart.reference_y - top_of_scale) < 1e-9


def test_no_figures_draws_an_empty_chart():
    chart = trend_chart([("Oct", 0)])
    assert chart.bars[0].height == 0
