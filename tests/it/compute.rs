//! Issue #10's rules at handler level (no HTTP): DescribeInstanceStatus filters and
//! paging, and which snapshots an account sees.

use crate::local::Region;
use parlel_ec2::generated::service::Ec2;
use parlel_ec2::generated::types as w;
use parlel_ec2::store::Snapshot;

fn status(
    r: &mut Region,
    input: w::DescribeInstanceStatusInput,
) -> w::DescribeInstanceStatusOutput {
    r.call(|h, cx| h.describe_instance_status(cx, input))
        .expect("status")
}

/// DescribeInstanceStatus API reference: running instances only by default, filters on
/// the checks, MaxResults pages (5–1000) with a NextToken.
#[test]
fn instance_status_filters_and_pages() {
    let mut r = Region::new();
    r.config.transition = std::time::Duration::from_secs(1);
    let ids: Vec<String> = (0..6).map(|_| r.run_tagged("k")).collect();
    let by_status = |r: &mut Region, s: &str| {
        let out = status(
            r,
            w::DescribeInstanceStatusInput {
                filters: Some(vec![w::Filter {
                    name: Some("instance-status.status".into()),
                    values: Some(vec![s.into()]),
                }]),
                include_all_instances: Some(true),
                ..Default::default()
            },
        );
        out.instance_statuses.unwrap().len()
    };
    assert_eq!(
        by_status(&mut r, "initializing"),
        6,
        "pending: initializing"
    );
    r.later(1);
    assert_eq!(
        by_status(&mut r, "initializing"),
        6,
        "running for under one transition"
    );
    r.later(1);
    assert_eq!(by_status(&mut r, "ok"), 6);

    let first = status(
        &mut r,
        w::DescribeInstanceStatusInput {
            max_results: Some(5),
            ..Default::default()
        },
    );
    assert_eq!(first.instance_statuses.as_ref().unwrap().len(), 5);
    let rest = status(
        &mut r,
        w::DescribeInstanceStatusInput {
            max_results: Some(5),
            next_token: first.next_token.clone(),
            ..Default::default()
        },
    );
    assert_eq!(rest.instance_statuses.as_ref().unwrap().len(), 1);
    assert_eq!(rest.next_token, None);
    let mut seen: Vec<String> = first
        .instance_statuses
        .unwrap()
        .into_iter()
        .chain(rest.instance_statuses.unwrap())
        .map(|s| s.instance_id.unwrap())
        .collect();
    seen.sort();
    let mut want = ids.clone();
    want.sort();
    assert_eq!(seen, want);
}

/// DescribeSnapshots API reference: without OwnerIds the answer is every snapshot the
/// account may restore — its own, public ones (the catalog's), ones shared with it — and
/// not another account's private snapshot, which is NotFound by id.
#[test]
fn an_account_sees_the_snapshots_it_may_restore() {
    let mut r = Region::new();
    let catalog = r.state.snapshots.len();
    assert!(catalog > 0 && r.state.snapshots.values().all(|s| s.public));
    let mut private = r.state.snapshots.values().next().unwrap().clone();
    private.id = "snap-0aaaaaaaaaaaaaaaa".into();
    private.owner_id = "999999999999".into();
    private.owner_alias = None;
    private.public = false;
    let mut shared: Snapshot = private.clone();
    shared.id = "snap-0bbbbbbbbbbbbbbbb".into();
    shared.shared_with = vec![crate::local::ACCOUNT.into()];
    r.state
        .snapshots
        .insert(private.id.clone(), private.clone());
    r.state.snapshots.insert(shared.id.clone(), shared.clone());
    let all = r
        .call(|h, cx| h.describe_snapshots(cx, Default::default()))
        .unwrap()
        .snapshots
        .unwrap();
    assert_eq!(all.len(), catalog + 1);
    assert!(all
        .iter()
        .any(|s| s.snapshot_id.as_deref() == Some(shared.id.as_str())));
    let err = r
        .call(|h, cx| {
            h.describe_snapshots(
                cx,
                w::DescribeSnapshotsInput {
                    snapshot_ids: Some(vec![private.id.clone()]),
                    ..Default::default()
                },
            )
        })
        .unwrap_err();
    assert_eq!(err.code, "InvalidSnapshot.NotFound");
}
