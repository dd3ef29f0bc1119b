//! `schedctl dashboard` (alias `top`): a live terminal view of jobs, executions and workers.
//!
//! Three parts. [`state`] holds what is shown and turns keys into [`Action`]s and stream
//! events into changes, with no I/O; [`view`] draws a `&State` with ratatui; this module is
//! the async loop that ties them to the terminal and the master. Updates come from the
//! `EventService.Watch` stream, never from polling: on its `Resync` (sent first, and again
//! whenever we fell behind) the watcher re-reads jobs, the first page of logs and the workers
//! and hands the loop a [`Snapshot`]; when the stream breaks it shows a banner and reconnects
//! with backoff. The screen is redrawn when something changed, at most every
//! [`MIN_FRAME`], plus once a second for the clock, so an idle dashboard costs next to
//! nothing. Nothing is printed while the terminal is in raw mode: errors of actions go to the
//! status line, and the terminal is restored on every exit path, panics included.

pub mod state;
pub mod view;

use std::io::{IsTerminal, Stdout};
use std::sync::Arc;
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use crossterm::event::Event as TermEvent;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use schedd_proto::v1 as pb;
use tokio::sync::mpsc;
use tokio::time::Instant;

use crate::Ctx;
use crate::client::{Client, ClientError};
pub use state::{Action, Snapshot, State, Zone};

/// The shortest time between two frames: a burst of events is drawn once.
pub const MIN_FRAME: Duration = Duration::from_millis(50);
/// How often the loop looks at the clock (it redraws only when the shown second changes).
const TICK: Duration = Duration::from_millis(250);
const FIRST_RETRY: Duration = Duration::from_millis(500);
const MAX_RETRY: Duration = Duration::from_secs(5);
/// Messages handled before the next frame, so a flood of events cannot starve the screen.
const MAX_BATCH: usize = 4096;
/// Room for events between the watcher and the loop. When it is full the watcher waits, the
/// master's buffer for us fills, and the master sends a `Resync`: a slow screen degrades
/// into re-reads instead of unbounded memory.
const QUEUE: usize = 8192;
/// Records read on a resync (`ListLogs` allows at most 500 a page).
const RESYNC_RECORDS: u32 = 500;

/// Live dashboard of jobs, executions and workers (press ? for keys).
///
/// Tabs: 1 Jobs, 2 Executions, 3 Workers. j/k or arrows move, / filters, Enter shows
/// details, e/d enable/disable, r runs now, x kills (after y/n), q quits.
#[derive(Debug, Args)]
pub struct Dashboard {}

impl Dashboard {
    pub async fn run(self, ctx: &Ctx) -> anyhow::Result<()> {
        let mut tui = Tui::enter()?;
        let result = run_loop(&mut tui.terminal, &ctx.client).await;
        // Restore before `main` prints an error, so the message lands on the normal screen.
        drop(tui);
        result
    }
}

/// What reaches the loop: keys, stream events, and the answers of spawned calls.
#[derive(Debug)]
enum Msg {
    Input(TermEvent),
    InputClosed(String),
    // Boxed: an event holds a whole job (with its HTTP request), many times the other variants.
    Event(Box<pb::event::Event>),
    Snapshot(Snapshot),
    Disconnected {
        reason: String,
        retry_in_ms: u64,
    },
    ActionDone(Result<String, String>),
    JobDetail {
        name: String,
        result: Result<(Vec<pb::ExecutionRecord>, Option<pb::LogStats>), String>,
    },
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

async fn run_loop(
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    client: &Client,
) -> anyhow::Result<()> {
    let (tx, mut rx) = mpsc::channel(QUEUE);
    let stop = Arc::new(AtomicBool::new(false));
    spawn_input(tx.clone(), stop.clone())?;
    let watcher = tokio::spawn(watch(client.clone(), tx.clone()));

    let mut state = State::new(client.endpoint(), Zone::Local, now_ms());
    let size = terminal.size().context("reading the terminal size")?;
    state.size = (size.width, size.height);

    let result = async {
        let mut tick = tokio::time::interval(TICK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        let mut dirty = true;
        let mut next_frame = Instant::now();
        loop {
            if dirty && Instant::now() >= next_frame {
                terminal
                    .draw(|frame| frame.render_widget(&state, frame.area()))
                    .context("drawing the dashboard")?;
                dirty = false;
                next_frame = Instant::now() + MIN_FRAME;
            }
            let frame_due = async {
                if dirty {
                    tokio::time::sleep_until(next_frame).await;
                } else {
                    std::future::pending::<()>().await;
                }
            };
            tokio::select! {
                msg = rx.recv() => {
                    let Some(mut msg) = msg else { return Ok(()) };
                    let mut handled = 0;
                    loop {
                        if handle(msg, &mut state, client, &tx)? {
                            return Ok(());
                        }
                        handled += 1;
                        if handled == MAX_BATCH {
                            break;
                        }
                        match rx.try_recv() {
                            Ok(next) => msg = next,
                            Err(_) => break,
                        }
                    }
                    dirty = true;
                }
                _ = tick.tick() => {
                    if state.tick(now_ms()) {
                        dirty = true;
                    }
                }
                () = frame_due => {}
            }
        }
    }
    .await;
    stop.store(true, Ordering::Relaxed);
    watcher.abort();
    result
}

/// Applies one message; returns whether to quit.
fn handle(
    msg: Msg,
    state: &mut State,
    client: &Client,
    tx: &mpsc::Sender<Msg>,
) -> anyhow::Result<bool> {
    match msg {
        Msg::Input(TermEvent::Key(key)) => {
            let action = state.on_key(key);
            if action == Action::Quit {
                return Ok(true);
            }
            spawn_action(action, client, tx);
        }
        Msg::Input(TermEvent::Resize(w, h)) => state.size = (w, h),
        Msg::Input(_) => {}
        Msg::InputClosed(reason) => anyhow::bail!("reading the terminal: {reason}"),
        Msg::Event(event) => state.on_event(*event),
        Msg::Snapshot(snapshot) => state.apply_snapshot(snapshot),
        Msg::Disconnected {
            reason,
            retry_in_ms,
        } => state.disconnected(reason, retry_in_ms),
        Msg::ActionDone(result) => state.action_done(result),
        Msg::JobDetail { name, result } => state.job_detail_loaded(&name, result),
    }
    Ok(false)
}

/// Carries out a network action in a task; its answer comes back as a message, so the
/// screen never waits for the master.
fn spawn_action(action: Action, client: &Client, tx: &mpsc::Sender<Msg>) {
    if matches!(action, Action::None | Action::Quit) {
        return;
    }
    let client = client.clone();
    let tx = tx.clone();
    tokio::spawn(async move {
        let mut jobs = client.jobs();
        let msg = match action {
            Action::None | Action::Quit => return,
            Action::Enable(name) => {
                let call = jobs.enable_job(pb::EnableJobRequest { name: name.clone() });
                Msg::ActionDone(done(&client, call, format!("job {name:?} enabled")).await)
            }
            Action::Disable(name) => {
                let call = jobs.disable_job(pb::DisableJobRequest { name: name.clone() });
                Msg::ActionDone(done(&client, call, format!("job {name:?} disabled")).await)
            }
            Action::Run(name) => {
                let call = jobs.run_job(pb::RunJobRequest { name: name.clone() });
                Msg::ActionDone(match client.call(call).await {
                    Ok(r) => Ok(format!(
                        "job {name:?} started: execution {}",
                        r.execution_id
                    )),
                    Err(e) => Err(format!("run {name:?}: {e}")),
                })
            }
            Action::Kill(name) => {
                let call = jobs.kill_job(pb::KillJobRequest { name: name.clone() });
                Msg::ActionDone(
                    done(
                        &client,
                        call,
                        format!("kill sent to the running executions of job {name:?}"),
                    )
                    .await,
                )
            }
            Action::LoadJobDetail(name) => {
                let mut logs = client.logs();
                let mut logs2 = client.logs();
                let runs = client.call(logs.list_logs(pb::ListLogsRequest {
                    job_name: name.clone(),
                    page: 1,
                    page_size: 50,
                    ..Default::default()
                }));
                let stats = client.call(logs2.get_log_stats(pb::GetLogStatsRequest {
                    job_name: name.clone(),
                    days: 7,
                }));
                let (runs, stats) = tokio::join!(runs, stats);
                let result = match (runs, stats) {
                    (Ok(runs), Ok(stats)) => Ok((runs.records, stats.stats)),
                    (Err(e), _) | (_, Err(e)) => Err(format!("loading {name:?}: {e}")),
                };
                Msg::JobDetail { name, result }
            }
        };
        let _ = tx.send(msg).await;
    });
}

/// `Ok(message)` when the call succeeded, else the error as the status line shows it.
async fn done<T>(
    client: &Client,
    call: impl Future<Output = Result<tonic::Response<T>, tonic::Status>>,
    message: String,
) -> Result<String, String> {
    match client.call(call).await {
        Ok(_) => Ok(message),
        Err(e) => Err(e.to_string()),
    }
}

/// Follows the event stream for as long as the loop listens, reconnecting with backoff.
async fn watch(client: Client, tx: mpsc::Sender<Msg>) {
    let mut retry = FIRST_RETRY;
    loop {
        let reason = match follow(&client, &tx, &mut retry).await {
            Ok(()) => return, // the loop is gone
            Err(reason) => reason,
        };
        let retry_in_ms = u64::try_from(retry.as_millis()).unwrap_or(u64::MAX);
        if tx
            .send(Msg::Disconnected {
                reason,
                retry_in_ms,
            })
            .await
            .is_err()
        {
            return;
        }
        tokio::time::sleep(retry).await;
        retry = (retry * 2).min(MAX_RETRY);
    }
}

/// One connection of the stream; `Err` says why it ended, `Ok` that nobody listens anymore.
async fn follow(
    client: &Client,
    tx: &mpsc::Sender<Msg>,
    retry: &mut Duration,
) -> Result<(), String> {
    let request = pb::WatchRequest {
        jobs: true,
        executions: true,
        workers: true,
    };
    // `call`'s timeout covers getting the stream, not how long it lives.
    let mut stream = client
        .call(client.events().watch(request))
        .await
        .map_err(|e| short_reason(&e))?;
    loop {
        let event = match stream.message().await {
            Ok(Some(pb::Event { event: Some(e) })) => e,
            Ok(Some(pb::Event { event: None })) => continue,
            Ok(None) => return Err("the master ended the event stream".to_owned()),
            Err(status) => {
                return Err(short_reason(&ClientError::from_status(
                    status,
                    client.endpoint(),
                )));
            }
        };
        let msg = match event {
            pb::event::Event::Resync(_) => {
                // Read while the stream waits: events after the read are applied after the
                // snapshot, and those it already holds are applied again harmlessly.
                let snapshot = fetch_snapshot(client).await.map_err(|e| short_reason(&e))?;
                *retry = FIRST_RETRY;
                Msg::Snapshot(snapshot)
            }
            event => Msg::Event(Box::new(event)),
        };
        if tx.send(msg).await.is_err() {
            return Ok(());
        }
    }
}

/// The reason without the endpoint, which the banner already names.
fn short_reason(e: &ClientError) -> String {
    match e {
        ClientError::Unreachable { reason, .. } => reason.clone(),
        other => other.to_string(),
    }
}

async fn fetch_snapshot(client: &Client) -> Result<Snapshot, ClientError> {
    let mut jobs = client.jobs();
    let mut logs = client.logs();
    let mut workers = client.workers();
    let mut running_logs = client.logs();
    let (jobs, records, running, workers) = tokio::try_join!(
        client.call(jobs.list_jobs(pb::ListJobsRequest::default())),
        client.call(logs.list_logs(pb::ListLogsRequest {
            job_name: String::new(),
            page: 1,
            page_size: RESYNC_RECORDS,
            ..Default::default()
        })),
        // The runs going on, which the stored records do not include.
        client.call(running_logs.list_logs(pb::ListLogsRequest {
            page: 1,
            page_size: RESYNC_RECORDS,
            status: pb::ExecutionStatus::Running as i32,
            ..Default::default()
        })),
        client.call(workers.list_workers(pb::ListWorkersRequest {})),
    )?;
    let mut records = records.records;
    records.extend(running.records);
    Ok(Snapshot {
        jobs: jobs.jobs,
        records,
        workers: workers.workers,
    })
}

/// Reads terminal events on a thread of its own (crossterm's reads block) and forwards them.
fn spawn_input(tx: mpsc::Sender<Msg>, stop: Arc<AtomicBool>) -> anyhow::Result<()> {
    std::thread::Builder::new()
        .name("dashboard-input".to_owned())
        .spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                // A timeout, so the thread notices `stop` and ends with the loop.
                let event = match crossterm::event::poll(Duration::from_millis(200)) {
                    Ok(false) => continue,
                    Ok(true) => crossterm::event::read(),
                    Err(e) => Err(e),
                };
                let msg = match event {
                    Ok(event) => Msg::Input(event),
                    Err(e) => Msg::InputClosed(e.to_string()),
                };
                let closed = matches!(msg, Msg::InputClosed(_));
                if tx.blocking_send(msg).is_err() || closed {
                    return;
                }
            }
        })
        .context("starting the input thread")?;
    Ok(())
}

/// The terminal in raw mode on the alternate screen; put back as it was on drop, and by a
/// panic hook if we panic first.
struct Tui {
    terminal: Terminal<CrosstermBackend<Stdout>>,
}

impl Tui {
    fn enter() -> anyhow::Result<Tui> {
        if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
            anyhow::bail!("the dashboard needs a terminal (stdin and stdout must be one)");
        }
        install_panic_hook();
        crossterm::terminal::enable_raw_mode().context("switching the terminal to raw mode")?;
        let entered = crossterm::execute!(
            std::io::stdout(),
            crossterm::terminal::EnterAlternateScreen,
            crossterm::cursor::Hide
        )
        .context("entering the alternate screen")
        .and_then(|()| {
            Terminal::new(CrosstermBackend::new(std::io::stdout())).context("opening the terminal")
        });
        match entered {
            Ok(terminal) => Ok(Tui { terminal }),
            Err(e) => {
                restore_terminal();
                Err(e)
            }
        }
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// Leaves raw mode and the alternate screen; harmless when they were never entered.
fn restore_terminal() {
    let _ = crossterm::terminal::disable_raw_mode();
    let _ = crossterm::execute!(
        std::io::stdout(),
        crossterm::terminal::LeaveAlternateScreen,
        crossterm::cursor::Show
    );
}

/// Restores the terminal before the panic message is printed, so it is readable and the
/// shell is usable afterwards.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore_terminal();
            previous(info);
        }));
    });
}
