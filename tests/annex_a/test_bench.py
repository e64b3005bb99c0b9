from indicators.annex_a.bench import compare_readers, measure
from indicators.annex_a.fictional import make_workbook


def test_the_benchmark_measures_a_small_workbook():
    result = measure(contacts_per_month=25, months=2, messy=False)
    assert result.rows > 100
    assert result.months == 2
    # Measured and said against the budget; whether it is met is for the benchmark to report on a
    # quiet machine, not for a test to assert.
    assert result.seconds > 0 and result.process_peak_mb > 0
    assert "Budget 20 s and 600 MB:" in str(result)


def test_the_reader_comparison_times_both_libraries():
    timings = compare_readers(make_workbook(months=1, contacts_per_month=20))
    assert set(timings) == {"python-calamine", "openpyxl read-only"}
    assert all(t > 0 for t in timings.values())
