//! Hostile and malformed EC2 Query input: `Node::from_form` and the generated
//! `Request::parse` must answer every one with a clear `Ec2Error` (code and message
//! asserted here) or accept it by a documented rule, never panic, and keep memory bounded.
//!
//! Documented acceptances (see also src/wire/query.rs):
//! - list indexes may skip numbers; items come back in index order;
//! - keys deeper than `MAX_DEPTH` segments and unknown keys (an empty key too) are ignored;
//! - `&&&` (empty pairs) are skipped; a key without `=` has the empty value;
//! - booleans are case-insensitive, numbers may carry surrounding blanks;
//! - an enum value the model does not list is kept (`Unknown`) for the handler to judge.

use parlel_ec2::generated::service::Request;
use parlel_ec2::generated::types::*;
use parlel_ec2::wire::query::{Node, MAX_DEPTH, MAX_NODES, MAX_PARAMS};
use parlel_ec2::Ec2Error;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

// ---------------------------------------------------------------------------------------
// Measuring memory: a pass-through allocator that tracks live and peak bytes per thread,
// so a test can bound what one call allocates while other tests run in parallel.

struct Counting;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn track(delta: isize) {
    // `try_with`: the thread-local may already be gone while a thread shuts down.
    let _ = LIVE.try_with(|live| {
        let now = live.get() + delta;
        live.set(now);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
    });
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            track(layout.size() as isize);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        track(-(layout.size() as isize));
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            track(new_size as isize - layout.size() as isize);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `f` and returns its result with the peak bytes it held live on this thread (what
/// it returns included).
fn peak_bytes<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(base));
    let out = f();
    let peak = PEAK.with(Cell::get) - base;
    (out, peak.max(0) as usize)
}

// ---------------------------------------------------------------------------------------
// Helpers

fn form(body: impl AsRef<[u8]>) -> Result<Node, Ec2Error> {
    Node::from_form(body.as_ref())
}

fn parse(action: &str, body: impl AsRef<[u8]>) -> Result<Request, Ec2Error> {
    Request::parse(action, &form(body)?)
}

fn err(code: &str, message: &str) -> Ec2Error {
    Ec2Error::new(code.to_string(), message.to_string())
}

fn describe_instances(body: &str) -> DescribeInstancesInput {
    match parse("DescribeInstances", body) {
        Ok(Request::DescribeInstances(i)) => i,
        other => panic!("{body}: {other:?}"),
    }
}

fn describe_vpcs(body: &str) -> Result<DescribeVpcsInput, Ec2Error> {
    match parse("DescribeVpcs", body)? {
        Request::DescribeVpcs(i) => Ok(i),
        other => panic!("{other:?}"),
    }
}

fn ids(v: &[&str]) -> Option<Vec<String>> {
    Some(v.iter().map(|s| s.to_string()).collect())
}

fn index_error(index: &str, name: &str) -> Ec2Error {
    err(
        "InvalidParameterValue",
        &format!("Invalid list index '{index}' for parameter {name}: indexes are 1-based integers"),
    )
}

// ---------------------------------------------------------------------------------------
// Form decoding

#[test]
fn duplicate_keys_are_rejected() {
    assert_eq!(
        form("Action=DescribeVpcs&VpcId.1=a&VpcId.1=b").unwrap_err(),
        err(
            "InvalidParameterValue",
            "The parameter VpcId.1 appears more than once"
        )
    );
    // Also when the two spellings only differ by percent-encoding.
    assert_eq!(
        form("DryRun=true&Dry%52un=false").unwrap_err(),
        err(
            "InvalidParameterValue",
            "The parameter DryRun appears more than once"
        )
    );
}

#[test]
fn invalid_percent_encoding_is_malformed() {
    let expected = err(
        "MalformedQueryString",
        "The query string is malformed: the query string has an invalid percent-encoding",
    );
    for body in ["Foo=%ZZ", "Foo=%4", "Foo=%", "F%G0o=1", "Foo=a%2"] {
        assert_eq!(form(body).unwrap_err(), expected, "{body}");
    }
}

#[test]
fn invalid_utf8_is_malformed() {
    let expected = err(
        "MalformedQueryString",
        "The query string is malformed: the query string is not valid UTF-8",
    );
    assert_eq!(form("Foo=%FF").unwrap_err(), expected);
    assert_eq!(form("Foo=%C3%28").unwrap_err(), expected);
    assert_eq!(form(b"Foo=\xff\xfe").unwrap_err(), expected);
    assert_eq!(form(b"F\xc0o=1").unwrap_err(), expected);
    // Valid multi-byte UTF-8 and `+` as a space are fine.
    let n = form("Foo=%C3%A9+%E2%98%83").unwrap();
    assert_eq!(n.get("Foo"), Some("é ☃"));
}

#[test]
fn empty_pairs_and_keys_without_a_value() {
    // `&&&` is no parameter at all.
    let n = form("&&&").unwrap();
    assert_eq!(n, Node::default());
    assert_eq!(
        describe_vpcs("&&&Action=DescribeVpcs&&&VpcId.1=vpc-1&&").unwrap(),
        DescribeVpcsInput {
            vpc_ids: ids(&["vpc-1"]),
            ..Default::default()
        }
    );
    // A key without `=` has the empty value: fine for a string, wrong for a boolean.
    assert_eq!(form("NextToken").unwrap().get("NextToken"), Some(""));
    assert_eq!(
        describe_vpcs("NextToken").unwrap().next_token.as_deref(),
        Some("")
    );
    assert_eq!(
        describe_vpcs("DryRun").unwrap_err(),
        err(
            "InvalidParameterValue",
            "Value () for parameter dryRun is invalid. Expected a boolean."
        )
    );
}

#[test]
fn empty_keys_are_unknown_parameters() {
    // `=x` names no member and is ignored like any unknown key.
    assert_eq!(
        describe_vpcs("=x&VpcId.1=vpc-1").unwrap(),
        DescribeVpcsInput {
            vpc_ids: ids(&["vpc-1"]),
            ..Default::default()
        }
    );
    // An empty segment inside a list is an index error, not a silent drop.
    assert_eq!(
        describe_vpcs("VpcId..1=vpc-1").unwrap_err(),
        index_error("", "vpcId")
    );
}

#[test]
fn unknown_keys_are_ignored() {
    assert_eq!(
        describe_vpcs("Action=DescribeVpcs&Version=2016-11-15&Bogus=1&vpcid.1=x").unwrap(),
        DescribeVpcsInput::default()
    );
}

// ---------------------------------------------------------------------------------------
// List indexes

#[test]
fn list_index_zero_is_rejected() {
    assert_eq!(
        parse("DescribeInstances", "InstanceId.0=i-1").unwrap_err(),
        index_error("0", "instanceId")
    );
}

#[test]
fn list_gaps_are_accepted_in_index_order() {
    assert_eq!(
        describe_instances("InstanceId.3=i-3&InstanceId.1=i-1").instance_ids,
        ids(&["i-1", "i-3"])
    );
    // Numeric order, not text order.
    assert_eq!(
        describe_instances("InstanceId.10=i-10&InstanceId.9=i-9&InstanceId.2=i-2").instance_ids,
        ids(&["i-2", "i-9", "i-10"])
    );
}

#[test]
fn huge_list_index_is_one_item() {
    // A sparse index costs one entry, not 999,999,999.
    let (i, bytes) = peak_bytes(|| describe_instances("InstanceId.999999999=i-1"));
    assert_eq!(i.instance_ids, ids(&["i-1"]));
    assert!(bytes < 16 * 1024, "{bytes} bytes");
    // Past u32, the index is not a number we take.
    assert_eq!(
        parse("DescribeInstances", "InstanceId.99999999999=i-1").unwrap_err(),
        index_error("99999999999", "instanceId")
    );
}

#[test]
fn list_index_with_leading_zeros_is_rejected() {
    for index in ["01", "001", "00"] {
        assert_eq!(
            parse("DescribeInstances", format!("InstanceId.{index}=i-1")).unwrap_err(),
            index_error(index, "instanceId")
        );
    }
}

#[test]
fn non_numeric_list_indexes_are_rejected() {
    for (raw, index) in [
        ("a", "a"),
        ("-1", "-1"),
        ("%2B1", "+1"),
        ("+1", " 1"),
        ("1a", "1a"),
        ("1e3", "1e3"),
        ("%C2%B9", "¹"),
        ("%D9%A1", "١"),
    ] {
        assert_eq!(
            parse("DescribeInstances", format!("InstanceId.{raw}=i-1")).unwrap_err(),
            index_error(index, "instanceId"),
            "{raw}"
        );
    }
    // Inside a list of structures too.
    assert_eq!(
        parse("DescribeInstances", "Filter.x.Name=a").unwrap_err(),
        index_error("x", "filter")
    );
}

#[test]
fn keys_nested_fifty_deep_are_ignored() {
    let deep = vec!["Filter"; 50].join(".");
    let n = form(format!("{deep}=x&InstanceId.1=i-1")).unwrap();
    assert_eq!(n.child("Filter"), None);
    assert_eq!(
        describe_instances(&format!("{deep}=x&InstanceId.1=i-1")),
        DescribeInstancesInput {
            instance_ids: ids(&["i-1"]),
            ..Default::default()
        }
    );
    // Exactly MAX_DEPTH segments are still kept.
    let kept = vec!["a"; MAX_DEPTH].join(".");
    assert!(form(format!("{kept}=x")).unwrap().child("a").is_some());
}

// ---------------------------------------------------------------------------------------
// Size

#[test]
fn one_megabyte_value_is_accepted_without_blowing_up() {
    let big = "a".repeat(1 << 20);
    let body = format!("Action=DescribeVpcs&NextToken={big}");
    let (node, bytes) = peak_bytes(|| form(&body).unwrap());
    assert_eq!(node.get("NextToken").map(str::len), Some(1 << 20));
    // The decoded copy and little else.
    assert!(bytes < 2 * body.len(), "{bytes} bytes for a 1 MiB body");
    assert_eq!(
        describe_vpcs(&body).unwrap().next_token.map(|t| t.len()),
        Some(1 << 20)
    );
    // Percent-encoded, the body is three times longer and decodes to the same.
    let encoded = format!("NextToken={}", "%61".repeat(1 << 20));
    let (node, bytes) = peak_bytes(|| form(&encoded).unwrap());
    assert_eq!(node.get("NextToken").map(str::len), Some(1 << 20));
    assert!(bytes < 2 * encoded.len(), "{bytes} bytes");
}

#[test]
fn parameter_count_is_limited() {
    let body = |n: usize| {
        (1..=n)
            .map(|i| format!("InstanceId.{i}=i-{i}"))
            .collect::<Vec<_>>()
            .join("&")
    };
    let at_limit = body(MAX_PARAMS);
    let (n, bytes) = peak_bytes(|| form(&at_limit).unwrap());
    let i = match Request::parse("DescribeInstances", &n).unwrap() {
        Request::DescribeInstances(i) => i,
        other => panic!("{other:?}"),
    };
    assert_eq!(i.instance_ids.map(|v| v.len()), Some(MAX_PARAMS));
    println!(
        "{} params, {} body bytes: {bytes} tree bytes",
        MAX_PARAMS,
        at_limit.len()
    );
    assert!(
        bytes < 64 * at_limit.len(),
        "{bytes} bytes for {}",
        at_limit.len()
    );

    assert_eq!(
        form(body(MAX_PARAMS + 1)).unwrap_err(),
        err(
            "InvalidParameterValue",
            "The request has more than 20000 parameters"
        )
    );
    // Empty pairs do not count.
    assert!(form(format!("{at_limit}&&&&")).is_ok());
}

/// The worst shape for a tree is every parameter opening a fresh chain of `MAX_DEPTH`
/// segments: one node per two body bytes. `MAX_NODES` caps the whole tree, so a request
/// that fills it stays a few megabytes, and one past it is refused.
#[test]
fn deep_wide_keys_keep_the_tree_bounded() {
    let chain = vec!["a"; MAX_DEPTH - 1].join(".");
    let body = |params: usize| {
        (0..params)
            .map(|i| format!("k{i}.{chain}=v"))
            .collect::<Vec<_>>()
            .join("&")
    };
    let fits = body(MAX_NODES / MAX_DEPTH);
    let (node, bytes) = peak_bytes(|| form(&fits).unwrap());
    assert!(node.child("k0").is_some());
    println!("{} body bytes: {bytes} tree bytes", fits.len());
    assert!(
        bytes < 8 << 20,
        "{bytes} bytes for a {} byte body",
        fits.len()
    );

    let too_many = body(MAX_NODES / MAX_DEPTH + 1);
    let expected = err(
        "InvalidParameterValue",
        "The request's parameter names have more than 60000 distinct segments",
    );
    let (e, bytes) = peak_bytes(|| form(&too_many).unwrap_err());
    assert_eq!(e, expected);
    assert!(bytes < 8 << 20, "{bytes} bytes");
    // The 1 MB version of the same attack is refused as early.
    let (e, bytes) = peak_bytes(|| form(body(MAX_PARAMS)).unwrap_err());
    assert_eq!(e, expected);
    assert!(bytes < 16 << 20, "{bytes} bytes");
    // Realistic shapes use far fewer nodes: 10,000 tags are 15,000 nodes.
    let tags: String = (1..=MAX_PARAMS / 2)
        .map(|i| format!("TagSpecification.1.Tag.{i}.Key=k{i}&TagSpecification.1.Tag.{i}.Value=v"))
        .collect::<Vec<_>>()
        .join("&");
    let (node, bytes) = peak_bytes(|| form(&tags).unwrap());
    println!("{} tag body bytes: {bytes} tree bytes", tags.len());
    assert!(bytes < 8 * tags.len(), "{bytes} bytes for {}", tags.len());
    let i = match Request::parse("CreateVpc", &node).unwrap() {
        Request::CreateVpc(i) => i,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        i.tag_specifications.unwrap()[0]
            .tags
            .as_ref()
            .unwrap()
            .len(),
        MAX_PARAMS / 2
    );
}

// ---------------------------------------------------------------------------------------
// Shapes that do not fit the member

#[test]
fn a_list_sent_without_an_index_is_refused() {
    let expected = err(
        "InvalidParameterValue",
        "Value (i-1) for parameter instanceId is invalid. A list is sent as numbered parameters (.1, .2, ...).",
    );
    assert_eq!(
        parse("DescribeInstances", "InstanceId=i-1").unwrap_err(),
        expected
    );
    assert_eq!(
        parse("DescribeInstances", "InstanceId=i-1&InstanceId.1=i-2").unwrap_err(),
        expected
    );
    // On a required list too, rather than an empty list reaching the handler.
    assert_eq!(
        parse("TerminateInstances", "InstanceId=i-1").unwrap_err(),
        expected
    );
}

#[test]
fn a_scalar_sent_as_a_structure_is_missing_its_value() {
    assert_eq!(
        describe_vpcs("DryRun.1=true").unwrap_err(),
        err(
            "InvalidParameterValue",
            "Value () for parameter dryRun is invalid. The value is missing."
        )
    );
    assert_eq!(
        parse("DescribeInstances", "InstanceId.1.x=i-1").unwrap_err(),
        err(
            "InvalidParameterValue",
            "Value () for parameter instanceId is invalid. The value is missing."
        )
    );
}

/// A value on a structure's own key (`Placement=x`) names no member, so it is ignored like
/// an unknown key; the members sent under it still count.
#[test]
fn a_value_on_a_structure_key_is_ignored() {
    let run = |body: &str| match parse("RunInstances", body) {
        Ok(Request::RunInstances(i)) => i,
        other => panic!("{other:?}"),
    };
    let i = run("MinCount=1&MaxCount=1&Placement=x&Placement.AvailabilityZone=us-east-1a");
    assert_eq!(
        i.placement.and_then(|p| p.availability_zone).as_deref(),
        Some("us-east-1a")
    );
    let i = describe_instances("Filter.1=x&Filter.1.Name=vpc-id");
    assert_eq!(
        i.filters,
        Some(vec![Filter {
            name: Some("vpc-id".into()),
            values: None
        }])
    );
}

// ---------------------------------------------------------------------------------------
// Members: required, types, ranges

#[test]
fn missing_required_members() {
    let missing = |action: &str, body: &str, name: &str| {
        assert_eq!(
            parse(action, body).unwrap_err(),
            err(
                "MissingParameter",
                &format!("The request must contain the parameter {name}")
            ),
            "{action} {body}"
        );
    };
    missing("CreateSubnet", "CidrBlock=10.0.0.0/24", "vpcId");
    missing("RunInstances", "MinCount=1", "maxCount");
    missing("RunInstances", "MaxCount=1", "minCount");
    missing("RebootInstances", "", "instanceId");
    missing("CreateKeyPair", "", "keyName");
    // Names AWS uses that differ from the wire key (codegen/names.rs quirk table).
    missing("CreateTags", "Tag.1.Key=k", "resourceIdSet");
    missing("CreateTags", "ResourceId.1=vpc-1", "tagSet");
    missing("CreateSecurityGroup", "GroupName=g", "GroupDescription");
    missing("CreateSecurityGroup", "GroupDescription=d", "GroupName");
    // An empty value is present, not missing.
    assert!(parse("CreateKeyPair", "KeyName=").is_ok());
    // Model quirk (codegen EC2_CHECKS_PRESENCE): these reach the handler empty, which
    // answers InvalidParameterCombination as real EC2 does.
    for action in ["StartInstances", "StopInstances", "TerminateInstances"] {
        assert!(parse(action, "").is_ok(), "{action}");
    }
}

#[test]
fn bad_integers() {
    for v in [
        "x",
        "1.5",
        "99999999999",
        "-2147483649",
        "0x10",
        "",
        "1_000",
        "١",
    ] {
        let body = format!("MinCount={}&MaxCount=1", v.replace('_', "%5F"));
        assert_eq!(
            parse("RunInstances", &body).unwrap_err(),
            err(
                "InvalidParameterValue",
                &format!("Value ({v}) for parameter minCount is invalid. Expected an integer.")
            ),
            "{body}"
        );
    }
    // Blanks around a number are tolerated, and the sign is part of it.
    match parse("RunInstances", "MinCount=+3+&MaxCount=-1") {
        Ok(Request::RunInstances(i)) => assert_eq!((i.min_count, i.max_count), (3, -1)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn bad_booleans() {
    for v in ["yes", "1", "0", "t", "", "truefalse", "on"] {
        assert_eq!(
            describe_vpcs(&format!("DryRun={v}")).unwrap_err(),
            err(
                "InvalidParameterValue",
                &format!("Value ({v}) for parameter dryRun is invalid. Expected a boolean.")
            ),
            "{v}"
        );
    }
    // Case does not matter.
    for (v, b) in [("TRUE", true), ("False", false), ("true", true)] {
        assert_eq!(
            describe_vpcs(&format!("DryRun={v}")).unwrap().dry_run,
            Some(b)
        );
    }
}

#[test]
fn range_violations() {
    assert_eq!(
        describe_vpcs("MaxResults=3").unwrap_err(),
        err(
            "InvalidParameterValue",
            "Value ( 3 ) for parameter maxResults is invalid. Expecting a value greater than 5."
        )
    );
    assert_eq!(
        describe_vpcs("MaxResults=1001").unwrap_err(),
        err(
            "InvalidParameterValue",
            "Value ( 1001 ) for parameter maxResults is invalid. Expecting a value less than 1000."
        )
    );
    assert_eq!(
        describe_vpcs("MaxResults=-5").unwrap_err().message,
        "Value ( -5 ) for parameter maxResults is invalid. Expecting a value greater than 5."
    );
    // The bounds themselves are valid.
    assert_eq!(describe_vpcs("MaxResults=5").unwrap().max_results, Some(5));
    assert_eq!(
        describe_vpcs("MaxResults=1000").unwrap().max_results,
        Some(1000)
    );
    // Same range on the other describe operations that have it.
    for action in ["DescribeSubnets", "DescribeSecurityGroups"] {
        assert_eq!(
            parse(action, "MaxResults=4").unwrap_err().message,
            "Value ( 4 ) for parameter maxResults is invalid. Expecting a value greater than 5.",
            "{action}"
        );
    }
}

#[test]
fn enum_values_outside_the_model_reach_the_handler() {
    match parse("RunInstances", "MinCount=1&MaxCount=1&InstanceType=t9.huge") {
        Ok(Request::RunInstances(i)) => {
            assert_eq!(
                i.instance_type,
                Some(InstanceType::Unknown("t9.huge".into()))
            );
            assert!(!i.instance_type.unwrap().is_known());
        }
        other => panic!("{other:?}"),
    }
}

// ---------------------------------------------------------------------------------------
// Actions

#[test]
fn unknown_action() {
    for action in ["Foo", "describevpcs", "DescribeVpcs ", "DescribeVpcs\u{0}"] {
        assert_eq!(
            parse(action, "").unwrap_err(),
            err(
                "InvalidAction",
                &format!("The action {action} is not valid for this web service.")
            )
        );
    }
}

#[test]
fn real_but_unsupported_operation() {
    for action in [
        "CreateTransitGateway",
        "DescribeSpotPriceHistory",
        "CreateCapacityReservation",
    ] {
        assert_eq!(
            parse(action, "VpcId=vpc-1").unwrap_err(),
            err(
                "UnsupportedOperation",
                &format!("The operation {action} is not supported by parlel-ec2 yet; see model/operations.txt.")
            )
        );
    }
}
