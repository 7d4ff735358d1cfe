//! A problem found in a chart spec, located in the block's TOML text.

use crate::diagnostics::did_you_mean;

/// A problem in a chart spec, located by byte offset in the TOML text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecProblem {
    /// Byte offset in the TOML text of the block, when known.
    pub offset: Option<usize>,
    pub message: String,
    pub found: Option<String>,
    pub expected: Option<String>,
    pub help: Option<String>,
}

impl SpecProblem {
    pub(crate) fn new(offset: Option<usize>, message: impl Into<String>) -> SpecProblem {
        SpecProblem {
            offset,
            message: message.into(),
            found: None,
            expected: None,
            help: None,
        }
    }
    pub(crate) fn found(mut self, s: impl Into<String>) -> Self {
        self.found = Some(s.into());
        self
    }
    pub(crate) fn expected(mut self, s: impl Into<String>) -> Self {
        self.expected = Some(s.into());
        self
    }
    pub(crate) fn help(mut self, s: impl Into<String>) -> Self {
        self.help = Some(s.into());
        self
    }
    pub(crate) fn suggest<'a>(
        self,
        input: &str,
        candidates: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        match did_you_mean(input, candidates) {
            Some(best) => self.help(format!("did you mean `{best}`?")),
            None => self,
        }
    }
}

/// `a`, `b`, `c` in backticks, for "expected" lines.
pub(crate) fn quoted(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
