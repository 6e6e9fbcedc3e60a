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
    let ctx = Context::new(&map);
    let t_ctx = t.elapsed();
    let d = layout::diagram(&ctx);
    let t_diagram = t.elapsed() - t_ctx;
    drop((ctx, d));
    let t = Instant::now();
    let md = Format::Markdown.render(&map);
    let took = t.elapsed();
    println!("context {t_ctx:?}, diagram {t_diagram:?}");
    println!(
        "map.md for {} resources, {} edges: {} KiB in {:?}",
        map.resources.len(),
        map.edges.len(),
        md.len() / 1024,
        took
    );
    // Debug builds on a busy machine are many times slower than release (well under a
    // second); these bounds catch a quadratic, not a slow day.
    let bound = if cfg!(debug_assertions) { 30.0 } else { 1.0 };
    assert!(took.as_secs_f64() < bound, "took {took:?}");

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
    // Tables stop at 250 rows, so map.md stays renderable for any account.
    assert!(md.contains("… and 375 more, listed in map.json and map.html."));
    assert!(md.len() < 512 * 1024, "{} bytes", md.len());
}

#[test]
fn a_diagram_too_large_is_simplified_until_it_fits() {
    // 250 stacks of small pipelines: little repeats within a stack.
    let map = common::big_in(5000, 250);
    let ctx = Context::new(&map);
    let d = layout::diagram(&ctx);
    println!(
        "250 stacks: {} nodes, {} edges, simplified {}",
        d.nodes.len(),
        d.edges.len(),
        d.simplified
    );
    assert!(d.simplified > 0);
    assert!(d.nodes.len() <= layout::MAX_NODES && d.edges.len() <= layout::MAX_EDGES);
    // Nothing drawn is lost: every drawn resource is in exactly one node.
    let members: usize = d.nodes.iter().map(|n| n.count()).sum();
    assert_eq!(members + d.omitted, map.resources.len());
    let md = Format::Markdown.render(&map);
    assert!(md.contains("Simplified to stay readable"));
    // The small map is drawn as is.
    let small = layout::diagram(&Context::new(&common::orders()));
    assert_eq!(small.simplified, 0);
}
