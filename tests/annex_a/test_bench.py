from indicators.annex_a.bench import compare_readers, measure
from indicators.annex_a.fictional import make_workbook


def test_the_benchmark_measures_a_small_workbook():
    result = measure(contacts_per_month=25, months=2, messy=False)
    assert result.rows > 100
    assert result.months == 2
    assert 0 < result.seconds < 20
    assert 0 < result.process_peak_mb < 600
    assert result.within_budget
    assert "Budget 20 s and 600 MB: met" in str(result)


def test_the_reader_comparison_times_both_libraries():
    timings = compare_readers(make_workbook(months=1, contacts_per_month=20))
    assert set(timings) == {"python-calamine", "openpyxl read-only"}
    assert all(t > 0 for t in timings.values())
