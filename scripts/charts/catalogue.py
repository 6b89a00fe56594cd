"""Every chart: its file name, what it shows, its portfolio, the marts it may read, its drawer.

``marts`` is exactly what the chart's dbt exposure (models/marts/_charts__exposures.yml) lists:
the marts it draws, plus the vocabulary and the reporting dates when it names a portfolio.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from matplotlib.figure import Figure

from scripts.charts import credit_loss, loan_book, pricing, quality, repayment, risk
from scripts.charts.marts import REPORTING_DATES, VOCABULARY, Marts

# The charts the README shows: the score that prices a loan, the book's risk over time, what
# was wrong with the input data, and the loss allowance by IFRS 9 stage.
README_CHARTS = (
    "score_distribution",
    "risk_amount_trend",
    "data_quality_summary",
    "ecl_by_stage",
)


@dataclass(frozen=True)
class Chart:
    name: str  # the PNG's stem
    title: str  # what it shows, for people (the title of its "nothing to draw" figure)
    portfolio: str | None  # family_a / family_b, or None for a chart of every feed
    data_marts: tuple[str, ...]  # the marts it draws; an empty one means nothing to draw
    draw: Callable[[Marts], Figure]

    @property
    def marts(self) -> tuple[str, ...]:
        """The only marts draw may read (the exposure's depends_on)."""
        return self.data_marts + ((VOCABULARY, REPORTING_DATES) if self.portfolio else ())


INSTALMENT_LOANS, LOAN_BOOK = "family_a", "family_b"

CHARTS: dict[str, Chart] = {
    chart.name: chart
    for chart in [
        Chart(
            "score_distribution",
            "Repayment score distribution",
            INSTALMENT_LOANS,
            ("rpt_score_distribution",),
            repayment.score_distribution,
        ),
        Chart(
            "segment_barplot",
            "Loans by repayment segment",
            INSTALMENT_LOANS,
            ("rpt_repayment_segments",),
            repayment.segment_barplot,
        ),
        Chart(
            "risk_amount_trend",
            "Amount at risk by month",
            INSTALMENT_LOANS,
            ("rpt_risk_trend_monthly",),
            risk.risk_amount_trend,
        ),
        Chart(
            "planned_vs_actual_histogram",
            "Planned vs actual repayment",
            INSTALMENT_LOANS,
            ("rpt_planned_vs_actual_distribution",),
            repayment.planned_vs_actual_histogram,
        ),
        Chart(
            "correlation_heatmap",
            "Correlation of repayment features",
            INSTALMENT_LOANS,
            ("rpt_repayment_correlations",),
            repayment.correlation_heatmap,
        ),
        Chart(
            "par_trend",
            "Portfolio at risk (PAR)",
            INSTALMENT_LOANS,
            ("rpt_risk_trend_monthly",),
            risk.par_trend,
        ),
        Chart(
            "vintage_curves",
            "Vintage curves",
            INSTALMENT_LOANS,
            ("rpt_vintage_curves",),
            risk.vintage_curves,
        ),
        Chart(
            "roll_rate_matrix",
            "Roll-rate matrix",
            INSTALMENT_LOANS,
            ("rpt_roll_rates",),
            risk.roll_rate_matrix,
        ),
        Chart(
            "ecl_by_stage",
            "Loss allowance and coverage by IFRS 9 stage",
            INSTALMENT_LOANS,
            ("rpt_ecl_by_stage",),
            credit_loss.ecl_by_stage,
        ),
        Chart(
            "pd_term_structure",
            "PD term structure per state",
            INSTALMENT_LOANS,
            ("rpt_pd_term_structure", "rpt_transition_matrix"),
            credit_loss.pd_term_structure,
        ),
        Chart(
            "allowance_movement",
            "Loss allowance movement by stage",
            INSTALMENT_LOANS,
            ("rpt_allowance_movement",),
            credit_loss.allowance_movement,
        ),
        Chart(
            "pricing_tiers",
            "Break-even annual rate by score tier and learned-model decile",
            INSTALMENT_LOANS,
            ("rpt_pricing_tiers",),
            pricing.pricing_tiers,
        ),
        Chart(
            "branch_kpis",
            "Branch volumes and rates",
            LOAN_BOOK,
            ("rpt_branch_kpis",),
            loan_book.branch_kpis,
        ),
        Chart(
            "region_default_rates",
            "Default rates by region",
            LOAN_BOOK,
            ("rpt_region_kpis",),
            loan_book.region_default_rates,
        ),
        Chart(
            "loan_book_monthly",
            "Disbursements, repayments and defaults by start month",
            LOAN_BOOK,
            ("rpt_loan_book_monthly",),
            loan_book.loan_book_monthly,
        ),
        Chart(
            "risk_tiers",
            "Default rate by risk tier",
            LOAN_BOOK,
            ("rpt_risk_tiers",),
            loan_book.risk_tiers,
        ),
        Chart(
            "default_rate_by_segment",
            "Default rate by borrower segment",
            LOAN_BOOK,
            ("rpt_demographic_segments", "dim_customers"),
            loan_book.default_rate_by_segment,
        ),
        Chart(
            "status_shares",
            "Loans by status",
            LOAN_BOOK,
            ("rpt_portfolio_overview",),
            loan_book.status_shares,
        ),
        Chart(
            "data_quality_summary",
            "Data quality per feed",
            None,
            ("rpt_data_quality_summary",),
            quality.data_quality_summary,
        ),
    ]
}
