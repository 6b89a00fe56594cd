"""Credit loss (IFRS 9) of the instalment loans: the allowance by stage (rpt_ecl_by_stage),
the PD term structure (rpt_pd_term_structure) and its transition matrix
(rpt_transition_matrix), the allowance movement (rpt_allowance_movement) and stage
migration (rpt_stage_migration), the workout LGD (rpt_lgd_estimate); and the
simplified-approach provision matrix of both portfolios (rpt_provision_matrix).

Every number is a mart's: the page selects, sums amounts and counts over stages and
places the waterfall's bars; it never recomputes a rate (PD, LGD, coverage).
"""

from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import ui

INSTALMENT_LOANS, LOAN_BOOK = "family_a", "family_b"
STAGE_COLOURS = ["#2a9d8f", "#f4a261", "#e63946"]  # stage 1, 2, 3
WATERFALL_COLOURS = {"balance": "#264653", "increase": "#e63946", "decrease": "#2a9d8f"}
ALL_STAGES = "all"


def stage_name(stage: Any) -> str:
    return f"Stage {int(stage)}"


def words(code: str) -> str:
    """A mart code as words: 'transfer_to_stage_2' -> 'Transfer to stage 2'."""
    text = str(code).replace("_", " ")
    return text[:1].upper() + text[1:]


def var(name: str) -> Any:
    """A var of the build, from the snapshot's manifest (None in an older snapshot)."""
    return ui.snapshot().vars.get(name)


def stages_sentence() -> str:
    probation = var("stage_probation_months")
    within = (
        f"any of the {probation} month-ends before"
        if probation is not None
        else "the probation month-ends before (var stage_probation_months)"
    )
    return (
        "Stage 3: more than 90 days past due (credit-impaired; ECL = LGD × EAD). "
        f"Stage 2: more than 30 days past due now or at {within} (lifetime ECL). "
        "Stage 1: the other active loans (12-month ECL). Closed loans carry no allowance."
    )


def stage_section(by_stage: pd.DataFrame) -> None:
    st.subheader("Loss allowance by stage")
    st.caption(stages_sentence())
    totals = by_stage[["loans", "gross_carrying_amount", "allowance_amount"]].sum()
    ui.metric_row(
        totals,
        ["loans", "gross_carrying_amount", "allowance_amount"],
        per_row=3,
        labels={"loans": "Active loans", "allowance_amount": "Loss allowance (all stages)"},
    )
    ui.table(
        by_stage[
            [
                "stage_name",
                "loans",
                "gross_carrying_amount",
                "ecl_amount",
                "allowance_amount",
                "coverage_ratio",
            ]
        ],
        key="ecl_by_stage",
    )
    order = list(by_stage["stage_name"])
    colour = alt.Color(
        "stage_name:N",
        legend=None,
        scale=alt.Scale(domain=order, range=STAGE_COLOURS[: len(order)]),
    )
    details = ("loans", "gross_carrying_amount", "coverage_ratio")
    left, right = st.columns(2)
    with left:
        ui.chart(
            ui.bars(
                by_stage,
                "stage_name",
                "allowance_amount",
                order,
                title="Stage",
                vertical=True,
                colour=colour,
                details=details,
            ).properties(title="Loss allowance (ECL) by stage"),
            key="ecl_by_stage_chart",
        )
    with right:
        ui.chart(
            ui.bars(
                by_stage,
                "stage_name",
                "coverage_ratio",
                order,
                title="Stage",
                vertical=True,
                colour=colour,
                details=details,
            ).properties(title="Coverage (ECL ÷ gross carrying amount) by stage"),
            key="coverage_by_stage_chart",
        )


def pd_section(as_of: str) -> None:
    st.subheader("Probability of default by horizon")
    states = ui.categories("roll_state")
    names = dict(zip(states["code"], states["category_label"], strict=True))
    matrix = ui.mart(
        "select * from marts.rpt_transition_matrix where is_as_of_date "
        "order by from_state_order, to_state_order"
    )
    absorbing = set(matrix.loc[matrix["is_absorbing_state"], "from_state"])
    curves = ui.mart(
        "select from_state, from_state_order, horizon_months, cumulative_pd, marginal_pd "
        "from marts.rpt_pd_term_structure where is_as_of_date "
        "order by from_state_order, horizon_months"
    )
    curves = curves[~curves["from_state"].isin(absorbing)].copy()
    curves["state_name"] = curves["from_state"].map(lambda s: names.get(s, s))
    window = matrix.iloc[0] if not matrix.empty else None
    pooled = (
        f" pooled over the month-ends {window['window_first_month_end_date']:%Y-%m-%d} to "
        f"{window['window_last_month_end_date']:%Y-%m-%d}"
        if window is not None and pd.notna(window["window_first_month_end_date"])
        else ""
    )
    st.caption(
        f"Cumulative PD at {as_of}: the chance that a loan now in a state reaches 90+ "
        f"(default) within h months, from the month-end transition matrix{pooled}. "
        + " and ".join(names[s] for s in names if s in absorbing)
        + " are absorbing (cumulative PD 1 and 0 at every horizon), so they are not drawn."
    )
    state_order = list(dict.fromkeys(curves["state_name"]))
    ui.chart(
        alt.Chart(curves)
        .mark_line()
        .encode(
            x=alt.X("horizon_months:Q", title="Horizon (months)"),
            y=alt.Y("cumulative_pd:Q", axis=ui.axis("cumulative_pd")),
            color=alt.Color(
                "state_name:N",
                title="State now",
                sort=state_order,
                legend=alt.Legend(orient="top"),
            ),
            tooltip=ui.tooltip(
                curves, ["state_name", "horizon_months", "cumulative_pd", "marginal_pd"]
            ),
        )
        .properties(height=320),
        key="pd_term_structure_chart",
    )
    longest = int(curves["horizon_months"].max()) if not curves.empty else None
    if longest is not None:
        horizons = sorted({min(12, longest), longest})
        picked = curves[curves["horizon_months"].isin(horizons)]
        table = picked.pivot(index="state_name", columns="horizon_months", values="cumulative_pd")
        table = table.reindex(index=state_order).reset_index()
        table.columns = ["state_name", *(f"pd_{h}m" for h in horizons)]
        ui.table(
            table,
            key="pd_by_state",
            config={f"pd_{h}m": ui.share_column(f"Cumulative PD, {h} months") for h in horizons},
            shares=[f"pd_{h}m" for h in horizons],
        )
    with st.expander("Transition matrix P (month-end to month-end)", expanded=False):
        codes = list(names)
        probabilities = (
            matrix.pivot(index="from_state", columns="to_state", values="transition_probability")
            .reindex(index=codes, columns=codes)
            .join(matrix.groupby("from_state")["from_state_transitions_count"].first())
            .reset_index()
        )
        st.caption(
            "Each row: the loans in a state at a month-end and the share found in each state "
            "at the next month-end, pooled over the window. 90+ and closed are absorbing (an "
            "identity row whatever was observed)."
        )
        ui.table(
            probabilities,
            key="transition_matrix",
            config={
                "from_state": st.column_config.TextColumn("From state"),
                **{state: ui.share_column(f"→ {state}") for state in codes},
            },
            shares=codes,
        )


def waterfall(lines: pd.DataFrame) -> alt.LayerChart:
    """Opening, each movement line as a floating bar, closing (values as the mart has them)."""
    steps = lines.copy()
    is_balance = steps["movement"].isin(["opening", "closing"])
    running = steps["allowance_amount"].where(~is_balance, 0).cumsum()  # bar placement only
    opening = float(steps.loc[steps["movement"] == "opening", "allowance_amount"].sum())
    steps["bar_end"] = (opening + running).where(~is_balance, steps["allowance_amount"])
    steps["bar_start"] = (steps["bar_end"] - steps["allowance_amount"]).where(~is_balance, 0)
    steps["direction"] = [
        "balance" if balance else ("increase" if amount >= 0 else "decrease")
        for balance, amount in zip(is_balance, steps["allowance_amount"], strict=True)
    ]
    steps["bar_top"] = steps[["bar_start", "bar_end"]].max(axis=1)
    order = list(steps["movement_name"])
    bars = (
        alt.Chart(steps)
        .mark_bar()
        .encode(
            x=alt.X(
                "movement_name:N",
                title=None,
                sort=order,
                axis=alt.Axis(labelAngle=-30, labelOverlap=False, labelLimit=200),
            ),
            y=alt.Y("bar_start:Q", axis=ui.axis("allowance_amount")),
            y2="bar_end:Q",
            color=alt.Color(
                "direction:N",
                title=None,
                scale=alt.Scale(
                    domain=list(WATERFALL_COLOURS), range=list(WATERFALL_COLOURS.values())
                ),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=ui.tooltip(steps, ["movement_name", "allowance_amount"]),
        )
    )
    labels = bars.mark_text(dy=-8, fontSize=11).encode(
        y=alt.Y("bar_top:Q"),
        text=alt.Text("allowance_amount:Q", format=",.2f"),
        color=alt.value("#262730"),
    )
    return (bars + labels).properties(height=340)


def movement_section(movement: pd.DataFrame) -> None:
    st.subheader("Allowance movement")
    first = movement.iloc[0]
    st.caption(
        f"From the month-end before the as-of month ({first['opening_date']:%Y-%m-%d}) to "
        f"{first['as_of_date']:%Y-%m-%d}, each date measured with its own transition matrix, "
        "PD and LGD. Opening + the lines = closing, to the cent. A loan changing stage moves "
        "its opening allowance between stages, so the transfers add up to 0 over all stages."
    )
    movement = movement.assign(
        movement_name=movement["movement"].map(words),
        stage_name=movement["stage"].map(stage_name),
    )
    stages = [ALL_STAGES, *dict.fromkeys(movement["stage"])]
    chosen = st.radio(
        "Stage",
        stages,
        format_func=lambda s: "All stages" if s == ALL_STAGES else stage_name(s),
        horizontal=True,
        key="movement_stage",
    )
    lines = movement if chosen == ALL_STAGES else movement[movement["stage"] == chosen]
    lines = (
        lines.groupby(["movement_order", "movement", "movement_name"], as_index=False)[
            "allowance_amount"
        ]
        .sum()
        .sort_values("movement_order")
    )
    ui.chart(waterfall(lines), key="allowance_waterfall")
    table = (
        movement.pivot(index="movement_name", columns="stage_name", values="allowance_amount")
        .reindex(index=list(dict.fromkeys(movement.sort_values("movement_order")["movement_name"])))
        .reset_index()
    )
    stage_columns = [c for c in table.columns if c != "movement_name"]
    table["all_stages"] = table[stage_columns].sum(axis=1)
    amount = "%,.2f"
    ui.table(
        table,
        key="allowance_movement",
        config={
            **{c: st.column_config.NumberColumn(c, format=amount) for c in stage_columns},
            "all_stages": st.column_config.NumberColumn("All stages", format=amount),
        },
    )

    migration = ui.mart(
        "select * from marts.rpt_stage_migration order by from_stage_order, to_stage_order"
    )
    if not migration.empty:
        st.caption(
            "Stage migration: loans by their stage at the opening date and at the as-of date "
            "(new: not active at the opening date; derecognised: closed since)."
        )
        ui.table(
            migration.assign(
                from_stage_name=migration["from_stage"].map(words),
                to_stage_name=migration["to_stage"].map(words),
            )[
                [
                    "from_stage_name",
                    "to_stage_name",
                    "loans",
                    "opening_carrying_amount",
                    "closing_carrying_amount",
                ]
            ],
            key="stage_migration",
        )


def lgd_section() -> None:
    st.subheader("Loss given default (workout LGD)")
    lgd = ui.mart("select * from marts.rpt_lgd_estimate where is_as_of_date order by default_month")
    portfolio = lgd[lgd["row_level"] == "portfolio"]
    if portfolio.empty:
        st.info("No LGD estimate at the as-of date.")
        return
    row = portfolio.iloc[0]
    ui.metric_row(row, ["lgd", "observed_lgd", "observations_count", "ead_at_default_amount"])
    needed, fallback = var("lgd_min_defaults"), var("lgd_fallback")
    observed = int(row["observations_count"])
    if bool(row["is_fallback_used"]):
        st.info(
            f"Only {observed:,} default(s) have a completed workout window"
            + (f", fewer than the {needed} needed (var lgd_min_defaults)" if needed else "")
            + ": the LGD applied is the fallback"
            + (f" {ui.fmt(fallback, 'share')}" if fallback is not None else "")
            + " (var lgd_fallback), not the observed one.",
            icon=":material/info:",
        )
    else:
        st.caption(
            f"The LGD applied is the observed one: {observed:,} defaults have a completed "
            "workout window"
            + (f" (at least {needed} needed, var lgd_min_defaults)" if needed else "")
            + ". A default's loss is 1 − its recoveries in the window (discounted) ÷ its "
            "principal outstanding at default, weighted by that principal."
        )
    months = lgd[lgd["row_level"] == "default_month"]
    if not months.empty:
        ui.table(
            months[
                [
                    "default_month",
                    "observations_count",
                    "ead_at_default_amount",
                    "recovered_amount",
                    "recovered_present_value_amount",
                    "observed_lgd",
                ]
            ],
            key="lgd_by_default_month",
            height=280,
        )


def provision_section(portfolios: list[str]) -> None:
    st.subheader("Provision matrix (simplified approach)")
    st.caption(
        "IFRS 9 B5.5.35, as a small lender or a receivables book uses it: the carrying amount "
        "of the active loans per days-past-due band times the band's loss rate. The loss "
        "rates are illustrative defaults (var provision_matrix_bands): replace them with the "
        "lender's own. Instalment loans by days past due; the loan book by how far behind its "
        "amortised schedule a loan is (defaulted loans in the last band)."
    )
    matrix = ui.mart("select * from marts.rpt_provision_matrix order by portfolio, band_order")
    for portfolio in portfolios:
        if portfolio == LOAN_BOOK and not ui.require(LOAN_BOOK):
            continue
        if not ui.has_data(portfolio):
            continue  # the instalment loans' absence is said at the top of the page
        rows = matrix[matrix["portfolio"] == portfolio]
        name = ui.portfolio_name(portfolio)
        if rows.empty:
            st.info(f"No provision matrix for the {name}.")
            continue
        day = rows["as_of_date"].iloc[0]
        total = rows[["loans", "carrying_amount", "provision_amount"]].sum()
        st.markdown(
            f"**{name[:1].upper() + name[1:]}** as of {day:%Y-%m-%d}: provision "
            f"**{ui.fmt(total['provision_amount'], 'amount')}** on a carrying amount of "
            f"{ui.fmt(total['carrying_amount'], 'amount')} ({ui.fmt(total['loans'], 'count')} "
            f"loans), in {ui.currency()}."
        )
        ui.table(
            rows.rename(columns={"max_days_past_due": "band_max_days"})[
                [
                    "provision_band",
                    "band_max_days",
                    "loans",
                    "carrying_amount",
                    "loss_rate",
                    "provision_amount",
                ]
            ],
            key=f"provision_matrix_{portfolio}",
        )


ui.page_header("Credit loss", INSTALMENT_LOANS, LOAN_BOOK)
st.caption(
    "The expected credit loss (stages, PD, LGD, the allowance and its movement) is computed "
    "from the instalment loans' month-end repayment history; the provision matrix at the "
    "bottom covers both portfolios."
)
if ui.require(INSTALMENT_LOANS):
    by_stage = ui.mart("select * from marts.rpt_ecl_by_stage order by stage")
    if by_stage.empty or by_stage["loans"].sum() == 0:
        st.info("No active instalment loan at the as-of date: no allowance to show.")
    else:
        by_stage["stage_name"] = by_stage["stage"].map(stage_name)
        as_of = f"{by_stage['as_of_date'].iloc[0]:%Y-%m-%d}"
        stage_section(by_stage)
        pd_section(as_of)
        movement = ui.mart(
            "select * from marts.rpt_allowance_movement order by stage, movement_order"
        )
        if not movement.empty:
            movement_section(movement)
        lgd_section()
provision_section([INSTALMENT_LOANS, LOAN_BOOK])
