//! The Smithy `aws.protocols#ec2Query` compliance cases, run against the code that build.rs
//! generates from `tests/data/ec2query-model.json` (a Smithy 2.0 JSON AST of the suite's
//! service, as far as a server applies).
//!
//! - Request cases: the form body goes through `Node::from_form` and the generated
//!   `Request::parse`, and the typed input must equal the case's params.
//! - Response cases: the case's params as a typed output go through `Response::to_xml`, and
//!   the document must equal the case's body as an XML element tree (see [`assert_xml_eq`]).
//! - Error cases: the modelled error converts into `Ec2Error`, written by
//!   `wire::xml::error_document`.
//!
//! Each test is named after its Smithy case id. Cases that test a client, or a feature
//! EC2 does not have, are listed with the reason in [`NOT_APPLICABLE`];
//! [`every_suite_case_is_tested_or_excused`] keeps the accounting complete.

#[allow(clippy::all, dead_code, unused_imports, unused_variables)]
mod proto {
    pub mod types {
        include!(concat!(env!("OUT_DIR"), "/protocol/types.rs"));
    }
    pub mod query {
        include!(concat!(env!("OUT_DIR"), "/protocol/query.rs"));
    }
    pub mod xml {
        include!(concat!(env!("OUT_DIR"), "/protocol/xml.rs"));
    }
    pub mod reflect {
        include!(concat!(env!("OUT_DIR"), "/protocol/reflect.rs"));
    }
    pub mod service {
        include!(concat!(env!("OUT_DIR"), "/protocol/service.rs"));
    }
}

use parlel_ec2::wire::query::Node;
use parlel_ec2::wire::{Blob, Timestamp, TimestampFormat};
use parlel_ec2::Ec2Error;
use proto::service::{Request, Response};
use proto::types::*;
use std::collections::{BTreeMap, BTreeSet};

/// Suite cases that these tests do not run, with the reason. Partial cases (a member left
/// out of the model) are described where the member would be, in the model's docs.
const NOT_APPLICABLE: &[(&str, &str)] = &[
    ("Ec2ProtocolIdempotencyTokenAutoFill", "client-only: the SDK fills a missing token with a UUID; a server gets whatever was sent (its parse side is ec2_protocol_idempotency_token_auto_fill_is_set)"),
    ("Ec2QueryHostWithPath", "client-only: a custom endpoint path is the SDK's URI building"),
    ("SDKAppliedContentEncoding_ec2Query", "client-only: @requestCompression makes the SDK gzip the body; decoding Content-Encoding is the HTTP layer's (src/server.rs), not the parsers', and no EC2 operation has the trait"),
    ("SDKAppendsGzipAndIgnoresHttpProvidedEncoding_ec2Query", "client-only: the same gzip rule for an @httpHeader member; ec2Query ignores HTTP binding traits"),
    ("Ec2XmlEmptyBlobs", "client-only: `<data></data>` parsed as an empty blob; a server only writes"),
    ("Ec2XmlEmptySelfClosedBlobs", "client-only: `<data/>` parsed as an empty blob"),
    ("Ec2XmlEmptyLists", "client-only: `<stringList/>` and `<stringSet></stringSet>` parsed as []"),
    ("Ec2QueryDateTimeWithNegativeOffset", "client-only: parsing `-01:00` offsets in responses; the server writes UTC `Z` only"),
    ("Ec2QueryDateTimeWithPositiveOffset", "client-only: parsing `+01:00` offsets in responses"),
    ("Ec2QueryDateTimeWithFractionalSeconds", "client-only: parsing fractional seconds in responses (the server always writes milliseconds)"),
    ("Ec2XmlIntEnums", "intEnum shapes: the generator has none because EC2's model has none (for the same reason Ec2XmlLists runs without intEnumList)"),
    ("Ec2ComplexError", "EC2's error envelope carries Code and Message only (Ec2Error); no EC2 error has extra members such as TopLevel/Nested"),
];

/// Every case id of smithy-aws-protocol-tests/model/ec2Query (reference §4) that has a test
/// in this file; the test's name is the id in snake case.
const TESTED: &[&str] = &[
    "Ec2QueryNoInputAndOutput",
    "Ec2QueryEmptyInputAndEmptyOutput",
    "Ec2SimpleInputParamsStrings",
    "Ec2SimpleInputParamsStringAndBooleanTrue",
    "Ec2SimpleInputParamsStringsAndBooleanFalse",
    "Ec2SimpleInputParamsInteger",
    "Ec2SimpleInputParamsFloat",
    "Ec2SimpleInputParamsBlob",
    "Ec2Enums",
    "Ec2Query",
    "Ec2QueryIsPreferred",
    "Ec2XmlNameIsUppercased",
    "Ec2QueryNameDistinctFromXmlNameAndMemberName",
    "Ec2QuerySupportsNaNFloatInputs",
    "Ec2QuerySupportsInfinityFloatInputs",
    "Ec2QuerySupportsNegativeInfinityFloatInputs",
    "Ec2TimestampsInput",
    "Ec2NestedStructures",
    "Ec2Lists",
    "Ec2EmptyQueryLists",
    "Ec2ListArgWithXmlNameMember",
    "Ec2ListMemberWithXmlName",
    "Ec2ListNestedStructWithList",
    "Ec2ProtocolIdempotencyTokenAutoFillIsSet",
    "Ec2QueryEndpointTrait",
    "Ec2QueryEndpointTraitWithHostLabel",
    "Ec2GreetingWithErrors",
    "Ec2SimpleScalarProperties",
    "Ec2QuerySupportsNaNFloatOutputs",
    "Ec2QuerySupportsInfinityFloatOutputs",
    "Ec2QuerySupportsNegativeInfinityFloatOutputs",
    "Ec2XmlBlobs",
    "Ec2XmlTimestamps",
    "Ec2XmlTimestampsWithDateTimeFormat",
    "Ec2XmlTimestampsWithDateTimeOnTargetFormat",
    "Ec2XmlTimestampsWithEpochSecondsFormat",
    "Ec2XmlTimestampsWithEpochSecondsOnTargetFormat",
    "Ec2XmlTimestampsWithHttpDateFormat",
    "Ec2XmlTimestampsWithHttpDateOnTargetFormat",
    "Ec2XmlEnums",
    "Ec2XmlLists",
    "Ec2RecursiveShapes",
    "Ec2XmlNamespaces",
    "Ec2IgnoresWrappingXmlName",
    "Ec2InvalidGreetingError",
];

/// Every case id in the suite (reference §4 lists them).
const SUITE: &[&str] = &[
    "Ec2QueryNoInputAndOutput",
    "Ec2QueryEmptyInputAndEmptyOutput",
    "Ec2SimpleInputParamsStrings",
    "Ec2SimpleInputParamsStringAndBooleanTrue",
    "Ec2SimpleInputParamsStringsAndBooleanFalse",
    "Ec2SimpleInputParamsInteger",
    "Ec2SimpleInputParamsFloat",
    "Ec2SimpleInputParamsBlob",
    "Ec2Enums",
    "Ec2Query",
    "Ec2QueryIsPreferred",
    "Ec2XmlNameIsUppercased",
    "Ec2QueryNameDistinctFromXmlNameAndMemberName",
    "Ec2QuerySupportsNaNFloatInputs",
    "Ec2QuerySupportsInfinityFloatInputs",
    "Ec2QuerySupportsNegativeInfinityFloatInputs",
    "Ec2TimestampsInput",
    "Ec2NestedStructures",
    "Ec2Lists",
    "Ec2EmptyQueryLists",
    "Ec2ListArgWithXmlNameMember",
    "Ec2ListMemberWithXmlName",
    "Ec2ListNestedStructWithList",
    "Ec2ProtocolIdempotencyTokenAutoFill",
    "Ec2ProtocolIdempotencyTokenAutoFillIsSet",
    "Ec2QueryEndpointTrait",
    "Ec2QueryEndpointTraitWithHostLabel",
    "Ec2QueryHostWithPath",
    "SDKAppliedContentEncoding_ec2Query",
    "SDKAppendsGzipAndIgnoresHttpProvidedEncoding_ec2Query",
    "Ec2GreetingWithErrors",
    "Ec2SimpleScalarProperties",
    "Ec2QuerySupportsNaNFloatOutputs",
    "Ec2QuerySupportsInfinityFloatOutputs",
    "Ec2QuerySupportsNegativeInfinityFloatOutputs",
    "Ec2XmlBlobs",
    "Ec2XmlEmptyBlobs",
    "Ec2XmlEmptySelfClosedBlobs",
    "Ec2XmlTimestamps",
    "Ec2XmlTimestampsWithDateTimeFormat",
    "Ec2XmlTimestampsWithDateTimeOnTargetFormat",
    "Ec2XmlTimestampsWithEpochSecondsFormat",
    "Ec2XmlTimestampsWithEpochSecondsOnTargetFormat",
    "Ec2XmlTimestampsWithHttpDateFormat",
    "Ec2XmlTimestampsWithHttpDateOnTargetFormat",
    "Ec2QueryDateTimeWithNegativeOffset",
    "Ec2QueryDateTimeWithPositiveOffset",
    "Ec2QueryDateTimeWithFractionalSeconds",
    "Ec2XmlEnums",
    "Ec2XmlIntEnums",
    "Ec2XmlLists",
    "Ec2XmlEmptyLists",
    "Ec2RecursiveShapes",
    "Ec2XmlNamespaces",
    "Ec2IgnoresWrappingXmlName",
    "Ec2InvalidGreetingError",
    "Ec2ComplexError",
];

#[test]
fn every_suite_case_is_tested_or_excused() {
    let tested: BTreeSet<&str> = TESTED.iter().copied().collect();
    let excused: BTreeSet<&str> = NOT_APPLICABLE.iter().map(|(id, _)| *id).collect();
    let suite: BTreeSet<&str> = SUITE.iter().copied().collect();
    assert!(
        tested.is_disjoint(&excused),
        "{:?}",
        tested.intersection(&excused).collect::<Vec<_>>()
    );
    let accounted: BTreeSet<&str> = tested.union(&excused).copied().collect();
    assert_eq!(accounted, suite);
    assert_eq!(tested.len() + excused.len(), SUITE.len(), "a duplicate id");
}

// ---------------------------------------------------------------------------------------
// Helpers

/// A request body through the generated parser.
fn parse(body: &str) -> Request {
    let node = Node::from_form(body.as_bytes()).expect("the body decodes");
    let action = node.get("Action").expect("Action").to_string();
    assert_eq!(node.get("Version"), Some(proto::service::SERVICE_VERSION));
    Request::parse(&action, &node).unwrap_or_else(|e| panic!("{body}: {e}"))
}

fn simple(body: &str) -> SimpleInputParamsInput {
    match parse(body) {
        Request::SimpleInputParams(i) => i,
        other => panic!("{other:?}"),
    }
}

fn lists(body: &str) -> QueryListsInput {
    match parse(body) {
        Request::QueryLists(i) => i,
        other => panic!("{other:?}"),
    }
}

fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}

fn strings(v: &[&str]) -> Option<Vec<String>> {
    Some(v.iter().map(|x| x.to_string()).collect())
}

/// 2014-04-29T18:30:38Z, the instant of every output timestamp case.
const T: Timestamp = Timestamp(1_398_796_238_000);

/// One element of a document as the comparison sees it.
#[derive(Debug, PartialEq)]
struct Elem {
    /// Namespace URI and local name.
    name: (Option<String>, String),
    /// Every namespace in scope, so an `xmlns` placed elsewhere is a difference.
    namespaces: BTreeSet<(Option<String>, String)>,
    attributes: BTreeMap<String, String>,
    /// Text of a leaf; date-times are compared as instants (see `canonical_text`).
    text: String,
    /// Children grouped by name: the order among same-named siblings (list items) counts,
    /// the interleaving of different members does not (Smithy structures are unordered).
    children: BTreeMap<(Option<String>, String), Vec<Elem>>,
}

fn elem(n: roxmltree::Node) -> Elem {
    let mut children: BTreeMap<_, Vec<Elem>> = BTreeMap::new();
    for c in n.children().filter(|c| c.is_element()) {
        let e = elem(c);
        children.entry(e.name.clone()).or_default().push(e);
    }
    let text: String = n
        .children()
        .filter(|c| c.is_text())
        .filter_map(|c| c.text())
        .collect();
    Elem {
        name: (
            n.tag_name().namespace().map(str::to_string),
            n.tag_name().name().to_string(),
        ),
        namespaces: n
            .namespaces()
            .map(|ns| (ns.name().map(str::to_string), ns.uri().to_string()))
            .collect(),
        attributes: n
            .attributes()
            .map(|a| (a.name().to_string(), a.value().to_string()))
            .collect(),
        // Whitespace between elements is insignificant (the cases are indented).
        text: if children.is_empty() {
            canonical_text(&text)
        } else {
            assert!(text.trim().is_empty(), "mixed content: {text:?}");
            String::new()
        },
        children,
    }
}

/// EC2 writes date-times with milliseconds (`2014-04-29T18:30:38.000Z`) where the Smithy
/// cases write `2014-04-29T18:30:38Z`; both are the same instant and every client accepts
/// fractions (Ec2QueryDateTimeWithFractionalSeconds), so a date-time compares as an instant.
/// This is the only textual leniency.
fn canonical_text(text: &str) -> String {
    let looks_like_date_time = text.len() >= 20 && text.as_bytes()[10] == b'T';
    match Timestamp::parse(text, TimestampFormat::DateTime) {
        Some(t) if looks_like_date_time => t.format(TimestampFormat::DateTime),
        _ => text.to_string(),
    }
}

/// Compares a response document with a case's body as element trees. The XML declaration
/// and indentation do not count. The request id is checked apart: EC2 writes
/// `<requestId>` as the root's first child, while the Smithy cases write `<RequestId>` or
/// `<requestId>` last (or none), which clients read either way.
fn assert_xml_eq(actual: &str, expected: &str) {
    let a = roxmltree::Document::parse(actual).unwrap_or_else(|e| panic!("{e}: {actual}"));
    let e = roxmltree::Document::parse(expected).unwrap_or_else(|e| panic!("{e}: {expected}"));
    let first = a.root_element().children().find(|c| c.is_element());
    assert_eq!(
        first.map(|f| (f.tag_name().name(), f.text())),
        Some(("requestId", Some("requestid"))),
        "{actual}"
    );
    let mut a = elem(a.root_element());
    let mut e = elem(e.root_element());
    let ns = a.name.0.clone();
    a.children.remove(&(ns.clone(), "requestId".to_string()));
    e.children.remove(&(ns.clone(), "requestId".to_string()));
    e.children.remove(&(ns, "RequestId".to_string()));
    assert_eq!(a, e, "\nactual:   {actual}\nexpected: {expected}");
}

fn respond(r: Response) -> String {
    r.to_xml("requestid")
}

// ---------------------------------------------------------------------------------------
// empty-input-output

#[test]
fn ec2_query_no_input_and_output() {
    assert_eq!(
        parse("Action=NoInputAndOutput&Version=2020-01-08"),
        Request::NoInputAndOutput(NoInputAndOutputInput {})
    );
    assert_xml_eq(
        &respond(Response::NoInputAndOutput(NoInputAndOutputOutput {})),
        r#"<NoInputAndOutputResponse xmlns="https://example.com/">
              <RequestId>requestid</RequestId>
           </NoInputAndOutputResponse>"#,
    );
}

#[test]
fn ec2_query_empty_input_and_empty_output() {
    assert_eq!(
        parse("Action=EmptyInputAndEmptyOutput&Version=2020-01-08"),
        Request::EmptyInputAndEmptyOutput(EmptyInputAndEmptyOutputInput {})
    );
    assert_xml_eq(
        &respond(Response::EmptyInputAndEmptyOutput(
            EmptyInputAndEmptyOutputOutput {},
        )),
        r#"<EmptyInputAndEmptyOutputResponse xmlns="https://example.com/">
              <RequestId>requestid</RequestId>
           </EmptyInputAndEmptyOutputResponse>"#,
    );
}

// ---------------------------------------------------------------------------------------
// input.smithy

#[test]
fn ec2_simple_input_params_strings() {
    assert_eq!(
        simple("Action=SimpleInputParams&Version=2020-01-08&Foo=val1&Bar=val2"),
        SimpleInputParamsInput {
            foo: s("val1"),
            bar: s("val2"),
            ..Default::default()
        }
    );
}

#[test]
fn ec2_simple_input_params_string_and_boolean_true() {
    assert_eq!(
        simple("Action=SimpleInputParams&Version=2020-01-08&Foo=val1&Baz=true"),
        SimpleInputParamsInput {
            foo: s("val1"),
            baz: Some(true),
            ..Default::default()
        }
    );
}

#[test]
fn ec2_simple_input_params_strings_and_boolean_false() {
    assert_eq!(
        simple("Action=SimpleInputParams&Version=2020-01-08&Baz=false"),
        SimpleInputParamsInput {
            baz: Some(false),
            ..Default::default()
        }
    );
}

#[test]
fn ec2_simple_input_params_integer() {
    assert_eq!(
        simple("Action=SimpleInputParams&Version=2020-01-08&Bam=10"),
        SimpleInputParamsInput {
            bam: Some(10),
            ..Default::default()
        }
    );
}

#[test]
fn ec2_simple_input_params_float() {
    assert_eq!(
        simple("Action=SimpleInputParams&Version=2020-01-08&Boo=10.8"),
        SimpleInputParamsInput {
            boo: Some(10.8),
            ..Default::default()
        }
    );
}

#[test]
fn ec2_simple_input_params_blob() {
    assert_eq!(
        simple("Action=SimpleInputParams&Version=2020-01-08&Qux=dmFsdWU%3D"),
        SimpleInputParamsInput {
            qux: Some(Blob(b"value".to_vec())),
            ..Default::default()
        }
    );
}

#[test]
fn ec2_enums() {
    let i = simple("Action=SimpleInputParams&Version=2020-01-08&FooEnum=Foo");
    assert_eq!(
        i,
        SimpleInputParamsInput {
            foo_enum: Some(FooEnum::Foo),
            ..Default::default()
        }
    );
    assert!(i.foo_enum.unwrap().is_known());
}

#[test]
fn ec2_query() {
    assert_eq!(
        simple("Action=SimpleInputParams&Version=2020-01-08&HasQueryName=Hi"),
        SimpleInputParamsInput {
            has_query_name: s("Hi"),
            ..Default::default()
        }
    );
}

#[test]
fn ec2_query_is_preferred() {
    assert_eq!(
        simple("Action=SimpleInputParams&Version=2020-01-08&HasQueryAndXmlName=Hi"),
        SimpleInputParamsInput {
            has_query_and_xml_name: s("Hi"),
            ..Default::default()
        }
    );
    // The xmlName spelling is not a second key for the same member.
    assert_eq!(
        simple("Action=SimpleInputParams&Version=2020-01-08&hasQueryAndXmlName=Hi"),
        SimpleInputParamsInput::default()
    );
}

#[test]
fn ec2_xml_name_is_uppercased() {
    assert_eq!(
        simple("Action=SimpleInputParams&Version=2020-01-08&UsesXmlName=Hi"),
        SimpleInputParamsInput {
            uses_xml_name: s("Hi"),
            ..Default::default()
        }
    );
}

#[test]
fn ec2_query_name_distinct_from_xml_name_and_member_name() {
    assert_eq!(
        simple(
            "Action=SimpleInputParams&Version=2020-01-08\
             &QueryName=value1&queryAndXmlName=value2&XmlNameOnly=value3"
        ),
        SimpleInputParamsInput {
            query_name_member: s("value1"),
            query_and_xml_name_member: s("value2"),
            xml_name_only_member: s("value3"),
            ..Default::default()
        }
    );
    // Member names and the other spellings are not keys.
    assert_eq!(
        simple(
            "Action=SimpleInputParams&Version=2020-01-08&QueryNameMember=x\
             &QueryAndXmlName=x&XmlAndQueryName=x&xmlNameOnly=x&XmlNameOnlyMember=x"
        ),
        SimpleInputParamsInput::default()
    );
}

/// NaN is not equal to itself, so the float cases compare fields by hand.
fn float_inputs(word: &str, check: impl Fn(f64) -> bool) {
    let i = simple(&format!(
        "Action=SimpleInputParams&Version=2020-01-08&FloatValue={word}&Boo={word}"
    ));
    let (f, b) = (i.float_value.expect("FloatValue"), i.boo.expect("Boo"));
    assert!(check(f64::from(f)) && check(b), "{word}: {f} {b}");
    assert_eq!(
        SimpleInputParamsInput {
            float_value: None,
            boo: None,
            ..i
        },
        SimpleInputParamsInput::default()
    );
}

#[test]
fn ec2_query_supports_na_n_float_inputs() {
    float_inputs("NaN", f64::is_nan);
}

#[test]
fn ec2_query_supports_infinity_float_inputs() {
    float_inputs("Infinity", |v| v == f64::INFINITY);
}

#[test]
fn ec2_query_supports_negative_infinity_float_inputs() {
    float_inputs("-Infinity", |v| v == f64::NEG_INFINITY);
}

#[test]
fn ec2_timestamps_input() {
    let t = Some(Timestamp(1_422_172_800_000));
    assert_eq!(
        parse(
            "Action=QueryTimestamps&Version=2020-01-08&NormalFormat=2015-01-25T08%3A00%3A00Z\
             &EpochMember=1422172800&EpochTarget=1422172800"
        ),
        Request::QueryTimestamps(QueryTimestampsInput {
            normal_format: t,
            epoch_member: t,
            epoch_target: t,
        })
    );
    // Each member reads its own format only.
    let e = Request::parse(
        "QueryTimestamps",
        &Node::from_form(b"EpochMember=2015-01-25T08%3A00%3A00Z").unwrap(),
    )
    .unwrap_err();
    assert_eq!(e.code, "InvalidParameterValue");
}

#[test]
fn ec2_nested_structures() {
    assert_eq!(
        parse(
            "Action=NestedStructures&Version=2020-01-08&Nested.StringArg=foo\
             &Nested.OtherArg=true&Nested.RecursiveArg.StringArg=baz"
        ),
        Request::NestedStructures(NestedStructuresInput {
            nested: Some(StructArg {
                string_arg: s("foo"),
                other_arg: Some(true),
                recursive_arg: Some(Box::new(StructArg {
                    string_arg: s("baz"),
                    ..Default::default()
                })),
            }),
        })
    );
}

#[test]
fn ec2_lists() {
    assert_eq!(
        lists(
            "Action=QueryLists&Version=2020-01-08&ListArg.1=foo&ListArg.2=bar&ListArg.3=baz\
             &ComplexListArg.1.Hi=hello&ComplexListArg.2.Hi=hola"
        ),
        QueryListsInput {
            list_arg: strings(&["foo", "bar", "baz"]),
            complex_list_arg: Some(vec![
                GreetingStruct { hi: s("hello") },
                GreetingStruct { hi: s("hola") },
            ]),
            ..Default::default()
        }
    );
}

/// The case's params say `ListArg: []`, but an empty list is not sent at all, so on the
/// server side an empty list and an absent one are the same input: `None`.
#[test]
fn ec2_empty_query_lists() {
    assert_eq!(
        lists("Action=QueryLists&Version=2020-01-08"),
        QueryListsInput::default()
    );
}

#[test]
fn ec2_list_arg_with_xml_name_member() {
    assert_eq!(
        lists(
            "Action=QueryLists&Version=2020-01-08\
             &ListArgWithXmlNameMember.1=A&ListArgWithXmlNameMember.2=B"
        ),
        QueryListsInput {
            list_arg_with_xml_name_member: strings(&["A", "B"]),
            ..Default::default()
        }
    );
}

#[test]
fn ec2_list_member_with_xml_name() {
    assert_eq!(
        lists("Action=QueryLists&Version=2020-01-08&Hi.1=A&Hi.2=B"),
        QueryListsInput {
            list_arg_with_xml_name: strings(&["A", "B"]),
            ..Default::default()
        }
    );
}

#[test]
fn ec2_list_nested_struct_with_list() {
    assert_eq!(
        lists(
            "Action=QueryLists&Version=2020-01-08\
             &NestedWithList.ListArg.1=A&NestedWithList.ListArg.2=B"
        ),
        QueryListsInput {
            nested_with_list: Some(NestedStructWithList {
                list_arg: strings(&["A", "B"]),
            }),
            ..Default::default()
        }
    );
}

/// Client-only in the suite (the SDK must not replace a token it was given); the server
/// side of the same body is that the token arrives as sent.
#[test]
fn ec2_protocol_idempotency_token_auto_fill_is_set() {
    assert_eq!(
        parse(
            "Action=QueryIdempotencyTokenAutoFill&Version=2020-01-08\
             &Token=00000000-0000-4000-8000-000000000123"
        ),
        Request::QueryIdempotencyTokenAutoFill(QueryIdempotencyTokenAutoFillInput {
            token: s("00000000-0000-4000-8000-000000000123"),
        })
    );
}

/// The host prefix is where a client sends the request; the body is all a server sees.
#[test]
fn ec2_query_endpoint_trait() {
    assert_eq!(
        parse("Action=EndpointOperation&Version=2020-01-08"),
        Request::EndpointOperation(EndpointOperationInput {})
    );
}

#[test]
fn ec2_query_endpoint_trait_with_host_label() {
    assert_eq!(
        parse("Action=EndpointWithHostLabelOperation&Version=2020-01-08&Label=bar"),
        Request::EndpointWithHostLabelOperation(EndpointWithHostLabelOperationInput {
            label: "bar".to_string(),
        })
    );
    // The label is @required.
    let e = Request::parse(
        "EndpointWithHostLabelOperation",
        &Node::from_form(b"Action=EndpointWithHostLabelOperation").unwrap(),
    )
    .unwrap_err();
    assert_eq!(
        e,
        Ec2Error::new(
            "MissingParameter",
            "The request must contain the parameter label"
        )
    );
}

// ---------------------------------------------------------------------------------------
// xml-errors.smithy

#[test]
fn ec2_greeting_with_errors() {
    assert_xml_eq(
        &respond(Response::GreetingWithErrors(GreetingWithErrorsOutput {
            greeting: s("Hello"),
        })),
        r#"<GreetingWithErrorsResponse xmlns="https://example.com/">
              <greeting>Hello</greeting>
              <requestId>requestid</requestId>
           </GreetingWithErrorsResponse>"#,
    );
}

#[test]
fn ec2_invalid_greeting_error() {
    let e = Ec2Error::from(InvalidGreeting { message: s("Hi") });
    assert_eq!(e.status(), 400);
    let doc = parlel_ec2::wire::xml::error_document(&e.code, &e.message, "foo-id");
    let expected = r#"<Response>
            <Errors>
                <Error>
                    <Code>InvalidGreeting</Code>
                    <Message>Hi</Message>
                </Error>
            </Errors>
            <RequestID>foo-id</RequestID>
        </Response>"#;
    // The error envelope has no request id rule of its own: compare the whole tree.
    let a = roxmltree::Document::parse(&doc).unwrap();
    let x = roxmltree::Document::parse(expected).unwrap();
    assert_eq!(elem(a.root_element()), elem(x.root_element()), "{doc}");
}

// ---------------------------------------------------------------------------------------
// xml-structs.smithy

#[test]
fn ec2_simple_scalar_properties() {
    assert_xml_eq(
        &respond(Response::SimpleScalarXmlProperties(
            SimpleScalarXmlPropertiesOutput {
                string_value: s("string"),
                empty_string_value: s(""),
                true_boolean_value: Some(true),
                false_boolean_value: Some(false),
                byte_value: Some(1),
                short_value: Some(2),
                integer_value: Some(3),
                long_value: Some(4),
                float_value: Some(5.5),
                double_value: Some(6.5),
            },
        )),
        r#"<SimpleScalarXmlPropertiesResponse xmlns="https://example.com/">
              <stringValue>string</stringValue>
              <emptyStringValue/>
              <trueBooleanValue>true</trueBooleanValue>
              <falseBooleanValue>false</falseBooleanValue>
              <byteValue>1</byteValue>
              <shortValue>2</shortValue>
              <integerValue>3</integerValue>
              <longValue>4</longValue>
              <floatValue>5.5</floatValue>
              <DoubleDribble>6.5</DoubleDribble>
              <RequestId>requestid</RequestId>
           </SimpleScalarXmlPropertiesResponse>"#,
    );
}

fn float_outputs(value: f64, word: &str) {
    assert_xml_eq(
        &respond(Response::SimpleScalarXmlProperties(
            SimpleScalarXmlPropertiesOutput {
                float_value: Some(value as f32),
                double_value: Some(value),
                ..Default::default()
            },
        )),
        &format!(
            r#"<SimpleScalarXmlPropertiesResponse xmlns="https://example.com/">
                  <floatValue>{word}</floatValue>
                  <DoubleDribble>{word}</DoubleDribble>
               </SimpleScalarXmlPropertiesResponse>"#
        ),
    );
}

#[test]
fn ec2_query_supports_na_n_float_outputs() {
    float_outputs(f64::NAN, "NaN");
}

#[test]
fn ec2_query_supports_infinity_float_outputs() {
    float_outputs(f64::INFINITY, "Infinity");
}

#[test]
fn ec2_query_supports_negative_infinity_float_outputs() {
    float_outputs(f64::NEG_INFINITY, "-Infinity");
}

#[test]
fn ec2_xml_blobs() {
    assert_xml_eq(
        &respond(Response::XmlBlobs(XmlBlobsOutput {
            data: Some(Blob(b"value".to_vec())),
        })),
        r#"<XmlBlobsResponse xmlns="https://example.com/">
              <data>dmFsdWU=</data>
              <RequestId>requestid</RequestId>
           </XmlBlobsResponse>"#,
    );
}

/// One member of XmlTimestampsOutput set to [`T`], and the element it must produce.
fn timestamps(out: XmlTimestampsOutput, element: &str) {
    assert_xml_eq(
        &respond(Response::XmlTimestamps(out)),
        &format!(
            r#"<XmlTimestampsResponse xmlns="https://example.com/">
                  {element}
                  <RequestId>requestid</RequestId>
               </XmlTimestampsResponse>"#
        ),
    );
}

#[test]
fn ec2_xml_timestamps() {
    timestamps(
        XmlTimestampsOutput {
            normal: Some(T),
            ..Default::default()
        },
        "<normal>2014-04-29T18:30:38Z</normal>",
    );
    // EC2's own spelling of the same instant, as sent on the wire.
    let xml = respond(Response::XmlTimestamps(XmlTimestampsOutput {
        normal: Some(T),
        ..Default::default()
    }));
    assert!(
        xml.contains("<normal>2014-04-29T18:30:38.000Z</normal>"),
        "{xml}"
    );
}

#[test]
fn ec2_xml_timestamps_with_date_time_format() {
    timestamps(
        XmlTimestampsOutput {
            date_time: Some(T),
            ..Default::default()
        },
        "<dateTime>2014-04-29T18:30:38Z</dateTime>",
    );
}

#[test]
fn ec2_xml_timestamps_with_date_time_on_target_format() {
    timestamps(
        XmlTimestampsOutput {
            date_time_on_target: Some(T),
            ..Default::default()
        },
        "<dateTimeOnTarget>2014-04-29T18:30:38Z</dateTimeOnTarget>",
    );
}

#[test]
fn ec2_xml_timestamps_with_epoch_seconds_format() {
    timestamps(
        XmlTimestampsOutput {
            epoch_seconds: Some(T),
            ..Default::default()
        },
        "<epochSeconds>1398796238</epochSeconds>",
    );
}

#[test]
fn ec2_xml_timestamps_with_epoch_seconds_on_target_format() {
    timestamps(
        XmlTimestampsOutput {
            epoch_seconds_on_target: Some(T),
            ..Default::default()
        },
        "<epochSecondsOnTarget>1398796238</epochSecondsOnTarget>",
    );
}

#[test]
fn ec2_xml_timestamps_with_http_date_format() {
    timestamps(
        XmlTimestampsOutput {
            http_date: Some(T),
            ..Default::default()
        },
        "<httpDate>Tue, 29 Apr 2014 18:30:38 GMT</httpDate>",
    );
}

#[test]
fn ec2_xml_timestamps_with_http_date_on_target_format() {
    timestamps(
        XmlTimestampsOutput {
            http_date_on_target: Some(T),
            ..Default::default()
        },
        "<httpDateOnTarget>Tue, 29 Apr 2014 18:30:38 GMT</httpDateOnTarget>",
    );
}

/// Without `fooEnumMap`: ec2Query has no maps, EC2 uses none, and the generator has none.
#[test]
fn ec2_xml_enums() {
    assert_xml_eq(
        &respond(Response::XmlEnums(XmlEnumsOutput {
            foo_enum1: Some(FooEnum::Foo),
            foo_enum2: Some(FooEnum::Zero),
            foo_enum3: Some(FooEnum::One),
            foo_enum_list: Some(vec![FooEnum::Foo, FooEnum::Zero]),
            foo_enum_set: Some(vec![FooEnum::Foo, FooEnum::Zero]),
        })),
        r#"<XmlEnumsResponse xmlns="https://example.com/">
              <fooEnum1>Foo</fooEnum1>
              <fooEnum2>0</fooEnum2>
              <fooEnum3>1</fooEnum3>
              <fooEnumList>
                  <member>Foo</member>
                  <member>0</member>
              </fooEnumList>
              <fooEnumSet>
                  <member>Foo</member>
                  <member>0</member>
              </fooEnumSet>
              <RequestId>requestid</RequestId>
           </XmlEnumsResponse>"#,
    );
}

#[test]
fn ec2_recursive_shapes() {
    assert_xml_eq(
        &respond(Response::RecursiveXmlShapes(RecursiveXmlShapesOutput {
            nested: Some(RecursiveXmlShapesOutputNested1 {
                foo: s("Foo1"),
                nested: Some(Box::new(RecursiveXmlShapesOutputNested2 {
                    bar: s("Bar1"),
                    recursive_member: Some(Box::new(RecursiveXmlShapesOutputNested1 {
                        foo: s("Foo2"),
                        nested: Some(Box::new(RecursiveXmlShapesOutputNested2 {
                            bar: s("Bar2"),
                            recursive_member: None,
                        })),
                    })),
                })),
            }),
        })),
        r#"<RecursiveXmlShapesResponse xmlns="https://example.com/">
              <nested>
                  <foo>Foo1</foo>
                  <nested>
                      <bar>Bar1</bar>
                      <recursiveMember>
                          <foo>Foo2</foo>
                          <nested>
                              <bar>Bar2</bar>
                          </nested>
                      </recursiveMember>
                  </nested>
              </nested>
              <RequestId>requestid</RequestId>
           </RecursiveXmlShapesResponse>"#,
    );
}

#[test]
fn ec2_xml_namespaces() {
    assert_xml_eq(
        &respond(Response::XmlNamespaces(XmlNamespacesOutput {
            nested: Some(XmlNamespaceNested {
                foo: s("Foo"),
                values: strings(&["Bar", "Baz"]),
            }),
        })),
        r#"<XmlNamespacesResponse xmlns="https://example.com/">
              <nested>
                  <foo xmlns:baz="http://baz.com">Foo</foo>
                  <values xmlns="http://qux.com">
                      <member xmlns="http://bux.com">Bar</member>
                      <member xmlns="http://bux.com">Baz</member>
                  </values>
              </nested>
              <RequestId>requestid</RequestId>
           </XmlNamespacesResponse>"#,
    );
}

#[test]
fn ec2_ignores_wrapping_xml_name() {
    assert_xml_eq(
        &respond(Response::IgnoresWrappingXmlName(
            IgnoresWrappingXmlNameOutput { foo: s("bar") },
        )),
        r#"<IgnoresWrappingXmlNameResponse xmlns="https://example.com/">
              <foo>bar</foo>
              <RequestId>requestid</RequestId>
           </IgnoresWrappingXmlNameResponse>"#,
    );
}

// ---------------------------------------------------------------------------------------
// xml-lists.smithy

/// Without `intEnumList` (no intEnum shapes; see NOT_APPLICABLE).
#[test]
fn ec2_xml_lists() {
    assert_xml_eq(
        &respond(Response::XmlLists(XmlListsOutput {
            string_list: strings(&["foo", "bar"]),
            string_set: strings(&["foo", "bar"]),
            integer_list: Some(vec![1, 2]),
            boolean_list: Some(vec![true, false]),
            timestamp_list: Some(vec![T, T]),
            enum_list: Some(vec![FooEnum::Foo, FooEnum::Zero]),
            nested_string_list: Some(vec![
                vec!["foo".into(), "bar".into()],
                vec!["baz".into(), "qux".into()],
            ]),
            renamed_list_members: strings(&["foo", "bar"]),
            flattened_list: strings(&["hi", "bye"]),
            flattened_list2: strings(&["yep", "nope"]),
            flattened_list_with_member_namespace: strings(&["a", "b"]),
            flattened_list_with_namespace: strings(&["a", "b"]),
            structure_list: Some(vec![
                StructureListMember {
                    a: s("1"),
                    b: s("2"),
                },
                StructureListMember {
                    a: s("3"),
                    b: s("4"),
                },
            ]),
        })),
        r#"<XmlListsResponse xmlns="https://example.com/">
              <stringList>
                  <member>foo</member>
                  <member>bar</member>
              </stringList>
              <stringSet>
                  <member>foo</member>
                  <member>bar</member>
              </stringSet>
              <integerList>
                  <member>1</member>
                  <member>2</member>
              </integerList>
              <booleanList>
                  <member>true</member>
                  <member>false</member>
              </booleanList>
              <timestampList>
                  <member>2014-04-29T18:30:38Z</member>
                  <member>2014-04-29T18:30:38Z</member>
              </timestampList>
              <enumList>
                  <member>Foo</member>
                  <member>0</member>
              </enumList>
              <nestedStringList>
                  <member>
                      <member>foo</member>
                      <member>bar</member>
                  </member>
                  <member>
                      <member>baz</member>
                      <member>qux</member>
                  </member>
              </nestedStringList>
              <renamed>
                  <item>foo</item>
                  <item>bar</item>
              </renamed>
              <flattenedList>hi</flattenedList>
              <flattenedList>bye</flattenedList>
              <customName>yep</customName>
              <customName>nope</customName>
              <flattenedListWithMemberNamespace xmlns="https://xml-member.example.com">a</flattenedListWithMemberNamespace>
              <flattenedListWithMemberNamespace xmlns="https://xml-member.example.com">b</flattenedListWithMemberNamespace>
              <flattenedListWithNamespace>a</flattenedListWithNamespace>
              <flattenedListWithNamespace>b</flattenedListWithNamespace>
              <myStructureList>
                  <item>
                      <value>1</value>
                      <other>2</other>
                  </item>
                  <item>
                      <value>3</value>
                      <other>4</other>
                  </item>
              </myStructureList>
              <requestId>requestid</requestId>
           </XmlListsResponse>"#,
    );
}

// ---------------------------------------------------------------------------------------
// The comparison itself must see the differences it is meant to see.

#[test]
fn xml_comparison_is_not_vacuous() {
    let base = r#"<R xmlns="https://example.com/"><requestId>requestid</requestId><a>1</a><l><member>x</member><member>y</member></l></R>"#;
    let same = r#"<R xmlns="https://example.com/">
        <l><member>x</member><member>y</member></l>
        <a>1</a>
        <RequestId>requestid</RequestId></R>"#;
    assert_xml_eq(base, same);
    for different in [
        // list order
        r#"<R xmlns="https://example.com/"><a>1</a><l><member>y</member><member>x</member></l></R>"#,
        // text
        r#"<R xmlns="https://example.com/"><a>2</a><l><member>x</member><member>y</member></l></R>"#,
        // missing element
        r#"<R xmlns="https://example.com/"><l><member>x</member><member>y</member></l></R>"#,
        // namespace
        r#"<R xmlns="https://example.com/"><a xmlns="urn:x">1</a><l><member>x</member><member>y</member></l></R>"#,
        // root name
        r#"<Q xmlns="https://example.com/"><a>1</a><l><member>x</member><member>y</member></l></Q>"#,
        // a date-time that is another instant
        r#"<R xmlns="https://example.com/"><a>1</a><l><member>x</member><member>2014-04-29T18:30:38Z</member></l></R>"#,
    ] {
        let r = std::panic::catch_unwind(|| assert_xml_eq(base, different));
        assert!(r.is_err(), "should differ: {different}");
    }
    assert_eq!(
        canonical_text("2014-04-29T18:30:38Z"),
        canonical_text("2014-04-29T18:30:38.000Z")
    );
    assert_ne!(
        canonical_text("2014-04-29T18:30:38Z"),
        canonical_text("2014-04-29T18:30:39Z")
    );
}
