//! Generates the EC2 Query layer from `model/ec2.json` into `OUT_DIR/ec2/`, and the Smithy
//! ec2Query protocol-test service from `tests/data/ec2query-model.json` into
//! `OUT_DIR/protocol/`. The generator lives in `codegen/`; `generated/` mirrors the first.

#[path = "codegen/mod.rs"]
mod codegen;

use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=model/ec2.json");
    println!("cargo:rerun-if-changed=codegen");
    println!("cargo:rerun-if-changed=tests/data/ec2query-model.json");
    let out = std::env::var("OUT_DIR").expect("OUT_DIR");
    for (model, dir) in [
        ("model/ec2.json", "ec2"),
        ("tests/data/ec2query-model.json", "protocol"),
    ] {
        let json = std::fs::read_to_string(model).unwrap_or_else(|e| panic!("{model}: {e}"));
        let dir = Path::new(&out).join(dir);
        std::fs::create_dir_all(&dir).expect("create OUT_DIR subfolder");
        for (name, text) in codegen::generate(&json) {
            write_if_changed(&dir.join(name), &text);
        }
    }
}

/// Keeps mtimes stable so that an unchanged model does not recompile the crate.
fn write_if_changed(path: &Path, text: &str) {
    if std::fs::read_to_string(path).ok().as_deref() != Some(text) {
        std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}
