//! Pagination as EC2 does it: `nextToken` only when more results exist, tokens bound to
//! the request that produced them, and stable while resources come and go.

use crate::support::*;
use std::collections::HashSet;

/// Pages through `action` at `size`, running `between` after every page; returns every
/// id of `id_element` seen, in order.
fn page_all(
    s: &Server,
    action: &str,
    id_element: &str,
    size: usize,
    extra: &[(&str, &str)],
    mut between: impl FnMut(),
) -> Vec<String> {
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..10_000 {
        let size = size.to_string();
        let mut p: Vec<(&str, &str)> = vec![("MaxResults", &size)];
        p.extend_from_slice(extra);
        if let Some(t) = &token {
            p.push(("NextToken", t));
        }
        let r = s.call(action, &p).ok();
        let page = r.all(id_element);
        assert!(page.len() <= size.parse().unwrap());
        seen.extend(page);
        token = r.first("nextToken");
        if token.is_none() {
            return seen;
        }
        between();
    }
    panic!("paging did not end");
}

#[test]
fn paging_while_another_client_creates_never_repeats_or_skips() {
    let s = Server::start();
    for _ in 0..30 {
        s.call(
            "RunInstances",
            &[("ImageId", AMI), ("MinCount", "1"), ("MaxCount", "1")],
        )
        .ok();
    }
    let before: HashSet<String> = s
        .call("DescribeInstances", &[])
        .ok()
        .all("instanceId")
        .into_iter()
        .collect();
    let mut created = 0;
    let seen = page_all(&s, "DescribeInstances", "instanceId", 5, &[], || {
        // New reservations land before and after the cursor (ids are random).
        s.call(
            "RunInstances",
            &[("ImageId", AMI), ("MinCount", "2"), ("MaxCount", "2")],
        )
        .ok();
        created += 2;
    });
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "no instance twice");
    assert!(
        before.iter().all(|id| unique.contains(id)),
        "every instance that existed throughout was returned"
    );
    assert!(created > 0);
}

#[test]
fn paging_vpcs_while_some_are_created_keeps_the_ones_that_existed() {
    let s = Server::start();
    for i in 0..12 {
        s.call("CreateVpc", &[("CidrBlock", &format!("10.{i}.0.0/16"))])
            .ok();
    }
    let before: HashSet<String> = s
        .call("DescribeVpcs", &[])
        .ok()
        .all("vpcId")
        .into_iter()
        .collect();
    let mut n = 100;
    let seen = page_all(&s, "DescribeVpcs", "vpcId", 5, &[], || {
        n += 1;
        s.call("CreateVpc", &[("CidrBlock", &format!("10.{n}.0.0/16"))])
            .ok();
    });
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len());
    assert!(before.iter().all(|id| unique.contains(id)));
}

#[test]
fn no_next_token_on_the_last_page_and_everything_without_max_results() {
    let s = Server::start();
    for i in 0..4 {
        s.call("CreateVpc", &[("CidrBlock", &format!("10.{i}.0.0/16"))])
            .ok();
    }
    // Exactly five VPCs and MaxResults 5: one page, no token (moto#9559 looped Terraform).
    let r = s.call("DescribeVpcs", &[("MaxResults", "5")]).ok();
    assert_eq!(r.all("vpcId").len(), 5);
    assert_eq!(r.first("nextToken"), None);
    assert_eq!(s.call("DescribeVpcs", &[]).ok().all("vpcId").len(), 5);
    // Model bounds: DescribeVpcsMaxResults is 5..1000.
    let e = s.call("DescribeVpcs", &[("MaxResults", "1001")]);
    assert_error(
        &e,
        400,
        "InvalidParameterValue",
        "Value ( 1001 ) for parameter maxResults is invalid. Expecting a value less than 1000.",
    );
}

#[test]
fn a_token_only_works_for_the_request_that_produced_it() {
    let s = Server::start();
    s.call(
        "RunInstances",
        &[("ImageId", AMI), ("MinCount", "7"), ("MaxCount", "7")],
    )
    .ok();
    let r = s.call("DescribeInstances", &[("MaxResults", "5")]).ok();
    let token = r.first("nextToken").unwrap();
    let other = s.call(
        "DescribeInstances",
        &[
            ("MaxResults", "5"),
            ("NextToken", &token),
            ("Filter.1.Name", "instance-type"),
            ("Filter.1.Value.1", "m1.small"),
        ],
    );
    assert_eq!(other.error().1, "InvalidParameterValue");
    let vpcs = s.call(
        "DescribeVpcs",
        &[("MaxResults", "5"), ("NextToken", &token)],
    );
    assert_eq!(vpcs.error().1, "InvalidParameterValue");
    let rest = s
        .call(
            "DescribeInstances",
            &[("MaxResults", "5"), ("NextToken", &token)],
        )
        .ok();
    assert_eq!(rest.all("instanceId").len(), 2);
}

#[test]
fn paging_security_groups_subnets_images_and_tags_returns_each_once() {
    let s = Server::start();
    for i in 0..7 {
        s.call(
            "CreateSecurityGroup",
            &[("GroupName", &format!("g{i}")), ("GroupDescription", "x")],
        )
        .ok();
    }
    let groups = page_all(&s, "DescribeSecurityGroups", "groupName", 5, &[], || {});
    assert_eq!(groups.len(), 8);
    let subnets = page_all(&s, "DescribeSubnets", "subnetId", 5, &[], || {});
    assert_eq!(subnets.iter().collect::<HashSet<_>>().len(), 6);
    let images = page_all(&s, "DescribeImages", "imageId", 5, &[], || {});
    assert_eq!(
        images.len(),
        s.call("DescribeImages", &[]).ok().all("imageId").len()
    );
    let vpc = s.call("DescribeVpcs", &[]).ok().first("vpcId").unwrap();
    let keys: Vec<String> = (0..12).map(|i| format!("k{i:02}")).collect();
    let names: Vec<String> = (1..=12).map(|i| format!("Tag.{i}.Key")).collect();
    let mut p: Vec<(&str, &str)> = vec![("ResourceId.1", &vpc)];
    p.extend(
        names
            .iter()
            .map(String::as_str)
            .zip(keys.iter().map(String::as_str)),
    );
    s.call("CreateTags", &p).ok();
    let tags = page_all(&s, "DescribeTags", "key", 5, &[], || {});
    assert_eq!(tags, keys);
}
