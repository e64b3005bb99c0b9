"""The project's benchmark: server-side time, queries and size of the pages people use, on a
national-scale dataset. Run with ``make bench`` (see README), which runs ``manage.py benchmark``:
``loads`` loads and times the data, ``pages`` times the pages, ``results`` prints and writes the
figures. Nothing here runs in the tests' timing, so a slow machine never turns a test red."""
