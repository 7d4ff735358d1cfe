//! PNGs a preview or a check leaves out (see [`crate::BuildMode`]): the site
//! has them, and its pages link to them, but such a build neither draws nor
//! writes them. `insyn serve` draws one from its SVG when it is asked for.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{FileBody, SiteFiles};

/// A PNG of the site that this build did not draw: what it is drawn from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeferredPng {
    pub svg: SvgSource,
    pub scale: PngScale,
}

/// Where the SVG of a [`DeferredPng`] is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SvgSource {
    /// A file of the built site, by its path in the site (`charts/x/chart.svg`).
    Site(String),
    /// A stored object of the editions archive (a frozen chart's SVG).
    Archive(PathBuf),
}

/// The size a [`DeferredPng`] is drawn at (the factor is the chart
/// module's: `PngScale::factor` is implemented beside the drawing, so the
/// output does not depend on it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PngScale {
    /// A chart's own PNG, at [`crate::chart::PNG_SCALE`] times its SVG.
    Chart,
    /// A slide or square layout, whose size is already the image's pixels.
    Layout,
}

impl DeferredPng {
    /// The SVG's text, for a site written into `out`.
    pub fn read_svg(&self, out: &Path) -> std::io::Result<String> {
        match &self.svg {
            SvgSource::Site(path) => std::fs::read_to_string(out.join(path)),
            SvgSource::Archive(path) => std::fs::read_to_string(path),
        }
    }
}

/// Takes the deferred PNGs out of `files`, leaving what is to be written.
pub fn take_deferred(files: &mut SiteFiles) -> BTreeMap<String, DeferredPng> {
    let mut deferred = BTreeMap::new();
    files.retain(|path, body| match body {
        FileBody::Deferred(png) => {
            deferred.insert(path.clone(), png.clone());
            false
        }
        _ => true,
    });
    deferred
}
