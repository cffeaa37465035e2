//! `Cx`: what a handler gets besides its input — who is asking, when, and the region's
//! state, with mutation gated by DryRun.

use crate::clock::Timestamp;
use crate::config::Config;
use crate::store::{Image, ImageRegistry, RegionState, View};
use crate::Ec2Error;

pub struct Cx<'a> {
    pub account: &'a str,
    pub region: &'a str,
    /// One clock reading per request, so every part of a response agrees on "now".
    pub now: Timestamp,
    pub config: &'a Config,
    state: &'a mut RegionState,
    dry_run: bool,
    /// The other partitions' images (sharing across accounts, CopyImage across
    /// Regions); `None` where a region stands alone (handler-level tests).
    images: Option<&'a ImageRegistry>,
    /// Whether the handler took write access (the request changed something).
    committed: bool,
}

/// A request that wrote leaves the indexes current for the next one.
impl Drop for Cx<'_> {
    fn drop(&mut self) {
        if self.committed {
            self.state.reindex();
        }
    }
}

impl<'a> Cx<'a> {
    pub fn new(
        account: &'a str,
        region: &'a str,
        state: &'a mut RegionState,
        config: &'a Config,
        now: Timestamp,
        dry_run: bool,
    ) -> Cx<'a> {
        Cx {
            account,
            region,
            now,
            config,
            state,
            dry_run,
            images: None,
            committed: false,
        }
    }

    /// Whether the handler took write access: such a request is journaled.
    pub fn committed(&self) -> bool {
        self.committed
    }

    /// This request sees the images other partitions published.
    pub fn with_images(mut self, images: &'a ImageRegistry) -> Cx<'a> {
        self.images = Some(images);
        self
    }

    /// The images of other accounts this one may use, in this Region.
    pub fn shared_images(&self) -> Vec<Image> {
        self.images
            .map(|r| r.usable_by(self.region, self.account))
            .unwrap_or_default()
    }

    /// An image of `region` published by any account, if this one may use it.
    pub fn published_image(&self, region: &str, id: &str) -> Option<Image> {
        self.images?.get(region, id, self.account)
    }

    /// The catalog image `id` as `region` offers it (catalog entries may name Regions).
    /// Without a registry (a handler called directly), the seed catalog's.
    pub fn catalog_image(&self, region: &str, id: &str) -> Option<Image> {
        match self.images {
            Some(r) => r.catalog_image(region, id),
            None => crate::image_catalog::ImageCatalog::seed()
                .in_region(region)
                .find(|i| i.id == id)
                .cloned(),
        }
    }

    /// Publishes this Region's image `id` as it now is (after a change by its owner).
    pub fn publish_image(&self, id: &str) {
        if let Some(r) = self.images {
            r.publish(
                self.region,
                id,
                self.state.images.get(id).filter(|i| !i.catalog),
            );
        }
    }

    /// Read access; every handler may look.
    pub fn state(&self) -> &RegionState {
        self.state
    }

    /// The region as this request sees it: its clock reading and the retention of
    /// terminated instances decide what exists.
    pub fn view(&self) -> View<'_> {
        View {
            state: self.state,
            now: self.now,
            retention_ms: self.config.terminated_retention.as_millis() as i64,
            transition_ms: self.config.transition.as_millis() as i64,
        }
    }

    /// Write access, only once validation is done: under DryRun this is where the request
    /// stops with `DryRunOperation` (412), having changed nothing.
    pub fn commit(&mut self) -> Result<&mut RegionState, Ec2Error> {
        if self.dry_run {
            return Err(Ec2Error::dry_run());
        }
        self.committed = true;
        Ok(self.state)
    }

    pub fn dry_run(&self) -> bool {
        self.dry_run
    }
}
