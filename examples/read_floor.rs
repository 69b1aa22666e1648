//! The reading floor for the intake benchmark (`scripts/bench-floor.sh`):
//! what it costs at least to look at every returned workbook — read the
//! file, inflate every XML part of the zip and tokenise it with quick-xml,
//! nothing else (no cell values, no checks). Same parallelism as `cchc
//! validate` (rayon over the machine's cores).
//! Usage: cargo run --release --example read_floor -- DIR

use rayon::prelude::*;
use std::io::Read;

fn tokenise(bytes: &[u8]) -> usize {
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return 0;
    };
    let mut events = 0;
    for i in 0..zip.len() {
        let Ok(mut entry) = zip.by_index(i) else {
            continue;
        };
        if !entry.name().is_ok_and(|n| n.ends_with(".xml")) {
            continue;
        }
        let mut xml = Vec::new();
        if entry.read_to_end(&mut xml).is_err() {
            continue;
        }
        let mut reader = quick_xml::Reader::from_reader(xml.as_slice());
        let mut buf = Vec::new();
        loop {
            match reader.read_event_into(&mut buf) {
                Ok(quick_xml::events::Event::Eof) | Err(_) => break,
                Ok(_) => events += 1,
            }
            buf.clear();
        }
    }
    events
}

fn main() {
    let dir = std::env::args().nth(1).expect("usage: read_floor DIR");
    let files: Vec<_> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    let start = std::time::Instant::now();
    let events: usize = files
        .par_iter()
        .map(|p| std::fs::read(p).map(|b| tokenise(&b)).unwrap_or(0))
        .sum();
    println!(
        "{} files, {} XML events, {:.2} s wall",
        files.len(),
        events,
        start.elapsed().as_secs_f64()
    );
}
