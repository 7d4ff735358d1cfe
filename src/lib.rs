//! insyn: a static-site generator for honest public reports of municipal
//! social services.
//!
//! The data flows one way: load (config, data, content) → validate (all
//! errors at once) → model (pages, charts, limitations) → render (parallel)
//! → write (atomic). [`build`] and [`check`] are the only doors into it.

pub mod chart;
pub mod config;
pub mod data;
pub mod diagnostics;
pub mod format;
pub mod text;
