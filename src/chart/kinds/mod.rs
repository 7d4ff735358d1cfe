//! The chart types, one file each, registered once below.
//!
//! A chart type is a spec holding its own keys ([`Kind`]: which keys it
//! requires and accepts, how it reads them from a chart block, which
//! measures fit them) and the drawing of its lines ([`KindSpec::draw`]).
//! The rest of the chart pipeline (the window, caveats, the address, the
//! title, the H7 checks) is shared and asks a chart type only through
//! [`KindSpec`]. A new chart type is a new file here and one entry in
//! the list in `list.rs`.

mod bars;
mod compare;
mod growth;
mod list;
mod per_fte;
mod series;
mod workload;

pub use bars::Bars;
pub use compare::Compare;
pub use growth::Growth;
pub use per_fte::{PerFte, PerFteOf};
pub use series::Series;
pub use workload::Workload;

pub(crate) use list::with_chart_kinds;

pub use crate::chart::chart_type::ChartType;
use crate::chart::resolve::frame::{Drawn, Frame};
use crate::chart::spec::fields::Fields;
use crate::chart::spec::problem::SpecProblem;
use crate::chart::spec::toml_text::TomlText;
use crate::data::{Dataset, Measure, MeasureUnit, Period, Role};

/// Why a measure cannot fill a key of a chart type.
pub(crate) struct Misfit {
    /// The kind of measure the key takes.
    pub expected: &'static str,
    pub help: Option<&'static str>,
}

impl Misfit {
    fn expecting(expected: &'static str) -> Option<Misfit> {
        Some(Misfit {
            expected,
            help: None,
        })
    }
}

/// What a chart type's spec knows about itself.
pub(crate) trait Kind: KindSpec + Sized {
    /// The keys the chart type requires, in the order they are reported
    /// missing, beside the ones every chart accepts.
    const REQUIRED: &'static [&'static str];
    /// The keys it also accepts.
    const OPTIONAL: &'static [&'static str];
    /// Reads the chart type's keys from a block. `None` only when a
    /// problem was reported to `fields`.
    fn from_fields(fields: &mut Fields) -> Option<Self>;
    /// Why measure `m` cannot be the `key` of this chart type, if it cannot.
    fn misfit(_key: &str, _m: &Measure) -> Option<Misfit> {
        None
    }
}

/// The questions the shared pipeline asks a chart type's spec.
pub(crate) trait KindSpec {
    /// The unit the chart is about (a compare chart: the one highlighted).
    fn unit(&self) -> Option<&str>;
    /// Every measure the spec names, with its key, in address order.
    fn measure_ids(&self) -> Vec<(&'static str, &str)>;
    /// Reference units drawn beside the unit.
    fn reference(&self) -> &[String] {
        &[]
    }
    /// The chart type's own period keys (`base`, `period`), for validation.
    fn own_periods(&self) -> Vec<(&'static str, Period)> {
        Vec::new()
    }
    /// An index chart's base period of the block.
    fn index_base(&self) -> Option<Period> {
        None
    }
    /// The one period a cross-section chart is pinned to by its block.
    fn pinned_period(&self) -> Option<Period> {
        None
    }
    /// Whether the chart shows one period across units (rows of units)
    /// rather than a unit over time.
    fn across_units(&self) -> bool {
        false
    }
    /// The chart type's keys with what the block leaves to the data
    /// filled in, and the keys whose location moves to another key; `None`
    /// when nothing is left to the data.
    fn with_defaults(
        &self,
        _data: &Dataset,
    ) -> Option<(ChartKind, Vec<(&'static str, &'static str)>)> {
        None
    }
    /// What the block leaves to the data that the data cannot decide.
    fn incomplete(&self, _data: &Dataset) -> Vec<SpecProblem> {
        Vec::new()
    }
    /// Drops what pins the chart to periods (an index base, a period).
    fn unpin(&mut self) {}
    /// Measures whose series breaks are marked on every plotted line
    /// besides the line's own.
    fn break_measures(&self) -> Vec<&str> {
        Vec::new()
    }
    /// Writes the chart type's keys as TOML.
    fn write_toml(&self, t: &mut TomlText);
    /// The lines, panels and texts of the chart over `frame`'s periods.
    fn draw(&self, frame: &Frame) -> Result<Drawn, Vec<SpecProblem>>;
}

/// Generates [`ChartKind`] and its dispatch to each chart type from the
/// list in [`with_chart_kinds!`].
macro_rules! chart_kinds {
    ($($(#[$doc:meta])* $variant:ident($spec:ident) = $name:literal,)*) => {
        /// A chart type with its own keys.
        #[derive(Debug, Clone, PartialEq)]
        pub enum ChartKind {
            $($(#[$doc])* $variant($spec),)*
        }

        impl ChartType {
            /// The keys the type requires, and the ones it also accepts.
            pub(crate) fn keys(self) -> (&'static [&'static str], &'static [&'static str]) {
                match self {
                    $(ChartType::$variant => (<$spec as Kind>::REQUIRED, <$spec as Kind>::OPTIONAL),)*
                }
            }

            pub(crate) fn parse_kind(self, fields: &mut Fields) -> Option<ChartKind> {
                match self {
                    $(ChartType::$variant => <$spec as Kind>::from_fields(fields).map(ChartKind::$variant),)*
                }
            }

            pub(crate) fn misfit(self, key: &str, m: &Measure) -> Option<Misfit> {
                match self {
                    $(ChartType::$variant => <$spec as Kind>::misfit(key, m),)*
                }
            }
        }

        impl ChartKind {
            /// The chart type.
            pub fn chart_type(&self) -> ChartType {
                match self {
                    $(ChartKind::$variant(_) => ChartType::$variant,)*
                }
            }

            pub(crate) fn spec(&self) -> &dyn KindSpec {
                match self {
                    $(ChartKind::$variant(k) => k,)*
                }
            }

            pub(crate) fn spec_mut(&mut self) -> &mut dyn KindSpec {
                match self {
                    $(ChartKind::$variant(k) => k,)*
                }
            }
        }

        $(impl From<$spec> for ChartKind {
            fn from(spec: $spec) -> ChartKind {
                ChartKind::$variant(spec)
            }
        })*
    };
}

with_chart_kinds!(chart_kinds);

impl ChartKind {
    /// [`KindSpec::with_defaults`].
    pub(crate) fn with_defaults(
        &self,
        data: &Dataset,
    ) -> Option<(ChartKind, Vec<(&'static str, &'static str)>)> {
        self.spec().with_defaults(data)
    }
}

/// A caseload key takes a measure with that role, or any count.
fn caseload_misfit(m: &Measure) -> Option<Misfit> {
    if m.role == Role::Caseload || m.unit == MeasureUnit::Count {
        return None;
    }
    Misfit::expecting("a caseload measure (role = \"caseload\" or unit = \"count\")")
}

/// A staffing key takes a measure with that role, or any FTE.
fn staffing_misfit(m: &Measure) -> Option<Misfit> {
    if m.role == Role::Staffing || m.unit == MeasureUnit::Fte {
        return None;
    }
    Misfit::expecting("a staffing measure (role = \"staffing\" or unit = \"fte\")")
}
