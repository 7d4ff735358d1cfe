//! The list of chart types: the one place a chart type is registered. It
//! names each type's variant, its spec (a file of this folder) and the name
//! a chart block gives it, and hands the list to a macro: `chart_type.rs`
//! makes the [`crate::chart::ChartType`] tag of it, `kinds/mod.rs` the
//! [`crate::chart::ChartKind`] and its dispatch. This file imports nothing,
//! so the tag can be used everywhere without a circle of imports.

/// Calls macro `$m` with the list of chart types.
macro_rules! with_chart_kinds {
    ($m:ident) => {
        $m! {
            /// Caseload against staffing, both as an index (base = 100) on one axis.
            Growth(Growth) = "growth",
            /// A ratio measure such as cases per FTE.
            PerFte(PerFte) = "per_fte",
            /// One or more measures of a unit; different measure units become small multiples.
            Series(Series) = "series",
            /// One measure as bars from zero.
            Bars(Bars) = "bars",
            /// One indicator across units for one period, as a dot plot.
            Compare(Compare) = "compare",
            /// Weighted workload ÷ capacity × 100.
            Workload(Workload) = "workload",
        }
    };
}

pub(crate) use with_chart_kinds;
