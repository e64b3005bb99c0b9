import pytest

from indicators.models import Polarity
from reports import bands as s

HIGHER, LOWER, NEITHER = Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER, Polarity.NEITHER


def test_neighbour_mean_and_median_ignore_missing():
    values = [10.0, 12.0, 30.0, None]
    assert s.neighbour_average(values, s.MEAN) == pytest.approx(52 / 3)
    assert s.neighbour_average(values, s.MEDIAN) == 12.0
    assert s.neighbour_average([None], s.MEAN) is None


def test_quartiles_interpolate_between_ranks():
    # 1..8: numpy.percentile gives 2.75, 4.5, 6.25
    cut = s.quartiles([8, 1, 7, 2, 6, 3, 5, 4])
    assert (cut.q1, cut.q2, cut.q3) == (2.75, 4.5, 6.25)
    assert s.quartiles([1, 2, 3]) is None


@pytest.mark.parametrize(
    ("value", "polarity", "expected"),
    [
        (8, HIGHER, "A"),
        (6.25, HIGHER, "A"),
        (5, HIGHER, "B"),
        (3, HIGHER, "C"),
        (1, HIGHER, "D"),
        (1, LOWER, "A"),
        (4, LOWER, "B"),
        (6, LOWER, "C"),
        (8, LOWER, "D"),
        (8, NEITHER, ""),
    ],
)
def test_band_a_is_the_best_quarter_given_polarity(value, polarity, expected):
    cut = s.quartiles([1, 2, 3, 4, 5, 6, 7, 8])
    assert s.band(value, cut, polarity) == expected


def test_rank_one_is_best_and_ties_share_the_lower_rank():
    values = [10, 20, 20, 30]
    assert s.rank(30, values, HIGHER) == 1
    assert s.rank(20, values, HIGHER) == 2
    assert s.rank(10, values, HIGHER) == 4
    assert s.rank(10, values, LOWER) == 1
    assert s.rank(20, values, LOWER) == 2
    assert s.rank(30, values, LOWER) == 4
    assert s.rank(20, values, NEITHER) is None


def test_standing_has_no_band_or_rank_without_polarity():
    assert s.standing(5, [1, 2, 3, 4, 5], NEITHER) is None
    standing = s.standing(5, [1, 2, 3, 4, 5], HIGHER)
    assert standing == s.Standing("A", 1, 5)


@pytest.mark.parametrize(
    ("value", "polarity", "expected"),
    [
        (19.0, LOWER, s.GREEN),
        (20.0, LOWER, s.GREEN),
        (21.5, LOWER, s.AMBER),
        (23.0, LOWER, s.RED),
        (21.0, HIGHER, s.GREEN),
        (18.5, HIGHER, s.AMBER),
        (17.0, HIGHER, s.RED),
        (20.0, NEITHER, s.GREEN),
        (21.0, NEITHER, s.AMBER),
    ],
)
def test_rag_against_a_milestone_with_tolerance(value, polarity, expected):
    assert s.rag(value, target=20.0, tolerance=2.0, polarity=polarity) == expected


@pytest.mark.parametrize(
    ("value", "symbol", "base_symbol", "expected"),
    [
        (12.5, "", "", 12.5),
        (None, "low", "", 0.0),  # rounds to zero: ranked as zero, as LAIT does
        (None, "k", "", 0.0),
        (None, "c", "", None),
        (None, "x", "", None),
        (0.0, "", "c", None),  # a rate on a suppressed base is not ranked
        (4.0, "", "low", 4.0),
    ],
)
def test_ranked_value_follows_lait(value, symbol, base_symbol, expected):
    assert s.ranked_value(value, symbol, base_symbol) == expected
