//! Compiles every message catalogue in `locales/` into the server: adding a language is adding a
//! file `locales/LANGUAGE.ftl`.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
    println!("cargo:rerun-if-changed={}", folder.display());
    let mut catalogues: Vec<(String, String)> = std::fs::read_dir(&folder)
        .expect("the locales folder")
        .map(|entry| entry.expect("a locales entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "ftl"))
        .map(|path| {
            let tag = path
                .file_stem()
                .expect("a file name")
                .to_string_lossy()
                .into_owned();
            (tag, path.display().to_string())
        })
        .collect();
    catalogues.sort();
    let mut code = String::from("/// Every catalogue: its language tag and its text.\n");
    code.push_str("pub const CATALOGUES: &[(&str, &str)] = &[\n");
    for (tag, path) in &catalogues {
        writeln!(code, "    ({tag:?}, include_str!({path:?})),").unwrap();
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("catalogues.rs");
    std::fs::write(out, code).expect("writing the catalogues' list");
}
