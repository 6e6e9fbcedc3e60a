//! Large maps: rendering stays fast, and the diagram stays readable by grouping.

mod common;

use std::time::Instant;

use surveyor_report::layout::{self, Context};
use surveyor_report::Format;

#[test]
fn five_thousand_resources_render_fast_and_group() {
    let map = common::big(5000);
    assert!(map.resources.len() >= 5000);
    let t = Instant::now();
    let md = Format::Markdown.render(&map);
    let took = t.elapsed();
    println!(
        "map.md for {} resources, {} edges: {} KiB in {:?}",
        map.resources.len(),
        map.edges.len(),
        md.len() / 1024,
        took
    );
    // Debug builds are several times slower than release; this bound catches a quadratic.
    assert!(took.as_secs_f64() < 5.0, "took {took:?}");

    let ctx = Context::new(&map);
    let d = layout::diagram(&ctx);
    println!("diagram: {} nodes, {} edges", d.nodes.len(), d.edges.len());
    assert!(
        d.nodes.len() < 200,
        "{} nodes is not readable",
        d.nodes.len()
    );
    assert!(d
        .nodes
        .iter()
        .any(|n| n.label.starts_with("Lambda function ×")));
    assert!(d.nodes.iter().any(|n| n.label.starts_with("Schedule ×")));
    let start = md.find("```mermaid").expect("diagram");
    let end = md[start + 3..].find("```").expect("closed") + start + 3;
    let block = &md[start..end];
    assert!(!block.contains("role-"), "roles are plumbing");

    // Long tables fold, with a summary line counting the states.
    assert!(
        md.contains("Schedules and rules ×625: 17 DISABLED → ENABLED (measured), 608 ENABLED ✓."),
        "schedule summary"
    );
    assert!(md.contains("<details><summary>613 more</summary>"));
}
