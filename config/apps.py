"""App configuration owned by the project rather than an app."""

from django.contrib.staticfiles.apps import StaticFilesConfig


class ProjectStaticFilesConfig(StaticFilesConfig):
    """collectstatic publishes what browsers load: the Sass sources under static/scss are
    compiled into static/build by scripts/build_frontend.sh and are not served."""

    ignore_patterns = [*StaticFilesConfig.ignore_patterns, "scss", "*.scss"]
