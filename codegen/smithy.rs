//! The subset of the Smithy 2.0 JSON AST that the generator honours.
//!
//! Loading is strict: a trait the generator does not know is an error, so a model
//! feature can never be ignored silently.

use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Traits that the generator understands or deliberately ignores.
const KNOWN_TRAITS: &[&str] = &[
    "smithy.api#xmlName",
    "aws.protocols#ec2QueryName",
    "smithy.api#required",
    "smithy.api#idempotencyToken",
    "smithy.api#deprecated",
    "smithy.api#documentation",
    "smithy.api#enumValue",
    "smithy.api#length",
    "smithy.api#pattern",
    "smithy.api#range",
    "smithy.api#timestampFormat",
    "smithy.api#paginated",
    "smithy.api#sensitive",
    // Honoured on the service (the response namespace) and on members (an `xmlns` on the
    // member's element); on structure and list shapes it has no effect in ec2Query.
    "smithy.api#xmlNamespace",
    // Output lists only: the items repeat as the member's element. Query keys are always
    // flattened, so it changes nothing on input.
    "smithy.api#xmlFlattened",
    // An error structure converts into `Ec2Error` (code = shape name, message = `Message`).
    "smithy.api#error",
    // Where a client sends the request (host prefix); a server on 127.0.0.1 ignores it, and
    // `hostLabel` members still travel as ordinary body parameters.
    "smithy.api#endpoint",
    "smithy.api#hostLabel",
    "smithy.api#title",
    "aws.api#service",
    "aws.auth#sigv4",
    "aws.protocols#ec2Query",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Simple {
    String,
    Boolean,
    Byte,
    Short,
    Integer,
    Long,
    Float,
    Double,
    Timestamp,
    Blob,
}

#[derive(Clone, Debug, Default)]
pub struct Traits(pub Map<String, Value>);

impl Traits {
    fn from(v: Option<&Value>, at: &str) -> Traits {
        let map = v.and_then(Value::as_object).cloned().unwrap_or_default();
        for k in map.keys() {
            assert!(
                KNOWN_TRAITS.contains(&k.as_str()),
                "{at}: trait {k} is not supported by the generator"
            );
        }
        Traits(map)
    }
    pub fn str(&self, name: &str) -> Option<&str> {
        self.0.get(name).and_then(Value::as_str)
    }
    pub fn has(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }
    /// `(min, max)` of a `range` or `length` trait.
    pub fn bounds(&self, name: &str) -> Option<(Option<i64>, Option<i64>)> {
        let t = self.0.get(name)?;
        Some((
            t.get("min").and_then(Value::as_i64),
            t.get("max").and_then(Value::as_i64),
        ))
    }
}

#[derive(Clone, Debug)]
pub struct Member {
    pub name: String,
    pub target: String,
    pub traits: Traits,
}

#[derive(Clone, Debug)]
pub struct EnumMember {
    pub name: String,
    pub value: String,
}

#[derive(Clone, Debug)]
pub enum ShapeKind {
    Simple(Simple),
    Enum(Vec<EnumMember>),
    Structure(Vec<Member>),
    List(Member),
    Operation {
        input: Option<String>,
        output: Option<String>,
    },
    Service,
}

#[derive(Clone, Debug)]
pub struct Shape {
    pub id: String,
    pub kind: ShapeKind,
    pub traits: Traits,
}

#[derive(Debug)]
pub struct Model {
    pub shapes: BTreeMap<String, Shape>,
    pub service: Shape,
    pub version: String,
    pub sdk_id: String,
    pub xml_namespace: String,
    /// Operation shape ids bound to the service, in model order.
    pub operations: Vec<String>,
    /// Every operation name the real service has (metadata `parlel.allOperations`).
    pub all_operations: Vec<String>,
}

fn prelude(id: &str) -> Option<Simple> {
    Some(match id {
        "smithy.api#String" => Simple::String,
        "smithy.api#Boolean" | "smithy.api#PrimitiveBoolean" => Simple::Boolean,
        "smithy.api#Byte" => Simple::Byte,
        "smithy.api#Short" => Simple::Short,
        "smithy.api#Integer" | "smithy.api#PrimitiveInteger" => Simple::Integer,
        "smithy.api#Long" | "smithy.api#PrimitiveLong" => Simple::Long,
        "smithy.api#Float" => Simple::Float,
        "smithy.api#Double" => Simple::Double,
        "smithy.api#Timestamp" => Simple::Timestamp,
        "smithy.api#Blob" => Simple::Blob,
        _ => return None,
    })
}

impl Model {
    pub fn parse(json: &str) -> Model {
        let root: Value = serde_json::from_str(json).expect("model is not JSON");
        assert_eq!(
            root["smithy"].as_str(),
            Some("2.0"),
            "expected a Smithy 2.0 JSON AST"
        );
        let mut shapes = BTreeMap::new();
        for (id, s) in root["shapes"].as_object().expect("shapes") {
            shapes.insert(id.clone(), parse_shape(id, s));
        }
        let service = shapes
            .values()
            .find(|s| matches!(s.kind, ShapeKind::Service))
            .expect("the model has no service shape")
            .clone();
        let raw = &root["shapes"][&service.id];
        let operations = raw["operations"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|o| o["target"].as_str().unwrap().to_string())
                    .collect()
            })
            .unwrap_or_default();
        let mut all_operations: Vec<String> = root["metadata"]["parlel.allOperations"]
            .as_array()
            .map(|a| a.iter().map(|v| v.as_str().unwrap().to_string()).collect())
            .unwrap_or_default();
        all_operations.sort();
        Model {
            version: raw["version"]
                .as_str()
                .expect("service version")
                .to_string(),
            sdk_id: service.traits.0["aws.api#service"]["sdkId"]
                .as_str()
                .expect("sdkId")
                .to_string(),
            xml_namespace: service.traits.0["smithy.api#xmlNamespace"]["uri"]
                .as_str()
                .expect("xmlNamespace")
                .to_string(),
            shapes,
            service,
            operations,
            all_operations,
        }
    }

    pub fn shape(&self, id: &str) -> &Shape {
        self.shapes
            .get(id)
            .unwrap_or_else(|| panic!("shape {id} is not in the model"))
    }

    /// The simple type a target resolves to, if it is one (model shape or prelude).
    pub fn simple(&self, id: &str) -> Option<Simple> {
        if let Some(p) = prelude(id) {
            return Some(p);
        }
        match &self.shapes.get(id)?.kind {
            ShapeKind::Simple(s) => Some(*s),
            _ => None,
        }
    }

    /// Traits of the target shape (empty for prelude shapes).
    pub fn target_traits(&self, id: &str) -> Traits {
        self.shapes
            .get(id)
            .map(|s| s.traits.clone())
            .unwrap_or_default()
    }

    pub fn kind(&self, id: &str) -> ShapeKind {
        match prelude(id) {
            Some(s) => ShapeKind::Simple(s),
            None => self.shape(id).kind.clone(),
        }
    }
}

fn parse_shape(id: &str, s: &Value) -> Shape {
    let traits = Traits::from(s.get("traits"), id);
    let member = |name: &str, m: &Value| Member {
        name: name.to_string(),
        target: m["target"].as_str().expect("member target").to_string(),
        traits: Traits::from(m.get("traits"), &format!("{id}${name}")),
    };
    let kind = match s["type"].as_str().expect("shape type") {
        "string" => ShapeKind::Simple(Simple::String),
        "boolean" => ShapeKind::Simple(Simple::Boolean),
        "byte" => ShapeKind::Simple(Simple::Byte),
        "short" => ShapeKind::Simple(Simple::Short),
        "integer" => ShapeKind::Simple(Simple::Integer),
        "long" => ShapeKind::Simple(Simple::Long),
        "float" => ShapeKind::Simple(Simple::Float),
        "double" => ShapeKind::Simple(Simple::Double),
        "timestamp" => ShapeKind::Simple(Simple::Timestamp),
        "blob" => ShapeKind::Simple(Simple::Blob),
        "enum" => ShapeKind::Enum(
            s["members"]
                .as_object()
                .expect("enum members")
                .iter()
                .map(|(name, m)| EnumMember {
                    name: name.clone(),
                    value: m["traits"]["smithy.api#enumValue"]
                        .as_str()
                        .unwrap_or(name)
                        .to_string(),
                })
                .collect(),
        ),
        "structure" => ShapeKind::Structure(
            s["members"]
                .as_object()
                .map(|ms| ms.iter().map(|(n, m)| member(n, m)).collect())
                .unwrap_or_default(),
        ),
        "list" => ShapeKind::List(member("member", &s["member"])),
        "operation" => ShapeKind::Operation {
            input: s["input"]["target"]
                .as_str()
                .filter(|t| *t != "smithy.api#Unit")
                .map(str::to_string),
            output: s["output"]["target"]
                .as_str()
                .filter(|t| *t != "smithy.api#Unit")
                .map(str::to_string),
        },
        "service" => ShapeKind::Service,
        other => panic!("{id}: shape type {other} is not supported by the generator"),
    };
    Shape {
        id: id.to_string(),
        kind,
        traits,
    }
}
