//! Notices across a cluster: a run lost with its worker is recorded by every peer, and
//! reported by one of them, once.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};

use testkit::eventually;

use crate::harness::{Cluster, DEADLINE, every_second};

/// A webhook receiver on a thread: answers 200 and keeps each request's body.
fn receiver() -> (String, Arc<Mutex<Vec<serde_json::Value>>>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/hook", listener.local_addr().expect("addr"));
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let kept = Arc::clone(&bodies);
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { return };
            let mut data = Vec::new();
            let mut buf = [0_u8; 4096];
            let body = loop {
                let Ok(n) = conn.read(&mut buf) else {
                    break String::new();
                };
                if n == 0 {
                    break String::new();
                }
                data.extend_from_slice(&buf[..n]);
                if let Some((_, body)) = testkit::http::whole_request(&data) {
                    break body;
                }
            };
            kept.lock()
                .expect("lock")
                .push(serde_json::from_str(&body).unwrap_or(serde_json::Value::Null));
            let _ = conn.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        }
    });
    (url, bodies)
}

#[test]
fn a_run_lost_with_its_worker_is_reported_once_by_one_of_the_peers() {
    let (url, bodies) = receiver();
    let mut c = Cluster::start();
    c.add_worker(1, &[("WORKER_LABELS", "role=victim")]);
    c.add_worker(2, &[]);
    c.add_worker(3, &[]);
    c.wait_for_workers(3);
    let mut long = every_second("long-run", "sleep 120");
    long["cronExpr"] = "0 0 0 1 1 *".into();
    long["selector"] = serde_json::json!({ "role": "victim" });
    long["notify"] = serde_json::json!([{ "url": url, "on": ["lost"] }]);
    c.put_job(long);
    let execution_id = c.run_until_running("long-run");
    c.kill_worker(0);
    // Recorded lost, with the delivery of its notice, by the peer that sent it.
    let deliveries = eventually(
        "the lost run recorded with its notice",
        DEADLINE * 2,
        || {
            let conn = c.master_db()?;
            conn.query_row(
                "SELECT status, notifications FROM executions WHERE execution_id = ?1",
                [&execution_id],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
            )
            .ok()
            .filter(|(status, notices)| status == "lost" && notices != "[]")
        },
    );
    // The other peer recorded the loss too, and left its notice to the first.
    eventually("the other peer gave the notice up", DEADLINE, || {
        [1, 2]
            .iter()
            .any(|&i| {
                c.worker_log(i)
                    .contains("another worker reports this lost run")
            })
            .then_some(())
    });
    let notices: serde_json::Value = serde_json::from_str(&deliveries.1).expect("json");
    assert_eq!(notices[0]["event"], "lost", "{notices}");
    assert_eq!(notices[0]["delivered"], true, "{notices}");
    let got = bodies.lock().expect("lock").clone();
    assert_eq!(
        got.len(),
        1,
        "one notice for one lost run, from one peer: {got:?}"
    );
    assert_eq!(got[0]["event"], "lost");
    assert_eq!(got[0]["executionId"], execution_id.as_str());
    assert_eq!(got[0]["status"], "lost");
}
