//! Handlers called directly on a region built in the test (no HTTP): the cheapest level
//! for EC2's rules.

use parlel_ec2::clock::Timestamp;
use parlel_ec2::context::Cx;
use parlel_ec2::generated::service::Ec2;
use parlel_ec2::generated::types as w;
use parlel_ec2::handlers::Handlers;
use parlel_ec2::store::RegionState;
use parlel_ec2::{Config, Ec2Error};
use std::time::Duration;

pub const ACCOUNT: &str = "123456789012";

/// One account's us-east-1, a clock the test moves, and the handlers.
pub struct Region {
    pub state: RegionState,
    pub config: Config,
    pub now: Timestamp,
}

impl Region {
    pub fn new() -> Region {
        Region {
            state: RegionState::new(ACCOUNT, "us-east-1"),
            config: Config {
                terminated_retention: Duration::from_secs(60),
                // Answers keep their fields: these tests read an instance's members, which
                // a cached item carries only as XML (the HTTP tests run with the cache).
                render_cache_bytes: 0,
                ..Config::default()
            },
            now: Timestamp(1_800_000_000_000),
        }
    }

    pub fn call<O>(
        &mut self,
        f: impl FnOnce(&Handlers, &mut Cx<'_>) -> Result<O, Ec2Error>,
    ) -> Result<O, Ec2Error> {
        let mut cx = Cx::new(
            ACCOUNT,
            "us-east-1",
            &mut self.state,
            &self.config,
            self.now,
            false,
        );
        f(&Handlers, &mut cx)
    }

    pub fn later(&mut self, secs: i64) {
        self.now = Timestamp(self.now.0 + secs * 1000);
    }

    pub fn run_tagged(&mut self, key: &str) -> String {
        let out = self
            .call(|h, cx| {
                h.run_instances(
                    cx,
                    w::RunInstancesInput {
                        image_id: Some("ami-0abcdef1234567890".into()),
                        instance_type: Some(w::InstanceType::from("t3.micro")),
                        min_count: 1,
                        max_count: 1,
                        tag_specifications: Some(vec![w::TagSpecification {
                            resource_type: Some(w::ResourceType::from("instance")),
                            tags: Some(vec![tag(key, "v")]),
                        }]),
                        ..Default::default()
                    },
                )
            })
            .expect("run");
        out.instances.unwrap()[0].instance_id.clone().unwrap()
    }

    pub fn tag_keys(&mut self, id: &str) -> Vec<String> {
        let out = self
            .call(|h, cx| {
                h.describe_tags(
                    cx,
                    w::DescribeTagsInput {
                        filters: Some(vec![w::Filter {
                            name: Some("resource-id".into()),
                            values: Some(vec![id.to_string()]),
                        }]),
                        ..Default::default()
                    },
                )
            })
            .expect("describe tags");
        let tags = out.tags.unwrap_or_default();
        tags.into_iter().filter_map(|t| t.key).collect()
    }

    pub fn create_tag(&mut self, id: &str) -> Result<w::CreateTagsOutput, Ec2Error> {
        self.call(|h, cx| {
            h.create_tags(
                cx,
                w::CreateTagsInput {
                    resources: vec![id.to_string()],
                    tags: vec![tag("late", "x")],
                    dry_run: None,
                },
            )
        })
    }
}

pub fn tag(k: &str, v: &str) -> w::Tag {
    w::Tag {
        key: Some(k.into()),
        value: Some(v.into()),
    }
}
