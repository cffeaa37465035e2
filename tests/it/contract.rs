//! The contract between `model/ec2.json` and the generated EC2 layer, for every operation.
//!
//! Everything here is derived from the model JSON by this file alone (serde_json over the
//! AST), never from the generator, so the two are independent readings of one model:
//!
//! - Input: a maximal input `Value` (every member set, lists of two, nested structures,
//!   enums from their listed values, integers inside their `range`, whole-millisecond
//!   timestamps) is encoded to query pairs by the ec2Query key rule, parsed by the
//!   generated `Request::parse`, and must `Reflect` back to the same `Value`.
//! - Output: a maximal output `Value` becomes the typed output (`Reflect::from_value`), is
//!   written by `Response::to_xml`, and the XML is read back by a reader that knows only the
//!   model: root `{Op}Response` in EC2's namespace, a `requestId`, each element a member's
//!   xmlName (else its name), list items named by the list member's xmlName (`item`), and
//!   scalar text well-formed for its type. What it reads must equal what was built.

use parlel_ec2::generated::service::{Request, Response, XML_NAMESPACE};
use parlel_ec2::generated::types::*;
use parlel_ec2::wire::query::Node;
use parlel_ec2::wire::value::{Reflect, Value};
use parlel_ec2::wire::Timestamp;
use serde_json::{Map, Value as Json};
use std::collections::BTreeMap;
use std::sync::OnceLock;

const EC2_NAMESPACE: &str = "http://ec2.amazonaws.com/doc/2016-11-15/";

/// The generated `Request`/`Response` variants, by operation. Matching on `Request` is
/// exhaustive, so an operation added to the model without being added here does not
/// compile; `operation_list_matches_the_model` checks the list against the model.
macro_rules! operations {
    (with_output: [$($op:ident),* $(,)?], without_output: [$($bare:ident),* $(,)?] $(,)?) => {
        const OPERATIONS: &[&str] = &[$(stringify!($op),)* $(stringify!($bare),)*];
        const WITHOUT_OUTPUT: &[&str] = &[$(stringify!($bare),)*];

        fn input_value(r: &Request) -> Value {
            match r {
                $(Request::$op(i) => i.to_value(),)*
                $(Request::$bare(i) => i.to_value(),)*
            }
        }

        /// `None` for an operation whose model has no output shape.
        fn response(op: &str, v: &Value) -> Option<Response> {
            match op {
                $(stringify!($op) => Some(Response::$op(
                    Reflect::from_value(v).unwrap_or_else(|| panic!("{op}: from_value failed")),
                )),)*
                $(stringify!($bare) => None,)*
                other => panic!("{other} is not listed"),
            }
        }

        /// The answer of an operation without an output shape.
        fn bare_response(op: &str) -> Response {
            match op {
                $(stringify!($bare) => Response::$bare(paste_output!($bare)),)*
                other => panic!("{other} has an output shape"),
            }
        }
    };
}

/// `CreateTags` → `CreateTagsOutput {}` (the generated placeholder for "no output").
macro_rules! paste_output {
    (AssociateDhcpOptions) => {
        AssociateDhcpOptionsOutput {}
    };
    (AttachInternetGateway) => {
        AttachInternetGatewayOutput {}
    };
    (CreateNetworkAclEntry) => {
        CreateNetworkAclEntryOutput {}
    };
    (CreateTags) => {
        CreateTagsOutput {}
    };
    (DeleteDhcpOptions) => {
        DeleteDhcpOptionsOutput {}
    };
    (DeleteInternetGateway) => {
        DeleteInternetGatewayOutput {}
    };
    (DeleteNetworkAcl) => {
        DeleteNetworkAclOutput {}
    };
    (DeleteNetworkAclEntry) => {
        DeleteNetworkAclEntryOutput {}
    };
    (DeleteNetworkInterface) => {
        DeleteNetworkInterfaceOutput {}
    };
    (DeleteRoute) => {
        DeleteRouteOutput {}
    };
    (DeleteRouteTable) => {
        DeleteRouteTableOutput {}
    };
    (DeleteSnapshot) => {
        DeleteSnapshotOutput {}
    };
    (DeleteSubnet) => {
        DeleteSubnetOutput {}
    };
    (DeleteTags) => {
        DeleteTagsOutput {}
    };
    (DeleteVolume) => {
        DeleteVolumeOutput {}
    };
    (DeleteVpc) => {
        DeleteVpcOutput {}
    };
    (DetachInternetGateway) => {
        DetachInternetGatewayOutput {}
    };
    (DetachNetworkInterface) => {
        DetachNetworkInterfaceOutput {}
    };
    (DisassociateAddress) => {
        DisassociateAddressOutput {}
    };
    (DisassociateRouteTable) => {
        DisassociateRouteTableOutput {}
    };
    (ModifyImageAttribute) => {
        ModifyImageAttributeOutput {}
    };
    (ModifyInstanceAttribute) => {
        ModifyInstanceAttributeOutput {}
    };
    (ModifyNetworkInterfaceAttribute) => {
        ModifyNetworkInterfaceAttributeOutput {}
    };
    (ModifySnapshotAttribute) => {
        ModifySnapshotAttributeOutput {}
    };
    (ModifySubnetAttribute) => {
        ModifySubnetAttributeOutput {}
    };
    (ModifyVolumeAttribute) => {
        ModifyVolumeAttributeOutput {}
    };
    (ModifyVpcAttribute) => {
        ModifyVpcAttributeOutput {}
    };
    (RebootInstances) => {
        RebootInstancesOutput {}
    };
    (ReleaseAddress) => {
        ReleaseAddressOutput {}
    };
    (ReplaceNetworkAclEntry) => {
        ReplaceNetworkAclEntryOutput {}
    };
    (ReplaceRoute) => {
        ReplaceRouteOutput {}
    };
    (ResetInstanceAttribute) => {
        ResetInstanceAttributeOutput {}
    };
    (ResetNetworkInterfaceAttribute) => {
        ResetNetworkInterfaceAttributeOutput {}
    };
    (ResetImageAttribute) => {
        ResetImageAttributeOutput {}
    };
    (UnassignPrivateIpAddresses) => {
        UnassignPrivateIpAddressesOutput {}
    };
}

operations! {
    with_output: [
        AllocateAddress, AssignPrivateIpAddresses, AssociateAddress,
        AssociateIamInstanceProfile, AssociateRouteTable, AssociateSubnetCidrBlock,
        AssociateVpcCidrBlock, AttachNetworkInterface, AttachVolume,
        AuthorizeSecurityGroupEgress, AuthorizeSecurityGroupIngress, CopyImage,
        CopySnapshot, CreateDefaultSubnet, CreateDefaultVpc, CreateDhcpOptions,
        CreateEgressOnlyInternetGateway, CreateImage, CreateInternetGateway, CreateKeyPair,
        CreateLaunchTemplate, CreateLaunchTemplateVersion, CreateManagedPrefixList,
        CreateNatGateway, CreateNetworkAcl, CreateNetworkInterface, CreateRoute,
        CreateRouteTable, CreateSecurityGroup, CreateSnapshot, CreateSnapshots,
        CreateSubnet, CreateSubnetCidrReservation, CreateVolume, CreateVpc,
        CreateVpcEndpoint, DeleteEgressOnlyInternetGateway, DeleteKeyPair,
        DeleteLaunchTemplate, DeleteLaunchTemplateVersions, DeleteManagedPrefixList,
        DeleteNatGateway, DeleteSecurityGroup, DeleteSubnetCidrReservation,
        DeleteVpcEndpoints, DeregisterImage, DescribeAccountAttributes, DescribeAddresses,
        DescribeAddressesAttribute, DescribeAvailabilityZones, DescribeDhcpOptions,
        DescribeEgressOnlyInternetGateways, DescribeIamInstanceProfileAssociations,
        DescribeImageAttribute, DescribeImages, DescribeInstanceAttribute,
        DescribeInstanceCreditSpecifications, DescribeInstanceStatus,
        DescribeInstanceTypeOfferings, DescribeInstanceTypes, DescribeInstances,
        DescribeInternetGateways, DescribeKeyPairs, DescribeLaunchTemplateVersions,
        DescribeLaunchTemplates, DescribeManagedPrefixLists, DescribeNatGateways,
        DescribeNetworkAcls, DescribeNetworkInterfaceAttribute, DescribeNetworkInterfaces,
        DescribePrefixLists, DescribeRegions, DescribeRouteTables,
        DescribeSecurityGroupReferences, DescribeSecurityGroupRules, DescribeSecurityGroups,
        DescribeSnapshotAttribute, DescribeSnapshots, DescribeStaleSecurityGroups,
        DescribeSubnets, DescribeTags, DescribeVolumeAttribute, DescribeVolumeStatus,
        DescribeVolumes, DescribeVolumesModifications, DescribeVpcAttribute,
        DescribeVpcEndpointServices, DescribeVpcEndpoints, DescribeVpcs, DetachVolume,
        DisableImage, DisableImageDeprecation, DisassociateIamInstanceProfile,
        DisassociateSubnetCidrBlock, DisassociateVpcCidrBlock, EnableImage,
        EnableImageDeprecation, GetConsoleOutput, GetLaunchTemplateData,
        GetManagedPrefixListEntries, GetPasswordData, GetSubnetCidrReservations,
        ImportKeyPair, ModifyInstanceCreditSpecification, ModifyInstanceMetadataOptions,
        ModifyInstancePlacement,
        ModifyLaunchTemplate, ModifyManagedPrefixList, ModifySecurityGroupRules,
        ModifyVolume, ModifyVpcEndpoint, MonitorInstances, RegisterImage,
        ReplaceIamInstanceProfileAssociation, ReplaceNetworkAclAssociation,
        ReplaceRouteTableAssociation, RevokeSecurityGroupEgress, RevokeSecurityGroupIngress,
        RunInstances, StartInstances, StopInstances, TerminateInstances, UnmonitorInstances,
        UpdateSecurityGroupRuleDescriptionsEgress,
        UpdateSecurityGroupRuleDescriptionsIngress,
    ],
    without_output: [
        AssociateDhcpOptions, AttachInternetGateway, CreateNetworkAclEntry, CreateTags,
        DeleteDhcpOptions, DeleteInternetGateway, DeleteNetworkAcl, DeleteNetworkAclEntry,
        DeleteNetworkInterface, DeleteRoute, DeleteRouteTable, DeleteSnapshot, DeleteSubnet,
        DeleteTags, DeleteVolume, DeleteVpc, DetachInternetGateway, DetachNetworkInterface,
        DisassociateAddress, DisassociateRouteTable, ModifyImageAttribute,
        ModifyInstanceAttribute, ModifyNetworkInterfaceAttribute, ModifySnapshotAttribute,
        ModifySubnetAttribute, ModifyVolumeAttribute, ModifyVpcAttribute, RebootInstances,
        ReleaseAddress, ReplaceNetworkAclEntry, ReplaceRoute, ResetImageAttribute,
        ResetInstanceAttribute, ResetNetworkInterfaceAttribute, UnassignPrivateIpAddresses,
    ],
}

// ---------------------------------------------------------------------------------------
// The model, read on its own

struct Model {
    shapes: Map<String, Json>,
}

fn model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/model/ec2.json");
        let root: Json = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        Model {
            shapes: root["shapes"].as_object().unwrap().clone(),
        }
    })
}

/// What a member's target is, as far as values go.
#[derive(Debug)]
enum Kind<'m> {
    /// At most this many characters (the model's `length` trait), if it says.
    Str(Option<usize>),
    Bool,
    /// An integer type with its bounds (type width narrowed by `range`).
    Int(i64, i64),
    Float,
    Time,
    Blob,
    Enum(Vec<&'m str>),
    Struct(&'m Map<String, Json>),
    List(&'m Json),
}

impl Model {
    fn shape(&self, id: &str) -> &Json {
        self.shapes
            .get(id)
            .unwrap_or_else(|| panic!("{id} not in the model"))
    }

    fn service(&self) -> &Json {
        self.shapes
            .values()
            .find(|s| s["type"] == "service")
            .unwrap()
    }

    /// `(name, input id, output id)` of every operation the service binds.
    fn operations(&self) -> Vec<(String, Option<String>, Option<String>)> {
        let io = |v: &Json| {
            v["target"]
                .as_str()
                .filter(|t| *t != "smithy.api#Unit")
                .map(str::to_string)
        };
        self.service()["operations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| {
                let id = o["target"].as_str().unwrap();
                let s = self.shape(id);
                (local(id).to_string(), io(&s["input"]), io(&s["output"]))
            })
            .collect()
    }

    fn kind<'m>(&'m self, member: &'m Json) -> Kind<'m> {
        let target = member["target"].as_str().unwrap();
        let (ty, shape) = match target.strip_prefix("smithy.api#") {
            Some(prelude) => (prelude_type(prelude), None),
            None => {
                let s = self.shape(target);
                (s["type"].as_str().unwrap(), Some(s))
            }
        };
        let trait_of = |name: &str| {
            member["traits"]
                .get(name)
                .or_else(|| shape.and_then(|s| s["traits"].get(name)))
        };
        if let Some(f) = trait_of("smithy.api#timestampFormat") {
            assert_eq!(f, "date-time", "EC2 timestamps are date-time only");
        }
        let int = |lo: i64, hi: i64| {
            let range = trait_of("smithy.api#range");
            let bound = |k: &str, d: i64| range.and_then(|r| r[k].as_i64()).unwrap_or(d);
            Kind::Int(bound("min", lo), bound("max", hi))
        };
        match ty {
            "string" => Kind::Str(
                trait_of("smithy.api#length")
                    .and_then(|l| l["max"].as_u64())
                    .map(|n| n as usize),
            ),
            "boolean" => Kind::Bool,
            "byte" => int(i8::MIN.into(), i8::MAX.into()),
            "short" => int(i16::MIN.into(), i16::MAX.into()),
            "integer" => int(i32::MIN.into(), i32::MAX.into()),
            "long" => int(i64::MIN, i64::MAX),
            "float" | "double" => Kind::Float,
            "timestamp" => Kind::Time,
            "blob" => Kind::Blob,
            "enum" => Kind::Enum(
                shape.unwrap()["members"]
                    .as_object()
                    .unwrap()
                    .iter()
                    .map(|(name, m)| m["traits"]["smithy.api#enumValue"].as_str().unwrap_or(name))
                    .collect(),
            ),
            "structure" => Kind::Struct(shape.unwrap()["members"].as_object().unwrap()),
            "list" => Kind::List(&shape.unwrap()["member"]),
            other => panic!("{target}: {other} is not an EC2 member type"),
        }
    }
}

fn prelude_type(name: &str) -> &'static str {
    match name {
        "String" => "string",
        "Boolean" | "PrimitiveBoolean" => "boolean",
        "Byte" => "byte",
        "Short" => "short",
        "Integer" | "PrimitiveInteger" => "integer",
        "Long" | "PrimitiveLong" => "long",
        "Float" | "Double" => "double",
        "Timestamp" => "timestamp",
        "Blob" => "blob",
        other => panic!("prelude shape {other}"),
    }
}

fn local(id: &str) -> &str {
    id.rsplit('#').next().unwrap()
}

fn trait_str<'a>(member: &'a Json, name: &str) -> Option<&'a str> {
    member["traits"].get(name).and_then(Json::as_str)
}

fn upper_first(s: &str) -> String {
    let mut cs = s.chars();
    cs.next()
        .map(|c| c.to_uppercase().chain(cs).collect())
        .unwrap_or_default()
}

/// ec2Query's key rule: `ec2QueryName`, else the capitalised `xmlName`, else the capitalised
/// member name.
fn query_key(name: &str, member: &Json) -> String {
    trait_str(member, "aws.protocols#ec2QueryName")
        .map(str::to_string)
        .or_else(|| trait_str(member, "smithy.api#xmlName").map(upper_first))
        .unwrap_or_else(|| upper_first(name))
}

/// A response element: `xmlName`, else the member name.
fn element_name<'a>(name: &'a str, member: &'a Json) -> &'a str {
    trait_str(member, "smithy.api#xmlName").unwrap_or(name)
}

/// `Value::Struct` keys are `&'static str`; member names live as long as the model does,
/// which is the whole test run.
fn static_name(name: &str) -> &'static str {
    static NAMES: OnceLock<std::sync::Mutex<BTreeMap<String, &'static str>>> = OnceLock::new();
    let mut names = NAMES.get_or_init(Default::default).lock().unwrap();
    names
        .entry(name.to_string())
        .or_insert_with(|| Box::leak(name.to_string().into_boxed_str()))
}

// ---------------------------------------------------------------------------------------
// Maximal values

/// Builds maximal values, varying scalars with a counter so that no two members are
/// accidentally equal.
struct Builder<'m> {
    m: &'m Model,
    n: i64,
    /// Structure ids on the current path, to stop recursion at depth 2.
    path: Vec<&'m str>,
}

impl Builder<'static> {
    fn new() -> Builder<'static> {
        Builder {
            m: model(),
            n: 0,
            path: Vec::new(),
        }
    }
}

impl<'m> Builder<'m> {
    fn structure(&mut self, id: &'m str) -> Value {
        let ms = self.m.shape(id)["members"].as_object().unwrap();
        self.path.push(id);
        let mut out = Vec::new();
        for (name, member) in ms {
            if let Some(v) = self.member(member) {
                out.push((static_name(name), v));
            }
        }
        self.path.pop();
        Value::Struct(out)
    }

    fn member(&mut self, member: &'m Json) -> Option<Value> {
        self.n += 1;
        let n = self.n;
        Some(match self.m.kind(member) {
            // Text that needs escaping in both a form body and XML, and non-ASCII.
            Kind::Str(max) => {
                let s = format!("v{n} a&b=c+d <e> \"f\" 'g' %h é ☃");
                Value::Str(s.chars().take(max.unwrap_or(usize::MAX)).collect())
            }
            Kind::Bool => Value::Bool(n % 2 == 0),
            Kind::Int(lo, hi) => {
                let span = (hi as i128 - lo as i128).min(1000) as i64;
                Value::Int(lo.max(-500).min(hi - span) + n % (span + 1))
            }
            // Exact in f32 as well as f64.
            Kind::Float => Value::Float(n as f64 + 0.25),
            // Whole milliseconds.
            Kind::Time => Value::Time(Timestamp::from_millis(1_700_000_000_000 + n * 1_001)),
            Kind::Blob => Value::Blob(vec![0, 255, b'&', b'<', n as u8]),
            Kind::Enum(values) => Value::Str(values[n as usize % values.len()].to_string()),
            Kind::Struct(_) => {
                let id = member["target"].as_str().unwrap();
                if self.path.iter().filter(|p| **p == id).count() >= 2 {
                    return None;
                }
                self.structure(id)
            }
            Kind::List(item) => Value::List(vec![self.member(item)?, self.member(item)?]),
        })
    }
}

// ---------------------------------------------------------------------------------------
// Input: Value -> query pairs, by the model

fn encode(
    m: &Model,
    members: &Map<String, Json>,
    v: &Value,
    prefix: &str,
    out: &mut Vec<(String, String)>,
) {
    for (name, value) in v.as_struct().unwrap() {
        let member = &members[*name];
        let key = format!("{prefix}{}", query_key(name, member));
        encode_value(m, member, value, &key, out);
    }
}

fn encode_value(m: &Model, member: &Json, v: &Value, key: &str, out: &mut Vec<(String, String)>) {
    use base64::Engine;
    let text = match (m.kind(member), v) {
        (Kind::Struct(ms), _) => return encode(m, ms, v, &format!("{key}."), out),
        (Kind::List(item), Value::List(items)) => {
            // Always flattened, 1-based; the list member's own name never appears.
            for (i, x) in items.iter().enumerate() {
                encode_value(m, item, x, &format!("{key}.{}", i + 1), out);
            }
            return;
        }
        (_, Value::Str(s)) => s.clone(),
        (_, Value::Bool(b)) => b.to_string(),
        (_, Value::Int(i)) => i.to_string(),
        (_, Value::Float(f)) => f.to_string(),
        (_, Value::Time(t)) => rfc3339(t.millis()),
        (_, Value::Blob(b)) => base64::engine::general_purpose::STANDARD.encode(b),
        (k, v) => panic!("{k:?} with {v:?}"),
    };
    out.push((key.to_string(), text));
}

fn rfc3339(millis: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000)
        .unwrap()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}

/// RFC 3986 percent-encoding of everything but the unreserved characters.
fn percent(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn form(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", percent(k), percent(v)))
        .collect::<Vec<_>>()
        .join("&")
}

// ---------------------------------------------------------------------------------------
// Output: XML -> Value, by the model

/// Reads a structure's member elements. `at` is the path so far; at the root (no `/` in
/// it yet) the `requestId` element, checked by `read_response`, is not a member.
fn read_struct(m: &Model, members: &Map<String, Json>, node: roxmltree::Node, at: &str) -> Value {
    let is_root = !at.contains('/');
    let by_element: BTreeMap<&str, (&String, &Json)> = members
        .iter()
        .map(|(name, member)| (element_name(name, member), (name, member)))
        .collect();
    let mut read: BTreeMap<&str, Value> = BTreeMap::new();
    for child in node.children().filter(|c| c.is_element()) {
        let tag = child.tag_name().name();
        if is_root && tag == "requestId" {
            continue;
        }
        let here = format!("{at}/{tag}");
        check_element(child, &here);
        let (name, member) = by_element
            .get(tag)
            .unwrap_or_else(|| panic!("{here}: no member has this element name"));
        let value = read_value(m, member, child, &here);
        assert!(read.insert(name.as_str(), value).is_none(), "{here}: twice");
    }
    // Members in model order, as Reflect writes them.
    Value::Struct(
        members
            .keys()
            .filter_map(|name| Some((static_name(name), read.remove(name.as_str())?)))
            .collect(),
    )
}

fn check_element(n: roxmltree::Node, at: &str) {
    assert_eq!(n.tag_name().namespace(), Some(EC2_NAMESPACE), "{at}");
    assert_eq!(n.attributes().len(), 0, "{at}: attributes");
}

fn read_value(m: &Model, member: &Json, n: roxmltree::Node, at: &str) -> Value {
    use base64::Engine;
    let kind = m.kind(member);
    if let Kind::Struct(ms) = kind {
        return read_struct(m, ms, n, at);
    }
    if let Kind::List(item) = kind {
        // EC2 names output list items `item`, except where the model names them otherwise
        // (a launch template interface's `groupSet` holds `groupId` elements).
        let item_name = trait_str(item, "smithy.api#xmlName").unwrap_or("member");
        return Value::List(
            n.children()
                .filter(|c| c.is_element())
                .enumerate()
                .map(|(i, c)| {
                    let here = format!("{at}/{}[{}]", c.tag_name().name(), i + 1);
                    check_element(c, &here);
                    assert_eq!(c.tag_name().name(), item_name, "{here}");
                    read_value(m, item, c, &here)
                })
                .collect(),
        );
    }
    assert!(
        n.children().all(|c| c.is_text()),
        "{at}: a scalar has child elements"
    );
    let text = n.text().unwrap_or("");
    let bad = || -> ! { panic!("{at}: {text:?} is not a valid {kind:?}") };
    match kind {
        Kind::Str(_) => Value::Str(text.to_string()),
        Kind::Bool => match text {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => bad(),
        },
        Kind::Int(lo, hi) => match text.parse::<i64>() {
            Ok(i) if (lo..=hi).contains(&i) && i.to_string() == text => Value::Int(i),
            _ => bad(),
        },
        Kind::Float => Value::Float(text.parse().unwrap_or_else(|_| bad())),
        Kind::Time => Value::Time(Timestamp::from_millis(
            ec2_timestamp(text).unwrap_or_else(|| bad()),
        )),
        Kind::Blob => Value::Blob(
            base64::engine::general_purpose::STANDARD
                .decode(text)
                .unwrap_or_else(|_| bad()),
        ),
        Kind::Enum(ref values) if values.contains(&text) => Value::Str(text.to_string()),
        _ => bad(),
    }
}

/// `YYYY-MM-DDTHH:MM:SS.sssZ` exactly (EC2's spelling), as milliseconds since the epoch.
fn ec2_timestamp(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let shape = b.len() == 24
        && b.iter().enumerate().all(|(i, &c)| match i {
            4 | 7 => c == b'-',
            10 => c == b'T',
            13 | 16 => c == b':',
            19 => c == b'.',
            23 => c == b'Z',
            _ => c.is_ascii_digit(),
        });
    if !shape {
        return None;
    }
    let t = time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok()?;
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).ok()
}

/// Reads a response document: root, namespace and requestId, then the members.
fn read_response(m: &Model, op: &str, output: Option<&str>, xml: &str) -> Value {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("{op}: {e}: {xml}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), format!("{op}Response"));
    assert_eq!(root.tag_name().namespace(), Some(EC2_NAMESPACE));
    assert_eq!(XML_NAMESPACE, EC2_NAMESPACE);
    let ids: Vec<_> = root
        .children()
        .filter(|c| c.has_tag_name((EC2_NAMESPACE, "requestId")))
        .collect();
    assert_eq!(ids.len(), 1, "{op}: one requestId");
    assert_eq!(ids[0].text(), Some("id"));
    let rest: Vec<_> = root
        .children()
        .filter(|c| c.is_element() && !c.has_tag_name((EC2_NAMESPACE, "requestId")))
        .collect();
    match output {
        Some(id) => read_struct(m, m.shape(id)["members"].as_object().unwrap(), root, op),
        None => {
            assert_eq!(rest.len(), 1, "{op}: {xml}");
            assert!(rest[0].has_tag_name((EC2_NAMESPACE, "return")), "{xml}");
            assert_eq!(rest[0].text(), Some("true"));
            Value::Struct(vec![])
        }
    }
}

// ---------------------------------------------------------------------------------------
// The tests

#[test]
fn operation_list_matches_the_model() {
    let mut ours: Vec<&str> = OPERATIONS.to_vec();
    ours.sort_unstable();
    let m = model();
    let mut theirs: Vec<String> = m.operations().into_iter().map(|(n, _, _)| n).collect();
    theirs.sort();
    assert_eq!(ours, theirs);
    let mut bare: Vec<String> = m
        .operations()
        .into_iter()
        .filter(|(_, _, output)| output.is_none())
        .map(|(n, _, _)| n)
        .collect();
    bare.sort();
    assert_eq!(WITHOUT_OUTPUT, bare);
}

#[test]
fn every_input_round_trips_through_the_query_parser() {
    let m = model();
    for (op, input, _) in m.operations() {
        let Some(input) = input else {
            continue;
        };
        let built = Builder::new().structure(static_name(&input));
        let mut pairs = vec![
            ("Action".to_string(), op.clone()),
            ("Version".to_string(), "2016-11-15".to_string()),
        ];
        let members = m.shape(&input)["members"].as_object().unwrap();
        encode(m, members, &built, "", &mut pairs);
        assert!(pairs.len() > 2, "{op}: nothing to encode");
        let body = form(&pairs);
        let node = Node::from_form(body.as_bytes()).unwrap_or_else(|e| panic!("{op}: {e}"));
        let request = Request::parse(&op, &node).unwrap_or_else(|e| panic!("{op}: {e}\n{body}"));
        assert_eq!(request.action(), op);
        assert_eq!(input_value(&request), built, "{op}\n{body}");
    }
}

#[test]
fn every_output_round_trips_through_the_xml_writer() {
    let m = model();
    for (op, _, output) in m.operations() {
        let (built, xml) = match &output {
            Some(id) => {
                let built = Builder::new().structure(static_name(id));
                let r = response(&op, &built).unwrap();
                (built, r.to_xml("id"))
            }
            None => (Value::Struct(vec![]), bare_response(&op).to_xml("id")),
        };
        let read = read_response(m, &op, output.as_deref(), &xml);
        assert_eq!(read, built, "{op}\n{xml}");
    }
}

/// The maximal values really are maximal: every member of every structure reachable from
/// an operation is set somewhere, and lists hold two items.
#[test]
fn maximal_values_cover_every_member() {
    fn count(v: &Value, lists_ok: &mut bool) -> usize {
        match v {
            Value::Struct(ms) => {
                ms.len() + ms.iter().map(|(_, x)| count(x, lists_ok)).sum::<usize>()
            }
            Value::List(xs) => {
                *lists_ok &= xs.len() == 2;
                xs.iter().map(|x| count(x, lists_ok)).sum()
            }
            _ => 0,
        }
    }
    let m = model();
    for (op, input, output) in m.operations() {
        for id in input.iter().chain(&output) {
            let v = Builder::new().structure(static_name(id));
            let mut lists_ok = true;
            let members = m.shape(id)["members"].as_object().unwrap().len();
            assert_eq!(v.as_struct().unwrap().len(), members, "{op} {id}");
            assert!(count(&v, &mut lists_ok) >= members && lists_ok, "{op} {id}");
        }
    }
}
