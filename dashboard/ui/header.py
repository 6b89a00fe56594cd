"""The page header: what the snapshot was built from, its as-of dates, the currency,
and whether each portfolio the page reads has data at all.

A portfolio is absent when the build's raw folder held none (or only empty) of its
feeds. Every page says so in words and draws nothing for it: never "as of None",
never an empty chart without a notice.
"""

from __future__ import annotations

import json

import streamlit as st

from dashboard.published import Snapshot, as_date
from dashboard.ui.context import optional_mart, snapshot
from dashboard.ui.vocabulary import currency, portfolio_feeds, portfolio_name


def as_of_date(portfolio: str) -> str | None:
    """The portfolio's as-of date: the manifest's, else the mart rpt_reporting_dates'."""
    day = snapshot().as_of_dates.get(portfolio)
    if day is not None:
        return day
    dates = optional_mart(
        "rpt_reporting_dates",
        "select cast(as_of_date as varchar) as as_of_date from marts.rpt_reporting_dates "
        "where portfolio = ?",
        portfolio,
    )
    return None if dates is None or dates.empty else as_date(dates["as_of_date"].iloc[0])


def has_data(portfolio: str) -> bool:
    """Whether the snapshot holds any loan of the portfolio (manifest portfolios.has_data,
    else a known as-of date, which the warehouse leaves null for a portfolio without rows)."""
    facts = snapshot().portfolios.get(portfolio, {})
    if "has_data" in facts:
        return bool(facts["has_data"])
    return as_of_date(portfolio) is not None


def absent_sentence(portfolio: str) -> str:
    """E.g. 'This snapshot has no instalment-loan data: the feeds orders, payments and plan
    were absent or empty.'"""
    short = portfolio_name(portfolio).split(" (")[0]
    noun = short[:-1] if short.endswith("loans") else short  # instalment loans -> instalment loan
    feeds = portfolio_feeds(portfolio)
    listed = (
        f": the feeds {', '.join(feeds[:-1])} and {feeds[-1]} were absent or empty"
        if len(feeds) > 1
        else ""
    )
    return f"This snapshot has no {noun.replace(' ', '-')} data{listed}."


def require(portfolio: str) -> bool:
    """Show the notice and return False when the portfolio has no data."""
    if has_data(portfolio):
        return True
    st.info(absent_sentence(portfolio), icon=":material/info:")
    return False


def require_or_stop(portfolio: str) -> None:
    """Stop the page after the notice when its only portfolio has no data."""
    if not require(portfolio):
        st.stop()


def portfolio_as_of(portfolio: str) -> str:
    """'instalment loans (schedule and payments) as of **2025-06-30**' or '... : no data'."""
    day = as_of_date(portfolio) if has_data(portfolio) else None
    name = portfolio_name(portfolio)
    name = name[:1].upper() + name[1:]
    return f"{name} as of **{day}**" if day else f"{name}: **no data**"


def snapshot_details(chosen: Snapshot) -> None:
    """The built-from files and the overridden vars, in an expander (when the manifest has them)."""
    files = chosen.built_from.get("files") or []
    overridden = chosen.vars_overridden
    with st.expander("What this snapshot was built from", expanded=False):
        source = chosen.source_label or "not recorded (published before builds recorded it)"
        raw_dir = chosen.built_from.get("raw_dir")
        st.markdown(
            f"**{source}**" + (f" from `{raw_dir}`" if raw_dir else "") + f", built {chosen.built}"
            f" (snapshot `{chosen.snapshot_id}`)."
        )
        if files:
            st.dataframe(
                [
                    {
                        "Feed": f.get("feed"),
                        "File": f.get("file"),
                        "Size (bytes)": f.get("bytes"),
                        "Modified": f.get("modified_at"),
                    }
                    for f in files
                ],
                hide_index=True,
                key="built_from_files",
            )
        st.markdown(
            "Vars that differ from the defaults: "
            + (
                ", ".join(f"`{name}` = `{json.dumps(value)}`" for name, value in overridden.items())
                if overridden
                else ("none" if "vars_overridden" in chosen.manifest else "not recorded")
            )
        )


def page_header(title: str, *portfolios: str) -> None:
    """Title, then what the page shows: built from, as-of per portfolio, currency."""
    st.title(title)
    chosen = snapshot()
    parts = [portfolio_as_of(p) for p in portfolios]
    source = f"Built from **{chosen.source_label}**" if chosen.source_label else None
    st.caption(
        " · ".join([*([source] if source else []), *parts, f"amounts in {currency()}"])
        + f" · snapshot `{chosen.snapshot_id}`"
    )
    for warning in chosen.warnings:  # e.g. an as-of date far after the last event
        st.warning(f"This build warned: {warning}", icon=":material/warning:")
    snapshot_details(chosen)
