//! `generated/` must be exactly what build.rs writes to `OUT_DIR/ec2/` from `model/ec2.json`.
//!
//! The generator is compiled into this test as well, so the check regenerates in memory and
//! needs no build script output. Locally a stale file is rewritten and the test fails once
//! (the next run passes); under CI (`CI` set) it only fails, so a stale mirror can never land.

#[path = "../../codegen/mod.rs"]
#[allow(dead_code)]
mod codegen;

use std::path::{Path, PathBuf};

const REFRESH: &str = "cargo test --test it codegen_fresh";

#[test]
fn codegen_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let model = std::fs::read_to_string(root.join("model/ec2.json")).expect("model/ec2.json");
    let dir = root.join("generated");
    let in_ci = std::env::var_os("CI").is_some();

    let mut stale: Vec<PathBuf> = Vec::new();
    for (name, text) in codegen::generate(&model) {
        let path = dir.join(name);
        let current = std::fs::read_to_string(&path).ok();
        if current.as_deref().map(normalize_newlines) == Some(text.clone()) {
            continue;
        }
        if !in_ci {
            std::fs::create_dir_all(&dir).expect("create generated/");
            std::fs::write(&path, &text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
        stale.push(path);
    }

    let list: Vec<String> = stale
        .iter()
        .map(|p| p.strip_prefix(root).unwrap_or(p).display().to_string())
        .collect();
    assert!(
        stale.is_empty(),
        "generated/ is stale: {}. {}",
        list.join(", "),
        if in_ci {
            format!("Run `{REFRESH}` locally and commit generated/.")
        } else {
            format!("The files were rewritten; review and commit them (`{REFRESH}` passes now).")
        }
    );
}

/// A checkout with CRLF line endings is not stale.
fn normalize_newlines(s: &str) -> String {
    s.replace("\r\n", "\n")
}
