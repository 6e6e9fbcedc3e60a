//! `--probe URL` against a tiny HTTP server on loopback started by the test: status, latency,
//! JSON summaries, timeouts, and redirects followed only on the same host.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;

/// Serves `n` connections, then stops.
fn serve(n: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    std::thread::spawn(move || {
        for stream in listener.incoming().take(n) {
            let Ok(mut s) = stream else { continue };
            let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
            let mut buf = [0u8; 4096];
            let len = s.read(&mut buf).unwrap_or(0);
            let req = String::from_utf8_lossy(&buf[..len]).to_string();
            let path = req.split_whitespace().nth(1).unwrap_or("/").to_string();
            let (status, extra, body) = match path.as_str() {
                "/api/health" => (
                    "200 OK",
                    String::new(),
                    r#"{"ok":true,"db":"ok","version":"1.4.2"}"#.to_string(),
                ),
                "/down" => (
                    "503 Service Unavailable",
                    String::new(),
                    "<html><body>  upstream\n connect error  </body></html>".to_string(),
                ),
                "/moved" => (
                    "302 Found",
                    "Location: /api/health\r\n".to_string(),
                    String::new(),
                ),
                "/away" => (
                    "302 Found",
                    "Location: http://127.0.0.2:9/elsewhere\r\n".to_string(),
                    String::new(),
                ),
                "/slow" => {
                    std::thread::sleep(Duration::from_millis(1500));
                    ("200 OK", String::new(), "late".to_string())
                }
                _ => ("404 Not Found", String::new(), "nope".to_string()),
            };
            let _ = write!(
                s,
                "HTTP/1.1 {status}\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    format!("http://{addr}")
}

#[test]
fn probes_record_status_latency_and_summary() {
    let base = serve(6);
    let p = surveyor_live::probe(&format!("{base}/api/health"));
    assert_eq!(p.status, Some(200));
    assert!(p.ms.is_some_and(|ms| ms < 5000));
    assert_eq!(p.summary, "ok:true db:ok version:1.4.2");

    let p = surveyor_live::probe(&format!("{base}/down"));
    assert_eq!(p.status, Some(503));
    assert_eq!(
        p.summary,
        "<html><body> upstream connect error </body></html>"
    );

    // Same host: followed.
    let p = surveyor_live::probe(&format!("{base}/moved"));
    assert_eq!(
        (p.status, p.summary.as_str()),
        (Some(200), "ok:true db:ok version:1.4.2")
    );

    // Another host: not followed (nothing is sent there).
    let p = surveyor_live::probe(&format!("{base}/away"));
    assert_eq!(p.status, Some(302));
    assert!(p.summary.contains("not followed"), "{}", p.summary);

    let p = surveyor_live::probe_with_timeout(&format!("{base}/slow"), Duration::from_millis(300));
    assert_eq!(p.status, None);
    assert!(p.summary.starts_with("error"), "{}", p.summary);
}
