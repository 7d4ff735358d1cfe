//! The data stage: units, measures and observations (§3).
//!
//! `load` reads `data/units.toml`, `data/measures.toml` and every
//! `data/**/*.csv`, validates them against each other, computes derived
//! measures and returns a [`Dataset`], or every problem found.

pub mod csv;
pub mod dataset;
pub mod derived;
// Recognising personal identity numbers uses nothing of insyn, so that the
// diagnostics can mask them: a leaf module of its own, named here too.
pub use crate::identity;
pub mod identity_scan;
mod load;
pub mod meta;
pub mod model;
pub mod number;
pub mod period;
pub mod privacy;
pub mod value;
mod withheld_figures;

pub use dataset::{Dataset, Observation, Origin, Series, SeriesKey};
pub use load::{csv_files, load};
pub use model::{
    Area, Measure, MeasureKind, MeasureUnit, Measures, Reference, Role, SeriesBreak, Unit, Units,
};
pub use period::Period;
pub use value::{Status, Value, Withheld};
pub use withheld_figures::{WithheldFigure, WithheldFigures};
