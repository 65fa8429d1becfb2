"""The self-contained HTML report: sections as data, charts from MetricTables, claim checks, exports."""

from splitscope.report.render import ReportResult, render_report

__all__ = ["ReportResult", "render_report"]
