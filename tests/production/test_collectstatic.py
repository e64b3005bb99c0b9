"""collectstatic publishes what browsers load, and not the Sass sources."""

from django.core.management import call_command


def test_collectstatic_leaves_out_the_sass_sources(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    call_command("collectstatic", "--noinput", verbosity=0)
    published = {path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*")}
    assert "build/trajectory.css" in published
    assert "js/app.js" in published
    assert not [path for path in published if path.startswith("scss") or path.endswith(".scss")]
