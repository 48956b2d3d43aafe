//! Points the embedded web UI at `web/dist` when it was built, or at an empty folder
//! otherwise, so that `cargo build` never needs npm.

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let dist = manifest.join("../../web/dist");
    println!("cargo:rerun-if-changed=../../web/dist");
    println!("cargo:rerun-if-changed=../../web/dist/index.html");
    let folder = if dist.join("index.html").exists() {
        dist
    } else {
        let empty = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("no-web-ui");
        let _ = std::fs::create_dir_all(&empty);
        empty
    };
    println!("cargo:rustc-env=JICENG_WEB_DIST={}", folder.display());
}
