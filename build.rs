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
    println!(
        "cargo:rustc-env=PARLEL_STATE_LAYOUT={}",
        state_layout(&[
            "src/store/kinds",
            "src/store/region.rs",
            "src/clock.rs",
            "src/net.rs",
            "src/wire/mod.rs",
            "src/snapshot.rs",
        ])
    );
}

/// A fingerprint of the declarations a snapshot of the durable state is made of (the
/// structs and enums of these files, doc comments aside, and all of `src/snapshot.rs`,
/// whose hand-written encodings it uses): a snapshot is read only by a build whose
/// fingerprint is the same (src/snapshot.rs). Conservative: a type that is not kept, or
/// a change serde does not see, changes it too, and then a snapshot is refused rather
/// than misread.
fn state_layout(paths: &[&str]) -> u64 {
    use quote::ToTokens;
    let mut files = Vec::new();
    for p in paths {
        println!("cargo:rerun-if-changed={p}");
        let path = Path::new(p);
        if path.is_dir() {
            let mut names: Vec<_> = std::fs::read_dir(path)
                .unwrap_or_else(|e| panic!("{p}: {e}"))
                .map(|e| e.expect("directory entry").path())
                .filter(|f| f.extension().is_some_and(|x| x == "rs"))
                .collect();
            names.sort();
            files.extend(names);
        } else {
            files.push(path.to_path_buf());
        }
    }
    let mut text = String::new();
    for f in files {
        let src = std::fs::read_to_string(&f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let file = syn::parse_file(&src).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let whole = f.ends_with("snapshot.rs");
        let undoc = |attrs: &mut Vec<syn::Attribute>| attrs.retain(|a| !a.path().is_ident("doc"));
        for mut item in file.items {
            match &mut item {
                syn::Item::Struct(s) => {
                    undoc(&mut s.attrs);
                    s.fields.iter_mut().for_each(|f| undoc(&mut f.attrs));
                }
                syn::Item::Enum(e) => {
                    undoc(&mut e.attrs);
                    for v in &mut e.variants {
                        undoc(&mut v.attrs);
                        v.fields.iter_mut().for_each(|f| undoc(&mut f.attrs));
                    }
                }
                _ if whole => {}
                _ => continue,
            }
            text.push_str(&item.to_token_stream().to_string());
        }
    }
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Keeps mtimes stable so that an unchanged model does not recompile the crate.
fn write_if_changed(path: &Path, text: &str) {
    if std::fs::read_to_string(path).ok().as_deref() != Some(text) {
        std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}
