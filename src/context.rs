//! `Cx`: what a handler gets besides its input — who is asking, when, and the region's
//! state, with mutation gated by DryRun.

use crate::clock::Timestamp;
use crate::config::Config;
use crate::store::{RegionState, View};
use crate::Ec2Error;

pub struct Cx<'a> {
    pub account: &'a str,
    pub region: &'a str,
    /// One clock reading per request, so every part of a response agrees on "now".
    pub now: Timestamp,
    pub config: &'a Config,
    state: &'a mut RegionState,
    dry_run: bool,
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
        Ok(self.state)
    }

    pub fn dry_run(&self) -> bool {
        self.dry_run
    }
}
