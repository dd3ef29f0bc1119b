//! How long the dashboard takes to draw a frame with 10,000 jobs. A measurement that prints
//! its numbers, not a timed assertion (run with `--nocapture`, ideally `--release`):
//!
//! ```sh
//! cargo test --release -p schedctl --test dashboard_frame -- --nocapture
//! ```

use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use schedctl::dashboard::{Snapshot, State, Zone};
use schedd_proto::v1 as pb;

const JOBS: usize = 10_000;
const FRAMES: u32 = 200;
/// 2026-11-25 09:02:00 UTC.
const NOW: i64 = 1_795_597_320_000;

fn snapshot() -> Snapshot {
    let crons = [
        "* * * * * *",
        "0 */5 * * * *",
        "TZ=Europe/Berlin 0 30 2 * * *",
        "@hourly",
    ];
    let jobs = (0..JOBS)
        .map(|i| pb::Job {
            name: format!("job-{i:05}"),
            cron_expr: crons[i % crons.len()].to_owned(),
            command: format!("echo {i}"),
            timezone: "UTC".to_owned(),
            ..Default::default()
        })
        .collect();
    let records = (0..500_i64)
        .map(|i| pb::ExecutionRecord {
            execution_id: format!("exec-{i:05}"),
            job_name: format!("job-{:05}", i as usize * 7 % JOBS),
            output: "hi\n".to_owned(),
            start_time: Some(schedd_proto::ts_from_ms(NOW - i * 100)),
            end_time: Some(schedd_proto::ts_from_ms(NOW - i * 100 + 5)),
            status: pb::ExecutionStatus::Success as i32,
            ..Default::default()
        })
        .collect();
    Snapshot {
        jobs,
        records,
        workers: Vec::new(),
    }
}

/// Mean time per frame over `FRAMES` frames; `step` changes the state between frames.
fn measure(
    terminal: &mut Terminal<TestBackend>,
    state: &mut State,
    mut step: impl FnMut(&mut State, u32),
) -> Duration {
    let start = Instant::now();
    for i in 0..FRAMES {
        step(state, i);
        terminal
            .draw(|frame| frame.render_widget(&*state, frame.area()))
            .expect("draws");
    }
    start.elapsed() / FRAMES
}

#[test]
fn frame_time_with_10000_jobs() {
    let mut state = State::new("http://127.0.0.1:8070", Zone::Utc, NOW);
    state.size = (200, 50);
    let start = Instant::now();
    state.apply_snapshot(snapshot());
    let resync = start.elapsed();
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).expect("test terminal");

    let same = measure(&mut terminal, &mut state, |_, _| {});
    // A new second each frame: the NEXT FIRE column is recomputed for every visible row.
    let ticking = measure(&mut terminal, &mut state, |s, i| {
        s.tick(NOW + i64::from(i) * 1000);
    });
    // Scrolling a page per frame: different rows each time.
    let scrolling = measure(&mut terminal, &mut state, |s, _| {
        s.on_key(KeyEvent::new(KeyCode::PageDown, KeyModifiers::NONE));
    });
    let mut filter_typing = Duration::ZERO;
    for c in "job-0".chars() {
        let t = Instant::now();
        state.on_key(KeyEvent::new(KeyCode::Char('/'), KeyModifiers::NONE));
        state.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        filter_typing = filter_typing.max(t.elapsed());
        state.on_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    }
    println!(
        "dashboard, {JOBS} jobs, 200x50: resync {resync:?}; frame {same:?} unchanged, \
         {ticking:?} with the clock moving, {scrolling:?} scrolling a page per frame; \
         slowest filter keystroke {filter_typing:?}"
    );
    assert_eq!(state.jobs.len(), JOBS);
}
