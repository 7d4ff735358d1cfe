//! The tag of a chart type: what a resolved chart is, for the drawing,
//! the table and the description. Made from the list in `kinds/list.rs`.

/// Generates [`ChartType`] from the list of chart types.
macro_rules! chart_types {
    ($($(#[$doc:meta])* $variant:ident($spec:ident) = $name:literal,)*) => {
        /// The kinds of chart a spec can ask for.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum ChartType {
            $($(#[$doc])* $variant,)*
        }

        impl ChartType {
            /// Every chart type, in the order of the list.
            pub const ALL: [ChartType; [$($name),*].len()] = [$(ChartType::$variant),*];

            /// The name a chart block gives the type.
            pub fn name(self) -> &'static str {
                match self {
                    $(ChartType::$variant => $name,)*
                }
            }
        }
    };
}

crate::chart::kinds::with_chart_kinds!(chart_types);

impl ChartType {
    /// The type a chart block names.
    pub fn from_name(name: &str) -> Option<ChartType> {
        ChartType::ALL.into_iter().find(|t| t.name() == name)
    }
}
