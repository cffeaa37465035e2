//! Cuts `model/ec2.json` out of botocore's EC2 service description.
//!
//! ```text
//! cargo run --manifest-path model/cut/Cargo.toml -- <service-2.json> <paginators-1.json> <botocore-version> <sha256>
//! ```
//!
//! `model/recut.sh` downloads the pinned botocore wheel and runs this; see model/SOURCE.md.
//! The output is the Smithy 2.0 JSON AST of the service shape, the operations listed in
//! `model/operations.txt` and the transitive closure of their input and output shapes, plus
//! the bare list of every EC2 operation name in the metadata. Everything is sorted, so the
//! same inputs give the same bytes: removing an operation and re-cutting shrinks the file,
//! adding it back restores it exactly.

use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const NS: &str = "com.amazonaws.ec2#";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [service, paginators, version, sha] = args.as_slice() else {
        eprintln!("usage: cut_model <service-2.json> <paginators-1.json> <botocore-version> <sha256 of service-2.json.gz>");
        std::process::exit(2);
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let service: Value = read_json(Path::new(service));
    let paginators: Value = read_json(Path::new(paginators));
    let ops_txt = std::fs::read_to_string(root.join("model/operations.txt")).expect("model/operations.txt");
    let wanted: BTreeSet<&str> = ops_txt
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();

    let model = cut(&service, &paginators, &wanted, version, sha);
    let mut text = serde_json::to_string_pretty(&model).expect("serialize");
    text.push('\n');
    std::fs::write(root.join("model/ec2.json"), text).expect("write model/ec2.json");
    eprintln!("model/ec2.json: {} operations", wanted.len());
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn cut(service: &Value, paginators: &Value, wanted: &BTreeSet<&str>, version: &str, sha: &str) -> Value {
    let operations = service["operations"].as_object().expect("operations");
    let shapes = service["shapes"].as_object().expect("shapes");
    let meta = &service["metadata"];

    // The closure of the wanted operations' shapes.
    let mut todo: Vec<String> = Vec::new();
    for op in wanted {
        let o = operations.get(*op).unwrap_or_else(|| panic!("{op} is not an EC2 operation"));
        for io in ["input", "output"] {
            if let Some(s) = o[io]["shape"].as_str() {
                todo.push(s.to_string());
            }
        }
    }
    let mut closure = BTreeSet::new();
    while let Some(name) = todo.pop() {
        if !closure.insert(name.clone()) {
            continue;
        }
        let s = &shapes[&name];
        for m in s["members"].as_object().into_iter().flat_map(|m| m.values()) {
            todo.push(m["shape"].as_str().unwrap().to_string());
        }
        if let Some(m) = s["member"]["shape"].as_str() {
            todo.push(m.to_string());
        }
    }
    let input_shapes: BTreeSet<&str> = wanted.iter().filter_map(|op| operations[*op]["input"]["shape"].as_str()).collect();

    let mut out: BTreeMap<String, Value> = BTreeMap::new();
    let ops: Vec<Value> = wanted.iter().map(|op| json!({ "target": format!("{NS}{op}") })).collect();
    out.insert(
        format!("{NS}AmazonEC2"),
        json!({
            "type": "service",
            "version": meta["apiVersion"],
            "operations": ops,
            "traits": {
                "aws.api#service": { "sdkId": meta["serviceId"], "endpointPrefix": meta["endpointPrefix"] },
                "aws.auth#sigv4": { "name": meta["endpointPrefix"] },
                "aws.protocols#ec2Query": {},
                "smithy.api#xmlNamespace": { "uri": format!("{}/", meta["xmlNamespace"].as_str().unwrap().trim_end_matches('/')) },
                "smithy.api#title": meta["serviceFullName"],
            }
        }),
    );
    for op in wanted {
        let o = &operations[*op];
        let mut shape = Map::new();
        shape.insert("type".into(), json!("operation"));
        for io in ["input", "output"] {
            if let Some(s) = o[io]["shape"].as_str() {
                shape.insert(io.into(), json!({ "target": format!("{NS}{s}") }));
            }
        }
        let mut traits = Map::new();
        if let Some(p) = paginators["pagination"].get(*op) {
            let mut t = Map::new();
            for (from, to) in [("input_token", "inputToken"), ("output_token", "outputToken"), ("limit_key", "pageSize"), ("result_key", "items")] {
                if let Some(v) = p.get(from) {
                    t.insert(to.into(), v.clone());
                }
            }
            traits.insert("smithy.api#paginated".into(), Value::Object(t));
        }
        if o.get("deprecated").and_then(Value::as_bool) == Some(true) {
            traits.insert("smithy.api#deprecated".into(), json!({}));
        }
        if !traits.is_empty() {
            shape.insert("traits".into(), Value::Object(traits));
        }
        out.insert(format!("{NS}{op}"), Value::Object(shape));
    }
    for name in &closure {
        out.insert(format!("{NS}{name}"), convert_shape(&shapes[name], input_shapes.contains(name.as_str())));
    }

    let all_ops: Vec<&String> = operations.keys().collect::<BTreeSet<_>>().into_iter().collect();
    json!({
        "smithy": "2.0",
        "metadata": {
            "parlel.source": format!("botocore {version}, botocore/data/ec2/2016-11-15/service-2.json.gz sha256 {sha}; cut by model/cut"),
            "parlel.allOperations": all_ops,
        },
        "shapes": out,
    })
}

fn convert_shape(s: &Value, is_input: bool) -> Value {
    let ty = s["type"].as_str().unwrap();
    let mut shape = Map::new();
    let mut traits = Map::new();
    match ty {
        "structure" => {
            shape.insert("type".into(), json!("structure"));
            let required: BTreeSet<&str> = s["required"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
            let mut members = Map::new();
            for (name, m) in s["members"].as_object().unwrap() {
                let mut mt = Map::new();
                if let Some(v) = m.get("locationName") {
                    mt.insert("smithy.api#xmlName".into(), v.clone());
                }
                if let Some(v) = m.get("queryName") {
                    mt.insert("aws.protocols#ec2QueryName".into(), v.clone());
                }
                if required.contains(name.as_str()) {
                    mt.insert("smithy.api#required".into(), json!({}));
                }
                if m.get("idempotencyToken").and_then(Value::as_bool) == Some(true) {
                    mt.insert("smithy.api#idempotencyToken".into(), json!({}));
                }
                if m.get("deprecated").and_then(Value::as_bool) == Some(true) {
                    mt.insert("smithy.api#deprecated".into(), json!({}));
                }
                // Filter names are documented, not modelled: keep the documentation of an
                // operation input's Filters member so the generator can list them.
                if is_input && name == "Filters" {
                    if let Some(d) = m.get("documentation") {
                        mt.insert("smithy.api#documentation".into(), d.clone());
                    }
                }
                let mut member = Map::new();
                member.insert("target".into(), json!(format!("{NS}{}", m["shape"].as_str().unwrap())));
                if !mt.is_empty() {
                    member.insert("traits".into(), Value::Object(mt));
                }
                members.insert(name.clone(), Value::Object(member));
            }
            shape.insert("members".into(), Value::Object(members));
        }
        "list" => {
            shape.insert("type".into(), json!("list"));
            let m = &s["member"];
            let mut member = Map::new();
            member.insert("target".into(), json!(format!("{NS}{}", m["shape"].as_str().unwrap())));
            if let Some(v) = m.get("locationName") {
                member.insert("traits".into(), json!({ "smithy.api#xmlName": v }));
            }
            shape.insert("member".into(), Value::Object(member));
            if s.get("flattened").and_then(Value::as_bool) == Some(true) {
                traits.insert("smithy.api#xmlFlattened".into(), json!({}));
            }
        }
        "string" if s.get("enum").is_some() => {
            shape.insert("type".into(), json!("enum"));
            let mut members = Map::new();
            let mut used = BTreeSet::new();
            for v in s["enum"].as_array().unwrap() {
                let value = v.as_str().unwrap();
                let mut name = enum_member_name(value);
                // Deterministic collision handling: suffix _2, _3, … in model order.
                let base = name.clone();
                let mut n = 2;
                while !used.insert(name.clone()) {
                    name = format!("{base}_{n}");
                    n += 1;
                }
                members.insert(name, json!({ "target": "smithy.api#Unit", "traits": { "smithy.api#enumValue": value } }));
            }
            shape.insert("members".into(), Value::Object(members));
        }
        "string" => {
            shape.insert("type".into(), json!("string"));
            length_and_pattern(s, &mut traits);
        }
        "integer" | "long" => {
            shape.insert("type".into(), json!(ty));
            let mut range = Map::new();
            for k in ["min", "max"] {
                if let Some(v) = s.get(k) {
                    range.insert(k.into(), v.clone());
                }
            }
            if !range.is_empty() {
                traits.insert("smithy.api#range".into(), Value::Object(range));
            }
        }
        "timestamp" => {
            shape.insert("type".into(), json!("timestamp"));
            if let Some(f) = s.get("timestampFormat").and_then(Value::as_str) {
                let f = match f {
                    "iso8601" => "date-time",
                    "unixTimestamp" => "epoch-seconds",
                    "rfc822" => "http-date",
                    other => other,
                };
                traits.insert("smithy.api#timestampFormat".into(), json!(f));
            }
        }
        "blob" => {
            shape.insert("type".into(), json!("blob"));
            length_and_pattern(s, &mut traits);
        }
        "boolean" | "float" | "double" => {
            shape.insert("type".into(), json!(ty));
        }
        other => panic!("botocore shape type {other} is not supported by the cutter"),
    }
    if s.get("deprecated").and_then(Value::as_bool) == Some(true) {
        traits.insert("smithy.api#deprecated".into(), json!({}));
    }
    if s.get("sensitive").and_then(Value::as_bool) == Some(true) {
        traits.insert("smithy.api#sensitive".into(), json!({}));
    }
    if !traits.is_empty() {
        shape.insert("traits".into(), Value::Object(traits));
    }
    Value::Object(shape)
}

fn length_and_pattern(s: &Value, traits: &mut Map<String, Value>) {
    let mut length = Map::new();
    for k in ["min", "max"] {
        if let Some(v) = s.get(k) {
            length.insert(k.into(), v.clone());
        }
    }
    if !length.is_empty() {
        traits.insert("smithy.api#length".into(), Value::Object(length));
    }
    if let Some(p) = s.get("pattern") {
        traits.insert("smithy.api#pattern".into(), p.clone());
    }
}

/// `t2.micro` → `T2_MICRO`; `1.0` → `_1_0`: upper case, non-alphanumerics to `_`,
/// a leading digit prefixed (model-source.md).
fn enum_member_name(value: &str) -> String {
    let mut name: String = value
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' })
        .collect();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    name
}
