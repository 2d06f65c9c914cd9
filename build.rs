//! Embeds the message catalog and the schema: every `src/present/locales/<language>/*.ftl` file
//! becomes part of the binary, so adding a language is adding a folder (no Rust change), and so
//! does every `migrations/*.sql`; the binary runs without any files beside it.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    locales();
    migrations();
}

/// `migrations.rs`: `(file name, SQL)` of every `migrations/*.sql`, sorted by name.
fn migrations() {
    let root = Path::new("migrations");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(root)
        .into_iter()
        .flatten()
        .flatten()
        .map(|f| f.path())
        .filter(|f| f.extension().is_some_and(|e| e == "sql"))
        .collect();
    files.sort();
    let mut out = String::from("&[\n");
    for file in files {
        println!("cargo:rerun-if-changed={}", file.display());
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let path = std::fs::canonicalize(&file).unwrap_or(file);
        let _ = writeln!(
            out,
            "    ({name:?}, include_str!({:?})),",
            path.to_string_lossy()
        );
    }
    out.push_str("]\n");
    let dest =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("migrations.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}

/// `locales.rs`: every language of the catalog with its Fluent files.
fn locales() {
    let root = Path::new("src/present/locales");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut languages: Vec<(String, Vec<String>)> = Vec::new();
    if let Ok(entries) = std::fs::read_dir(root) {
        for entry in entries.flatten() {
            let path = entry.path();
            if !path.is_dir() {
                continue;
            }
            println!("cargo:rerun-if-changed={}", path.display());
            let tag = entry.file_name().to_string_lossy().into_owned();
            let mut files: Vec<String> = std::fs::read_dir(&path)
                .into_iter()
                .flatten()
                .flatten()
                .map(|f| f.path())
                .filter(|f| f.extension().is_some_and(|e| e == "ftl"))
                .map(|f| {
                    println!("cargo:rerun-if-changed={}", f.display());
                    std::fs::canonicalize(&f)
                        .unwrap_or(f)
                        .to_string_lossy()
                        .into_owned()
                })
                .collect();
            files.sort();
            languages.push((tag, files));
        }
    }
    languages.sort();
    let mut out = String::from("/// Every language of the catalog with its Fluent files.\n");
    out.push_str("pub(crate) static LOCALES: &[(&str, &[(&str, &str)])] = &[\n");
    for (tag, files) in &languages {
        let _ = writeln!(out, "    ({tag:?}, &[");
        for file in files {
            let name = Path::new(file)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let _ = writeln!(out, "        ({name:?}, include_str!({file:?})),");
        }
        out.push_str("    ]),\n");
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("locales.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}
