"""What every page shares, one module per concern:

- context: the snapshot in use and queries on it;
- header: the page header (built from, as-of dates, currency) and absent portfolios;
- filters: the sidebar filters and their values;
- labels: mart columns as people read them (label, kind, format);
- vocabulary: category names, order and bounds from marts.rpt_reference_categories,
  var-dependent definitions from the manifest;
- tables and charts: metrics, tables and Altair helpers;
- cohorts: the vintage cohorts a chart highlights (latest, worst, median).

Pages write ``from dashboard import ui`` and call ``ui.<name>``.
"""

from dashboard.ui.charts import axis, bars, chart, heatmap, tooltip
from dashboard.ui.cohorts import ever_late_days, with_highlights
from dashboard.ui.context import mart, optional_mart, snapshot
from dashboard.ui.filters import region_and_branch, selected_segments
from dashboard.ui.header import has_data, page_header, require, require_or_stop
from dashboard.ui.labels import (
    correlation_text,
    ever_late_columns,
    fmt,
    is_missing,
    kind,
    label,
    par_columns,
)
from dashboard.ui.tables import header_width, metric_row, share_column, table
from dashboard.ui.vocabulary import (
    bounds,
    categories,
    codes,
    currency,
    help_for,
    ordered,
    portfolio_name,
)

__all__ = [
    "axis",
    "bars",
    "bounds",
    "categories",
    "chart",
    "codes",
    "correlation_text",
    "currency",
    "ever_late_columns",
    "fmt",
    "has_data",
    "header_width",
    "heatmap",
    "help_for",
    "is_missing",
    "kind",
    "label",
    "mart",
    "metric_row",
    "ordered",
    "optional_mart",
    "par_columns",
    "page_header",
    "portfolio_name",
    "region_and_branch",
    "require",
    "require_or_stop",
    "selected_segments",
    "share_column",
    "snapshot",
    "table",
    "tooltip",
    "with_highlights",
    "ever_late_days",
]
