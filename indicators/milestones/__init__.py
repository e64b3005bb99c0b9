"""Milestones and the improvement plan: the board's targets and the actions that get there.

The improvement plan lives here (models, its red/amber/green rule, services, selectors, forms
and pages); the numeric milestones move in later from ``indicators.models``.
"""
