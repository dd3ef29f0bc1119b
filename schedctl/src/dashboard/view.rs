//! Drawing: `impl Widget for &State`. Every frame is laid out from the area it is given, so
//! a resize needs nothing special, and only the rows on screen are built, so 10,000 jobs
//! cost what 30 do. Nothing here reads the clock: "now" is `State::now_ms`.

use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{
    Block, Borders, Cell, Clear, Paragraph, Row, Sparkline, StatefulWidget, Table, TableState,
    Tabs, Widget, Wrap,
};
use schedd_core::{ExecutionRecord, ExecutionStatus};

use super::state::{
    Connection, Detail, Overlay, State, StatusKind, Tab, WorkerEntry, visible_offset,
};
use crate::duration::format_ms;
use crate::printer::{worker_described, worker_name};

/// Below this the dashboard shows a message instead of a squeezed table.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 12;
/// Width of the CRON column; longer expressions end with `…`.
const CRON_WIDTH: usize = 20;
/// Samples in the RUNNING HISTORY column of the Workers table.
const SPARK_WIDTH: usize = 16;
/// Height of the worker load panel under the Workers table, when there is room.
const WORKER_PANEL: u16 = 8;

/// Where things go on a screen of `area`; `None` when the screen is too small.
struct Areas {
    header: Rect,
    banner: Option<Rect>,
    table: Rect,
    panel: Option<Rect>,
    status: Rect,
}

fn layout(state: &State, area: Rect) -> Option<Areas> {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    let banner = matches!(state.connection, Connection::Disconnected { .. });
    let [header, banner_area, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(u16::from(banner)),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let (table, panel) = if state.tab == Tab::Workers && body.height >= 2 * WORKER_PANEL {
        let [t, p] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(WORKER_PANEL)]).areas(body);
        (t, Some(p))
    } else {
        (body, None)
    };
    Some(Areas {
        header,
        banner: banner.then_some(banner_area),
        table,
        panel,
        status,
    })
}

/// Rows of the current table on a screen of `State::size` (0 when nothing is drawn).
pub fn table_rows(state: &State) -> usize {
    let (w, h) = state.size;
    layout(state, Rect::new(0, 0, w, h))
        // Two border lines and the header row.
        .map_or(0, |a| usize::from(a.table.height.saturating_sub(3)))
}

impl Widget for &State {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let Some(areas) = layout(self, area) else {
            render_too_small(area, buf);
            return;
        };
        render_header(self, areas.header, buf);
        if let (
            Some(banner),
            Connection::Disconnected {
                reason,
                retry_in_ms,
            },
        ) = (areas.banner, &self.connection)
        {
            let text = format!(
                " disconnected from {} — reconnecting (retry in {}; {reason})",
                self.endpoint,
                format_ms(i64::try_from(*retry_in_ms).unwrap_or(i64::MAX)),
            );
            Paragraph::new(text)
                .style(Style::new().bg(Color::Red).fg(Color::White).bold())
                .render(banner, buf);
        }
        match self.tab {
            Tab::Jobs => render_jobs(self, areas.table, buf),
            Tab::Executions => render_executions(self, areas.table, buf),
            Tab::Workers => {
                render_workers(self, areas.table, buf);
                if let Some(panel) = areas.panel {
                    render_worker_panel(self, panel, buf);
                }
            }
        }
        render_status(self, areas.status, buf);
        match &self.overlay {
            Overlay::None => {}
            Overlay::Help => render_help(area, buf),
            Overlay::ConfirmKill(job) => render_confirm(job, area, buf),
            Overlay::Detail(detail) => render_detail(self, detail, area, buf),
        }
    }
}

fn render_too_small(area: Rect, buf: &mut Buffer) {
    let mut lines = vec![Line::raw(""); usize::from(area.height.saturating_sub(2) / 2)];
    lines.push(Line::raw(format!(
        "terminal too small: {}x{}",
        area.width, area.height
    )));
    lines.push(Line::raw(format!("need at least {MIN_WIDTH}x{MIN_HEIGHT}")));
    Paragraph::new(lines)
        .alignment(Alignment::Center)
        .wrap(Wrap { trim: true })
        .render(area, buf);
}

fn render_header(state: &State, area: Rect, buf: &mut Buffer) {
    let online = state.workers.values().filter(|w| w.online).count();
    let titles = [
        format!("1 Jobs ({})", state.jobs.len()),
        format!("2 Executions ({})", state.executions.len()),
        format!("3 Workers ({online}/{})", state.workers.len()),
    ];
    let (conn, color) = match state.connection {
        Connection::Connecting => ("connecting", Color::Yellow),
        Connection::Connected => ("connected", Color::Green),
        Connection::Disconnected { .. } => ("disconnected", Color::Red),
    };
    // " schedd " and the tabs, each title padded by a space on both sides, with dividers.
    let tabs_width = 8 + titles.iter().map(|t| t.chars().count() + 3).sum::<usize>();
    let mut right = vec![
        Span::styled(format!("● {conn}"), Style::new().fg(color)),
        Span::raw(format!(" {} ", state.zone.datetime(state.now_ms))),
    ];
    let width: usize = right.iter().map(Span::width).sum();
    // The endpoint only when it fits; the banner names it when it matters.
    if tabs_width + width + state.endpoint.chars().count() < usize::from(area.width) {
        right.insert(0, Span::raw(format!("{} ", state.endpoint)));
    }
    let right = Line::from(right);
    let right_width = u16::try_from(right.width()).unwrap_or(u16::MAX);
    let [left_area, right_area] =
        Layout::horizontal([Constraint::Fill(1), Constraint::Length(right_width)]).areas(area);
    let left = Layout::horizontal([Constraint::Length(8), Constraint::Fill(1)]).split(left_area);
    Span::styled(" schedd ", Style::new().bold().reversed()).render(left[0], buf);
    Tabs::new(titles)
        .select(state.tab.index())
        .highlight_style(Style::new().bold().fg(Color::Cyan).underlined())
        .divider("│")
        .render(left[1], buf);
    right.alignment(Alignment::Right).render(right_area, buf);
}

/// The border and title of a table: its name, how many rows pass the filter, the filter.
fn table_block(state: &State, tab: Tab, shown: usize, total: usize) -> Block<'static> {
    let filter = state.filter(tab);
    let title = if filter.is_empty() {
        format!(" {} ({total}) ", tab.title())
    } else {
        format!(
            " {} ({shown} of {total}) · filter \"{filter}\" ",
            tab.title()
        )
    };
    Block::new()
        .borders(Borders::ALL)
        .border_style(Style::new().fg(Color::DarkGray))
        .title(Span::styled(title, Style::new().bold()))
}

/// Draws `rows` (already only the visible ones) with the selection at `selected` of them.
fn draw_table<'a>(
    rows: Vec<Row<'a>>,
    header: &[&'a str],
    widths: &[Constraint],
    block: Block<'a>,
    selected: Option<usize>,
    area: Rect,
    buf: &mut Buffer,
) {
    let table = Table::new(rows, widths.to_vec())
        .header(Row::new(header.to_vec()).style(Style::new().bold().fg(Color::Gray)))
        .block(block)
        .row_highlight_style(Style::new().reversed());
    let mut table_state = TableState::default().with_selected(selected);
    StatefulWidget::render(table, area, buf, &mut table_state);
}

pub fn status_color(status: ExecutionStatus) -> Color {
    match status {
        ExecutionStatus::Success => Color::Green,
        ExecutionStatus::Failed | ExecutionStatus::Lost => Color::Red,
        ExecutionStatus::Timeout | ExecutionStatus::Killed | ExecutionStatus::Skipped => {
            Color::Yellow
        }
        ExecutionStatus::Running => Color::Cyan,
    }
}

fn status_cell(status: ExecutionStatus) -> Cell<'static> {
    Cell::from(status.as_str()).style(Style::new().fg(status_color(status)))
}

/// `3s`, `4m05s`, `2h10m`, `3d4h`.
pub fn compact_duration(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m{:02}s", s / 60, s % 60),
        3600..86_400 => format!("{}h{:02}m", s / 3600, s % 3600 / 60),
        _ => format!("{}d{}h", s / 86_400, s % 86_400 / 3600),
    }
}

fn render_jobs(state: &State, area: Rect, buf: &mut Buffer) {
    let page = usize::from(area.height.saturating_sub(3));
    let len = state.job_view.len();
    let cursor = state.cursors[Tab::Jobs.index()];
    let offset = visible_offset(cursor, len, page);
    let now = state.now_ms;
    let rows: Vec<Row> = state.job_view[offset..(offset + page).min(len)]
        .iter()
        .filter_map(|name| state.jobs.get(name))
        .map(|entry| {
            let job = &entry.job;
            let running = state.running_count(&job.name);
            let status = if running > 0 {
                Cell::from(format!("running ×{running}")).style(Style::new().fg(Color::Cyan))
            } else if job.disabled {
                Cell::from("disabled").style(Style::new().fg(Color::DarkGray))
            } else {
                Cell::from("enabled")
            };
            let next = match entry.next_fire(now) {
                Some(t) if t - now < 86_400_000 => {
                    format!("{} in {}", state.zone.time(t), compact_duration(t - now))
                }
                Some(t) => format!(
                    "{} in {}",
                    state.zone.datetime(t),
                    compact_duration(t - now)
                ),
                None => "-".to_owned(),
            };
            let runs = state.runs.get(&job.name);
            let last = match runs.and_then(|r| r.last_status.map(|s| (s, r.last_end_ms))) {
                Some((s, end)) => Cell::from(format!(
                    "{} {} ago",
                    s.as_str(),
                    compact_duration(now - end)
                ))
                .style(Style::new().fg(status_color(s))),
                None => Cell::from("-"),
            };
            let rate = match runs {
                Some(r) if r.finished > 0 => format!(
                    "{:.0}% of {}",
                    r.success as f64 * 100.0 / r.finished as f64,
                    r.finished
                ),
                _ => "-".to_owned(),
            };
            Row::new(vec![
                Cell::from(job.name.as_str()),
                Cell::from(crate::printer::truncate(&job.cron_expr, CRON_WIDTH)),
                status,
                Cell::from(next),
                last,
                Cell::from(rate),
            ])
        })
        .collect();
    draw_table(
        rows,
        &[
            "NAME",
            "CRON",
            "STATUS",
            "NEXT FIRE",
            "LAST RESULT",
            "OK (RECENT)",
        ],
        &[
            Constraint::Min(12),
            Constraint::Length(CRON_WIDTH as u16),
            Constraint::Length(10),
            Constraint::Length(19),
            Constraint::Length(17),
            Constraint::Length(11),
        ],
        table_block(state, Tab::Jobs, len, state.jobs.len()),
        (len > 0).then(|| cursor.selected.min(len - 1) - offset),
        area,
        buf,
    );
}

/// First line of what a run printed, or why it failed.
fn output_summary(r: &ExecutionRecord) -> String {
    let text = [&r.output, &r.stderr, &r.error]
        .into_iter()
        .find(|s| !s.trim().is_empty())
        .map_or("", |s| s.trim());
    crate::printer::truncate(text.lines().next().unwrap_or(""), 80)
}

fn render_executions(state: &State, area: Rect, buf: &mut Buffer) {
    let page = usize::from(area.height.saturating_sub(3));
    let filtered = !state.filter(Tab::Executions).is_empty();
    let view = if filtered {
        state.execution_view()
    } else {
        Vec::new()
    };
    let len = if filtered {
        view.len()
    } else {
        state.executions.len()
    };
    let cursor = state.cursors[Tab::Executions.index()];
    let offset = visible_offset(cursor, len, page);
    let now = state.now_ms;
    let rows: Vec<Row> = (offset..(offset + page).min(len))
        .filter_map(|i| state.executions.get(if filtered { view[i] } else { i }))
        .map(|r| {
            let duration = if r.status == ExecutionStatus::Running {
                compact_duration(now - r.start_time_ms)
            } else {
                format_ms(r.duration_ms())
            };
            let exit = if r.status == ExecutionStatus::Running {
                String::new()
            } else {
                r.exit_code.to_string()
            };
            Row::new(vec![
                Cell::from(state.zone.datetime(r.start_time_ms)),
                Cell::from(r.job_name.as_str()),
                status_cell(r.status),
                Cell::from(exit),
                Cell::from(duration),
                Cell::from(r.trigger.as_str()),
                Cell::from(worker_name(r)),
                Cell::from(output_summary(r)),
            ])
        })
        .collect();
    draw_table(
        rows,
        &[
            "STARTED", "JOB", "STATUS", "EXIT", "DURATION", "TRIGGER", "WORKER", "OUTPUT",
        ],
        &[
            Constraint::Length(19),
            Constraint::Min(10),
            Constraint::Length(7),
            Constraint::Length(4),
            Constraint::Length(8),
            Constraint::Length(8),
            Constraint::Length(12),
            Constraint::Fill(1),
        ],
        table_block(state, Tab::Executions, len, state.executions.len()),
        (len > 0).then(|| cursor.selected.min(len - 1) - offset),
        area,
        buf,
    );
}

/// The last `width` samples as block characters scaled to `max`. Zero is the lowest bar
/// rather than a blank, so an idle worker's history still shows.
pub fn text_sparkline(
    samples: impl DoubleEndedIterator<Item = u64>,
    max: u64,
    width: usize,
) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = max.max(1);
    let mut bars: Vec<char> = samples
        .rev()
        .take(width)
        .map(|v| {
            let level = (v.min(max) * 7).div_ceil(max);
            BARS[usize::try_from(level).unwrap_or(7).min(7)]
        })
        .collect();
    bars.reverse();
    bars.into_iter().collect()
}

fn render_workers(state: &State, area: Rect, buf: &mut Buffer) {
    let page = usize::from(area.height.saturating_sub(3));
    let view = state.worker_view();
    let len = view.len();
    let cursor = state.cursors[Tab::Workers.index()];
    let offset = visible_offset(cursor, len, page);
    let now = state.now_ms;
    let rows: Vec<Row> = view[offset..(offset + page).min(len)]
        .iter()
        .map(|w: &&WorkerEntry| {
            let i = &w.info;
            let online = if w.online {
                Cell::from("online").style(Style::new().fg(Color::Green))
            } else {
                Cell::from("offline").style(Style::new().fg(Color::Red))
            };
            let seen = if i.last_seen == 0 {
                "-".to_owned()
            } else {
                format!("{} ago", compact_duration(now - i.last_seen))
            };
            Row::new(vec![
                Cell::from(i.worker_id.as_str()),
                Cell::from(i.hostname.as_str()),
                Cell::from(i.ip.as_str()),
                online,
                Cell::from(format!("{}/{}", i.running, i.capacity)),
                Cell::from(format!("{:.1}%", i.cpu_usage)),
                Cell::from(format!("{:.1}%", i.mem_usage)),
                Cell::from(seen),
                Cell::from(text_sparkline(
                    w.running.iter().copied(),
                    u64::from(i.capacity),
                    SPARK_WIDTH,
                ))
                .style(Style::new().fg(Color::Cyan)),
            ])
        })
        .collect();
    draw_table(
        rows,
        &[
            "ID",
            "HOSTNAME",
            "IP",
            "STATUS",
            "RUNNING",
            "CPU",
            "MEM",
            "LAST SEEN",
            "RUNNING HISTORY",
        ],
        &[
            Constraint::Fill(1),
            Constraint::Fill(1),
            Constraint::Length(15),
            Constraint::Length(7),
            Constraint::Length(7),
            Constraint::Length(6),
            Constraint::Length(6),
            Constraint::Length(9),
            Constraint::Length(SPARK_WIDTH as u16),
        ],
        table_block(state, Tab::Workers, len, state.workers.len()),
        (len > 0).then(|| cursor.selected.min(len - 1) - offset),
        area,
        buf,
    );
}

/// CPU and running history of the selected worker, as sparklines.
fn render_worker_panel(state: &State, area: Rect, buf: &mut Buffer) {
    let Some(w) = state.selected_worker() else {
        return;
    };
    let [cpu_area, run_area] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area);
    let block = |title: String| {
        Block::new()
            .borders(Borders::ALL)
            .border_style(Style::new().fg(Color::DarkGray))
            .title(title)
    };
    let tail = |h: &std::collections::VecDeque<u64>, width: u16| -> Vec<u64> {
        let width = usize::from(width.saturating_sub(2));
        h.iter()
            .skip(h.len().saturating_sub(width))
            .copied()
            .collect()
    };
    Sparkline::default()
        .block(block(format!(
            " CPU % of {} (now {:.1}%) ",
            w.info.worker_id, w.info.cpu_usage
        )))
        .data(tail(&w.cpu, cpu_area.width))
        .max(100)
        .style(Style::new().fg(Color::Green))
        .render(cpu_area, buf);
    Sparkline::default()
        .block(block(format!(
            " running of {} (now {}/{}) ",
            w.info.worker_id, w.info.running, w.info.capacity
        )))
        .data(tail(&w.running, run_area.width))
        .max(u64::from(w.info.capacity.max(1)))
        .style(Style::new().fg(Color::Cyan))
        .render(run_area, buf);
}

fn render_status(state: &State, area: Rect, buf: &mut Buffer) {
    let line = if state.editing_filter {
        Line::from(vec![
            Span::styled(" filter: ", Style::new().bold()),
            Span::raw(state.filter(state.tab).to_owned()),
            Span::styled("█", Style::new().fg(Color::Gray)),
            Span::styled(
                "   Enter keep · Esc clear",
                Style::new().fg(Color::DarkGray),
            ),
        ])
    } else if let Some((text, kind, _)) = &state.status {
        let color = match kind {
            StatusKind::Info => Color::Green,
            StatusKind::Error => Color::Red,
        };
        Line::from(Span::styled(format!(" {text}"), Style::new().fg(color)))
    } else {
        Line::from(Span::styled(
            " ? help  q quit  Tab/1-3 tabs  / filter  Enter details  e enable  d disable  r run  x kill",
            Style::new().fg(Color::DarkGray),
        ))
    };
    line.render(area, buf);
}

/// A centred rectangle of at most `width` x `height` inside `area`, cleared.
fn popup(area: Rect, width: u16, height: u16, buf: &mut Buffer) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    let rect = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    );
    Clear.render(rect, buf);
    rect
}

fn popup_block(title: String) -> Block<'static> {
    Block::new()
        .borders(Borders::ALL)
        .border_style(Style::new().fg(Color::Cyan))
        .title(Span::styled(title, Style::new().bold()))
}

const HELP: &[(&str, &str)] = &[
    ("Tab / Shift-Tab, 1 2 3", "switch tab"),
    ("j k ↑ ↓", "move"),
    ("PgUp PgDn Home End", "move by page, to the ends"),
    ("/", "filter the table (Enter keeps, Esc clears)"),
    ("Enter", "details: a job's recent runs, a run's output"),
    ("e / d", "enable / disable the job"),
    ("r", "run the job now"),
    ("x", "kill the job's running executions (asks y/n)"),
    ("Esc", "close a pane, clear the filter"),
    ("?", "this help"),
    ("q, Ctrl-C", "quit"),
];

fn render_help(area: Rect, buf: &mut Buffer) {
    let rect = popup(area, 80, u16::try_from(HELP.len()).unwrap_or(20) + 5, buf);
    let mut lines: Vec<Line> = HELP
        .iter()
        .map(|(keys, what)| {
            Line::from(vec![
                Span::styled(format!(" {keys:<24}"), Style::new().fg(Color::Cyan)),
                Span::raw(*what),
            ])
        })
        .collect();
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        " Success rates count the runs seen since the last resync (recent).",
        Style::new().fg(Color::DarkGray),
    ));
    Paragraph::new(lines)
        .block(popup_block(" keys (Esc closes) ".to_owned()))
        .render(rect, buf);
}

fn render_confirm(job: &str, area: Rect, buf: &mut Buffer) {
    let rect = popup(area, 60, 5, buf);
    Paragraph::new(vec![
        Line::raw(format!(" Kill the running executions of {job:?}?")),
        Line::from(vec![
            Span::raw(" "),
            Span::styled("y", Style::new().bold().fg(Color::Red)),
            Span::raw(" kill   "),
            Span::styled("n", Style::new().bold()),
            Span::raw(" / Esc cancel"),
        ]),
    ])
    .block(popup_block(" confirm ".to_owned()))
    .wrap(Wrap { trim: false })
    .render(rect, buf);
}

/// Field lines and the output of a run.
fn run_text(state: &State, r: &ExecutionRecord) -> Text<'static> {
    let field = |k: &str, v: String| {
        Line::from(vec![
            Span::styled(format!(" {k:<10}"), Style::new().fg(Color::Gray)),
            Span::raw(v),
        ])
    };
    let mut lines = vec![
        field("Execution", r.execution_id.clone()),
        Line::from(vec![
            Span::styled(format!(" {:<10}", "Status"), Style::new().fg(Color::Gray)),
            Span::styled(
                r.status.as_str().to_owned(),
                Style::new().fg(status_color(r.status)).bold(),
            ),
            Span::raw(if r.status == ExecutionStatus::Running {
                String::new()
            } else {
                format!("  exit {}  in {}", r.exit_code, format_ms(r.duration_ms()))
            }),
        ]),
        field("Command", r.command.clone()),
        field(
            "Trigger",
            format!("{} (attempt {})", r.trigger.as_str(), r.attempt),
        ),
        field("Worker", worker_described(r)),
        field(
            "Started",
            format!(
                "{}  ended {}",
                state.zone.datetime(r.start_time_ms),
                state.zone.datetime(r.end_time_ms)
            ),
        ),
    ];
    if !r.error.is_empty() {
        lines.push(Line::styled(
            format!(" Error     {}", r.error),
            Style::new().fg(Color::Red),
        ));
    }
    lines.push(Line::styled(
        " ── stdout ──",
        Style::new().fg(Color::DarkGray),
    ));
    lines.extend(r.output.lines().map(|l| Line::raw(format!(" {l}"))));
    if !r.stderr.is_empty() {
        lines.push(Line::styled(
            " ── stderr ──",
            Style::new().fg(Color::DarkGray),
        ));
        lines.extend(
            r.stderr
                .lines()
                .map(|l| Line::styled(format!(" {l}"), Style::new().fg(Color::Yellow))),
        );
    }
    if r.output_truncated {
        lines.push(Line::styled(
            " (output truncated by the worker)",
            Style::new().fg(Color::DarkGray),
        ));
    }
    Text::from(lines)
}

fn render_detail(state: &State, detail: &Detail, area: Rect, buf: &mut Buffer) {
    let rect = popup(
        area,
        area.width.saturating_sub(6).max(MIN_WIDTH - 4),
        area.height.saturating_sub(4),
        buf,
    );
    match detail {
        Detail::Run { record, scroll } => {
            Paragraph::new(run_text(state, record))
                .block(popup_block(format!(
                    " run of {} (j/k scroll, Esc closes) ",
                    record.job_name
                )))
                .scroll((*scroll, 0))
                .render(rect, buf);
        }
        Detail::Worker { id } => {
            let text = match state.workers.get(id) {
                None => Text::raw(" the worker is gone"),
                Some(w) => {
                    let i = &w.info;
                    let labels = i
                        .labels
                        .iter()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    Text::from(
                        [
                            ("Id", i.worker_id.clone()),
                            ("Hostname", i.hostname.clone()),
                            ("IP", i.ip.clone()),
                            ("Address", i.address.clone()),
                            ("Status", if w.online { "online" } else { "offline" }.into()),
                            ("Running", format!("{}/{}", i.running, i.capacity)),
                            ("CPU", format!("{:.1}%", i.cpu_usage)),
                            ("Memory", format!("{:.1}%", i.mem_usage)),
                            ("Last seen", state.zone.datetime(i.last_seen)),
                            ("Version", i.version.clone()),
                            ("Labels", labels),
                        ]
                        .into_iter()
                        .map(|(k, v)| Line::raw(format!(" {k:<10} {v}")))
                        .collect::<Vec<_>>(),
                    )
                }
            };
            Paragraph::new(text)
                .block(popup_block(format!(" worker {id} (Esc closes) ")))
                .render(rect, buf);
        }
        Detail::Job {
            name,
            loading,
            error,
            runs,
            stats,
            selected,
            scroll,
        } => render_job_detail(
            state,
            JobDetail {
                name,
                loading: *loading,
                error: error.as_deref(),
                runs,
                stats: stats.as_ref(),
                selected: *selected,
                scroll: *scroll,
            },
            rect,
            buf,
        ),
    }
}

struct JobDetail<'a> {
    name: &'a str,
    loading: bool,
    error: Option<&'a str>,
    runs: &'a [ExecutionRecord],
    stats: Option<&'a schedd_proto::v1::LogStats>,
    selected: usize,
    scroll: u16,
}

fn render_job_detail(state: &State, d: JobDetail<'_>, rect: Rect, buf: &mut Buffer) {
    let block = popup_block(format!(
        " job {} (j/k pick a run, PgUp/PgDn scroll its output, Esc closes) ",
        d.name
    ));
    let inner = block.inner(rect);
    block.render(rect, buf);
    let runs_height = u16::try_from(d.runs.len().min(10)).unwrap_or(10).max(1) + 1;
    let [summary, runs_area, output] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Length(runs_height),
        Constraint::Fill(1),
    ])
    .areas(inner);

    let job = state.jobs.get(d.name).map(|e| &e.job);
    let mut lines = vec![Line::raw(match job {
        Some(j) => format!(
            " {}  ·  {}  ·  {}",
            j.cron_expr,
            if j.disabled { "disabled" } else { "enabled" },
            j.command
        ),
        None => " (the job no longer exists)".to_owned(),
    })];
    lines.push(if d.loading {
        Line::styled(" loading…", Style::new().fg(Color::DarkGray))
    } else if let Some(e) = d.error {
        Line::styled(format!(" {e}"), Style::new().fg(Color::Red))
    } else if let Some(s) = d.stats {
        Line::raw(format!(
            " last {} days: {} runs, {} success, {} failed, {} timeout, {} killed · {:.1}% ok · avg {}",
            s.days,
            s.total,
            s.success,
            s.failed,
            s.timeout,
            s.killed,
            s.success_rate * 100.0,
            format_ms(s.avg_duration_ms.round() as i64),
        ))
    } else {
        Line::raw(" no stats")
    });
    Paragraph::new(lines).render(summary, buf);

    let page = usize::from(runs_area.height.saturating_sub(1));
    let selected = d.selected.min(d.runs.len().saturating_sub(1));
    let offset = visible_offset(
        super::state::Cursor {
            selected,
            offset: 0,
        },
        d.runs.len(),
        page,
    );
    let rows: Vec<Row> = d
        .runs
        .iter()
        .skip(offset)
        .take(page)
        .map(|r| {
            Row::new(vec![
                Cell::from(state.zone.datetime(r.start_time_ms)),
                status_cell(r.status),
                Cell::from(r.exit_code.to_string()),
                Cell::from(format_ms(r.duration_ms())),
                Cell::from(r.trigger.as_str()),
                Cell::from(output_summary(r)),
            ])
        })
        .collect();
    let empty = rows.is_empty();
    let table = Table::new(
        rows,
        [
            Constraint::Length(19),
            Constraint::Length(7),
            Constraint::Length(4),
            Constraint::Length(8),
            Constraint::Length(8),
            Constraint::Fill(1),
        ],
    )
    .header(
        Row::new(["STARTED", "STATUS", "EXIT", "DURATION", "TRIGGER", "OUTPUT"])
            .style(Style::new().bold().fg(Color::Gray)),
    )
    .row_highlight_style(Style::new().reversed());
    let mut table_state = TableState::default().with_selected((!empty).then(|| selected - offset));
    StatefulWidget::render(table, runs_area, buf, &mut table_state);

    if let Some(r) = d.runs.get(selected) {
        Paragraph::new(run_text(state, r))
            .block(
                Block::new()
                    .borders(Borders::TOP)
                    .border_style(Style::new().fg(Color::DarkGray))
                    .title(" selected run "),
            )
            .scroll((d.scroll, 0))
            .render(output, buf);
    } else if !d.loading {
        Paragraph::new(" no runs recorded yet")
            .style(Style::new().add_modifier(Modifier::DIM))
            .render(output, buf);
    }
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::crossterm::event::KeyCode;
    use schedd_proto::v1 as pb;

    use super::*;
    use crate::dashboard::state::tests::{NOW, ch, key, record, sample_state};

    fn screen(state: &State, width: u16, height: u16) -> Terminal<TestBackend> {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
        terminal
            .draw(|frame| frame.render_widget(state, frame.area()))
            .expect("draws");
        terminal
    }

    #[test]
    fn jobs_tab() {
        let mut state = sample_state();
        state.on_event(pb::event::Event::Execution(pb::ExecutionEvent {
            kind: pb::execution_event::Kind::Started as i32,
            record: Some(record(
                "01a-0006",
                "report",
                pb::ExecutionStatus::Running,
                NOW - 500,
            )),
        }));
        insta::assert_snapshot!(screen(&state, 100, 30).backend());
    }

    #[test]
    fn executions_tab() {
        let mut state = sample_state();
        state.on_event(pb::event::Event::Execution(pb::ExecutionEvent {
            kind: pb::execution_event::Kind::Started as i32,
            record: Some(record(
                "01a-0006",
                "report",
                pb::ExecutionStatus::Running,
                NOW - 500,
            )),
        }));
        state.on_key(ch('2'));
        state.on_key(ch('j'));
        insta::assert_snapshot!(screen(&state, 100, 30).backend());
    }

    #[test]
    fn workers_tab() {
        let mut state = sample_state();
        for (running, cpu) in [(4, 30.0), (9, 55.0), (16, 97.0), (3, 20.0)] {
            state.on_event(pb::event::Event::Worker(pb::WorkerEvent {
                kind: pb::worker_event::Kind::Updated as i32,
                worker: Some(crate::dashboard::state::tests::worker(
                    "vm-a", true, running, cpu,
                )),
            }));
        }
        state.on_key(ch('3'));
        insta::assert_snapshot!(screen(&state, 100, 30).backend());
    }

    #[test]
    fn filtered_jobs_while_typing() {
        let mut state = sample_state();
        state.on_key(ch('/'));
        state.on_key(ch('e'));
        state.on_key(ch('p'));
        insta::assert_snapshot!(screen(&state, 100, 30).backend());
    }

    #[test]
    fn help_overlay() {
        let mut state = sample_state();
        state.on_key(ch('?'));
        insta::assert_snapshot!(screen(&state, 100, 30).backend());
    }

    #[test]
    fn kill_confirmation() {
        let mut state = sample_state();
        state.on_key(ch('x'));
        insta::assert_snapshot!(screen(&state, 100, 30).backend());
    }

    #[test]
    fn job_detail() {
        use pb::ExecutionStatus as S;
        let mut state = sample_state();
        state.on_key(key(KeyCode::Enter));
        let mut failed = record("01a-0003", "hello", S::Failed, NOW - 3_000);
        failed.stderr = "sh: 1: nope: not found\n".into();
        failed.error = "exit status 127".into();
        failed.exit_code = 127;
        state.job_detail_loaded(
            "hello",
            Ok((
                vec![
                    record("01a-0005", "hello", S::Success, NOW - 1_000),
                    failed,
                    record("01a-0002", "hello", S::Success, NOW - 4_000),
                ],
                Some(pb::LogStats {
                    job_name: "hello".into(),
                    days: 7,
                    total: 3,
                    success: 2,
                    failed: 1,
                    success_rate: 2.0 / 3.0,
                    avg_duration_ms: 12.0,
                    ..Default::default()
                }),
            )),
        );
        state.on_key(ch('j'));
        insta::assert_snapshot!(screen(&state, 100, 30).backend());
    }

    #[test]
    fn run_detail() {
        let mut state = sample_state();
        state.on_key(ch('2'));
        state.on_key(key(KeyCode::Enter));
        insta::assert_snapshot!(screen(&state, 100, 30).backend());
    }

    #[test]
    fn disconnected_banner() {
        let mut state = sample_state();
        state.disconnected("connection refused", 2000);
        insta::assert_snapshot!(screen(&state, 100, 30).backend());
    }

    #[test]
    fn action_result_in_the_status_line() {
        let mut state = sample_state();
        state.action_done(Ok("job \"hello\" disabled".into()));
        insta::assert_snapshot!(screen(&state, 100, 12).backend());
    }

    #[test]
    fn too_small_terminal() {
        let state = sample_state();
        insta::assert_snapshot!(screen(&state, 40, 8).backend());
        // Degenerate sizes draw without panicking.
        for (w, h) in [
            (0, 0),
            (1, 1),
            (MIN_WIDTH, 1),
            (1, MIN_HEIGHT),
            (MIN_WIDTH, MIN_HEIGHT),
        ] {
            let mut state = sample_state();
            state.size = (w, h);
            for c in ['?', 'x'] {
                state.on_key(ch(c));
                screen(&state, w, h);
                state.on_key(key(KeyCode::Esc));
            }
            state.on_key(key(KeyCode::Enter));
            screen(&state, w, h);
        }
    }

    #[test]
    fn sparklines_scale_to_their_maximum() {
        assert_eq!(text_sparkline([0, 8, 4, 16].into_iter(), 16, 10), "▁▅▃█");
        assert_eq!(text_sparkline([1, 2, 3].into_iter(), 0, 2), "██");
        assert_eq!(text_sparkline(std::iter::empty(), 5, 3), "");
    }

    #[test]
    fn durations_are_compact() {
        assert_eq!(compact_duration(999), "0s");
        assert_eq!(compact_duration(61_000), "1m01s");
        assert_eq!(compact_duration(7_260_000), "2h01m");
        assert_eq!(compact_duration(90_000_000), "1d1h");
    }
}
