//! Drawing: `impl Widget for &State`. Every frame is laid out from the area it is given, so
//! a resize needs nothing special, and only the rows on screen are built, so 10,000 jobs
//! cost what 30 do (but for a scan of their names and cron expressions, which stops at the
//! column's cap). Nothing here reads the clock: "now" is `State::now_ms`.
//!
//! Table columns are as wide as their content, as in k9s, within caps; the last column
//! (COMMAND, OUTPUT) takes what is left and ends with `…` when cut. On a narrow screen that
//! column shrinks first, then details leave, then names shrink, then lesser columns leave:
//! see [`fit_columns`]. Text from the cluster is drawn on one line, made safe by `safe_chars`.

use std::borrow::Cow;

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
use crate::printer::{delivery_line, opens_tick, worker_described, worker_name};

/// Below this the dashboard shows a message instead of a squeezed table.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 12;
/// Caps on the columns sized to their content: a longer value ends with `…` (the detail
/// pane shows it whole). Worker ids and hostnames share NAME's.
const NAME_MAX: usize = 32;
const CRON_MAX: usize = 24;
/// The WORKER column of a job's runs, shown when a tick has several.
const WORKER_MAX: usize = 16;
/// What NAME and CRON shrink to on a narrow screen before STATUS or CRON leave.
const NAME_FLOOR: u16 = 20;
const CRON_FLOOR: u16 = 16;
/// The least the last column (COMMAND, OUTPUT) keeps before other columns leave, when its
/// values are that long.
const REST_MIN: usize = 12;
/// For the columns whose values we format ourselves.
const NO_CAP: usize = usize::MAX;
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

/// The text of a cell and its style, before it is fitted to its column.
type CellText<'a> = (Cow<'a, str>, Style);

fn plain<'a>(text: impl Into<Cow<'a, str>>) -> CellText<'a> {
    (text.into(), Style::new())
}

/// The values of column `i` of `rows`.
fn values<'a, const N: usize>(
    rows: &'a [[CellText<'_>; N]],
    i: usize,
) -> impl Iterator<Item = &'a str> {
    rows.iter()
        .filter_map(move |r| r.get(i))
        .map(|c| c.0.as_ref())
}

/// When a column leaves a screen too narrow for all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Leave {
    Never,
    /// A detail: leaves (lowest first) before any column shrinks.
    Early(u8),
    /// Leaves (lowest first) only once the columns that shrink are at their floor.
    Late(u8),
}

/// A column as wide as its content, as in k9s, rather than a share of the screen: a share
/// gave NAME half of a wide terminal while the command was not shown at all.
#[derive(Debug, Clone, Copy)]
struct Column {
    header: &'static str,
    /// The width of its widest value or of its header, whichever is wider, within a cap.
    want: u16,
    /// What it may shrink to (its values then end with `…`) before `Late` columns leave.
    floor: u16,
    /// Takes the width the other columns leave; `want` is then the least it keeps.
    rest: bool,
    leave: Leave,
}

impl Column {
    /// As wide as the widest of `values` (counted up to `cap`) and `header`.
    fn sized<'a>(
        header: &'static str,
        values: impl IntoIterator<Item = &'a str>,
        cap: usize,
    ) -> Column {
        let widest = values
            .into_iter()
            .map(|v| display_width(v, cap))
            .fold(header.len(), usize::max);
        let want = u16::try_from(widest).unwrap_or(u16::MAX);
        Column {
            header,
            want,
            floor: want,
            rest: false,
            leave: Leave::Never,
        }
    }

    fn shrinks_to(mut self, floor: u16) -> Column {
        self.floor = floor.min(self.want);
        self
    }

    fn rest(mut self) -> Column {
        self.rest = true;
        self
    }

    fn leaves(mut self, leave: Leave) -> Column {
        self.leave = leave;
        self
    }
}

/// Cells between two columns (ratatui's default).
const SPACING: u32 = 1;

/// The width of each column on a line of `width` cells; `None` for those left out. Until
/// they fit: the rest column gives up what it has beyond its `want` (it shrinks first),
/// `Early` columns leave, the columns with a floor shrink towards it (widest first), and
/// `Late` columns leave. Narrower still, the widest columns shrink below their floor.
fn fit_columns(columns: &[Column], width: u16) -> Vec<Option<u16>> {
    let width = u32::from(width);
    let total = |shown: &[bool], size: fn(&Column) -> u16| -> u32 {
        let (n, sum) = columns
            .iter()
            .zip(shown)
            .filter(|(_, shown)| **shown)
            .fold((0, 0), |(n, sum), (c, _)| (n + 1, sum + u32::from(size(c))));
        sum + SPACING * u32::saturating_sub(n, 1)
    };
    let mut ladder: Vec<usize> = (0..columns.len())
        .filter(|&i| columns[i].leave != Leave::Never)
        .collect();
    ladder.sort_by_key(|&i| columns[i].leave);
    let mut ladder = ladder.into_iter().peekable();
    let mut shown = vec![true; columns.len()];
    loop {
        let wants = total(&shown, |c| c.want);
        if wants <= width {
            let spare = u16::try_from(width - wants).unwrap_or(0);
            return columns
                .iter()
                .zip(&shown)
                .map(|(c, &s)| s.then_some(if c.rest { c.want + spare } else { c.want }))
                .collect();
        }
        match ladder.peek() {
            Some(&i)
                if matches!(columns[i].leave, Leave::Early(_))
                    || total(&shown, |c| c.floor) > width =>
            {
                shown[i] = false;
                ladder.next();
            }
            _ => return shrink(columns, &shown, wants - width),
        }
    }
}

/// The shown `columns` at their `want`, less `over` cells taken one at a time from the
/// widest column above its floor, then (when that is not enough) from the widest of all.
fn shrink(columns: &[Column], shown: &[bool], mut over: u32) -> Vec<Option<u16>> {
    let mut widths: Vec<Option<u16>> = columns
        .iter()
        .zip(shown)
        .map(|(c, &s)| s.then_some(c.want))
        .collect();
    while over > 0 {
        let widest = |least: &dyn Fn(usize) -> u16| {
            widths
                .iter()
                .enumerate()
                .filter_map(|(i, w)| w.filter(|&w| w > least(i)).map(|w| (w, i)))
                .max()
        };
        let Some((w, i)) = widest(&|i| columns[i].floor).or_else(|| widest(&|_| 1)) else {
            break;
        };
        widths[i] = Some(w - 1);
        over -= 1;
    }
    widths
}

/// `s` as one line that is safe to draw. ratatui drops control characters, so `a\nb` would
/// show as `ab`: a line break shows as `↵` (a CRLF as one), a tab as a space, and other
/// control characters and the bidi controls (which would reorder the text after them) as
/// `�`. Surrounding whitespace goes, such as the last newline of a YAML block.
fn safe_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    let mut chars = s.trim().chars().peekable();
    std::iter::from_fn(move || {
        let c = chars.next()?;
        Some(match c {
            '\r' => {
                chars.next_if_eq(&'\n');
                '↵'
            }
            '\n' => '↵',
            '\t' => ' ',
            '\u{61c}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}' => '\u{fffd}',
            c if c.is_control() => '\u{fffd}',
            c => c,
        })
    })
}

/// Cells `c` takes (`safe_chars` leave no control characters, which have no width).
fn char_width(c: char) -> usize {
    if c.is_ascii() {
        1
    } else {
        Span::raw(&*c.encode_utf8(&mut [0; 4])).width()
    }
}

/// Cells `s` takes once made safe, counted up to `cap`.
fn display_width(s: &str, cap: usize) -> usize {
    let s = s.trim();
    // Printable ASCII (job names always are) is counted without decoding: the NAME and CRON
    // columns look at every job on every frame.
    let head = &s.as_bytes()[..s.len().min(cap.saturating_add(1))];
    if head.iter().all(|b| matches!(b, b' '..=b'~')) {
        return head.len().min(cap);
    }
    let mut width = 0;
    for c in safe_chars(s) {
        width += char_width(c);
        if width >= cap {
            return cap;
        }
    }
    width
}

/// `s` made safe and cut to `width` cells, ending with `…` when something was cut.
fn fit(s: &str, width: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    // Where to cut to leave a cell for the `…`.
    let mut cut = 0;
    for c in safe_chars(s) {
        let w = char_width(c);
        if used + w > width {
            out.truncate(cut);
            if width > 0 {
                out.push('…');
            }
            return out;
        }
        out.push(c);
        used += w;
        if used < width {
            cut = out.len();
        }
    }
    out
}

/// Draws `rows` (already only the visible ones) in the `columns` that fit `area`, each
/// value fitted to its column, with the selection at `selected` of them.
fn draw_table<const N: usize>(
    columns: &[Column; N],
    rows: Vec<[CellText<'_>; N]>,
    block: Block<'_>,
    selected: Option<usize>,
    area: Rect,
    buf: &mut Buffer,
) {
    let widths = fit_columns(columns, block.inner(area).width);
    let cells = |texts: [CellText<'_>; N]| -> Vec<Cell<'static>> {
        texts
            .into_iter()
            .zip(&widths)
            .filter_map(|((text, style), w)| {
                w.map(|w| Cell::from(fit(&text, usize::from(w))).style(style))
            })
            .collect()
    };
    let header = cells(columns.map(|c| plain(c.header)));
    let table = Table::new(
        rows.into_iter().map(|r| Row::new(cells(r))),
        widths.iter().flatten().map(|&w| Constraint::Length(w)),
    )
    .header(Row::new(header).style(Style::new().bold().fg(Color::Gray)))
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

fn status_text(status: ExecutionStatus) -> CellText<'static> {
    (
        status.as_str().into(),
        Style::new().fg(status_color(status)),
    )
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
    let rows: Vec<[CellText; 7]> = state.job_view[offset..(offset + page).min(len)]
        .iter()
        .filter_map(|name| state.jobs.get(name))
        .map(|entry| {
            let job = &entry.job;
            let running = state.running_count(&job.name);
            let status = if running > 0 {
                (
                    format!("running ×{running}").into(),
                    Style::new().fg(Color::Cyan),
                )
            } else if job.disabled {
                ("disabled".into(), Style::new().fg(Color::DarkGray))
            } else {
                plain("enabled")
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
                Some((s, end)) => (
                    format!("{} {} ago", s.as_str(), compact_duration(now - end)).into(),
                    Style::new().fg(status_color(s)),
                ),
                None => plain("-"),
            };
            let rate = match runs {
                Some(r) if r.finished > 0 => format!(
                    "{:.0}% of {}",
                    r.success as f64 * 100.0 / r.finished as f64,
                    r.finished
                ),
                _ => "-".to_owned(),
            };
            [
                plain(job.name.as_str()),
                plain(job.cron_expr.as_str()),
                status,
                plain(next),
                last,
                plain(rate),
                plain(entry.what.as_str()),
            ]
        })
        .collect();
    // NAME and CRON are sized over every job, not only the rows on screen or those passing
    // the filter, so they keep still while scrolling and filtering. The scan reads the map
    // and stops at the cap: ~0.4 ms a frame for 10,000 jobs in a release build, where looking
    // up the filtered names instead took 2.8 ms.
    let jobs = || state.jobs.values().map(|e| &e.job);
    let columns = [
        Column::sized("NAME", jobs().map(|j| j.name.as_str()), NAME_MAX).shrinks_to(NAME_FLOOR),
        Column::sized("CRON", jobs().map(|j| j.cron_expr.as_str()), CRON_MAX)
            .shrinks_to(CRON_FLOOR)
            .leaves(Leave::Late(0)),
        Column::sized("STATUS", values(&rows, 2), NO_CAP).leaves(Leave::Late(1)),
        Column::sized("NEXT FIRE", values(&rows, 3), NO_CAP).leaves(Leave::Early(2)),
        Column::sized("LAST RESULT", values(&rows, 4), NO_CAP).leaves(Leave::Early(1)),
        Column::sized("OK (RECENT)", values(&rows, 5), NO_CAP).leaves(Leave::Early(0)),
        Column::sized("COMMAND", values(&rows, 6), REST_MIN).rest(),
    ];
    draw_table(
        &columns,
        rows,
        table_block(state, Tab::Jobs, len, state.jobs.len()),
        (len > 0).then(|| cursor.selected.min(len - 1) - offset),
        area,
        buf,
    );
}

/// First line of what a run printed, or why it failed.
fn output_summary(r: &ExecutionRecord) -> &str {
    [&r.output, &r.stderr, &r.error]
        .into_iter()
        .find(|s| !s.trim().is_empty())
        .map_or("", |s| s.trim())
        .lines()
        .next()
        .unwrap_or("")
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
    let rows: Vec<[CellText; 8]> = (offset..(offset + page).min(len))
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
            [
                plain(state.zone.datetime(r.start_time_ms)),
                plain(r.job_name.as_str()),
                status_text(r.status),
                plain(exit),
                plain(duration),
                plain(r.trigger.as_str()),
                plain(worker_name(r)),
                plain(output_summary(r)),
            ]
        })
        .collect();
    // As in the Jobs table, JOB and WORKER are sized over all the runs kept.
    let runs = || state.executions.iter();
    let columns = [
        Column::sized("STARTED", values(&rows, 0), NO_CAP),
        Column::sized("JOB", runs().map(|r| r.job_name.as_str()), NAME_MAX).shrinks_to(NAME_FLOOR),
        Column::sized("STATUS", values(&rows, 2), NO_CAP),
        Column::sized("EXIT", values(&rows, 3), NO_CAP).leaves(Leave::Early(3)),
        Column::sized("DURATION", values(&rows, 4), NO_CAP).leaves(Leave::Early(1)),
        Column::sized("TRIGGER", values(&rows, 5), NO_CAP).leaves(Leave::Early(0)),
        Column::sized("WORKER", runs().map(worker_name), NAME_MAX).leaves(Leave::Early(2)),
        Column::sized("OUTPUT", values(&rows, 7), REST_MIN).rest(),
    ];
    draw_table(
        &columns,
        rows,
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
    let rows: Vec<[CellText; 9]> = view[offset..(offset + page).min(len)]
        .iter()
        .map(|w: &&WorkerEntry| {
            let i = &w.info;
            let online = if w.online {
                ("online".into(), Style::new().fg(Color::Green))
            } else {
                ("offline".into(), Style::new().fg(Color::Red))
            };
            let seen = if i.last_seen == 0 {
                "-".to_owned()
            } else {
                format!("{} ago", compact_duration(now - i.last_seen))
            };
            [
                plain(i.worker_id.as_str()),
                plain(i.hostname.as_str()),
                plain(i.ip.as_str()),
                online,
                plain(format!("{}/{}", i.running, i.capacity)),
                plain(format!("{:.1}%", i.cpu_usage)),
                plain(format!("{:.1}%", i.mem_usage)),
                plain(seen),
                (
                    text_sparkline(
                        w.running.iter().copied(),
                        u64::from(i.capacity),
                        SPARK_WIDTH,
                    )
                    .into(),
                    Style::new().fg(Color::Cyan),
                ),
            ]
        })
        .collect();
    // As in the Jobs table, every worker sizes ID, HOSTNAME and IP. No column takes the rest:
    // what is left stays empty, as in k9s.
    let workers = || state.workers.values().map(|w| &w.info);
    let columns = [
        Column::sized("ID", workers().map(|w| w.worker_id.as_str()), NAME_MAX)
            .shrinks_to(NAME_FLOOR),
        Column::sized("HOSTNAME", workers().map(|w| w.hostname.as_str()), NAME_MAX)
            .shrinks_to(NAME_FLOOR)
            .leaves(Leave::Late(0)),
        Column::sized("IP", workers().map(|w| w.ip.as_str()), NO_CAP).leaves(Leave::Early(3)),
        Column::sized("STATUS", values(&rows, 3), NO_CAP),
        Column::sized("RUNNING", values(&rows, 4), NO_CAP),
        Column::sized("CPU", values(&rows, 5), NO_CAP).leaves(Leave::Early(2)),
        Column::sized("MEM", values(&rows, 6), NO_CAP).leaves(Leave::Early(1)),
        Column::sized("LAST SEEN", values(&rows, 7), NO_CAP).leaves(Leave::Early(4)),
        // The panel under the table draws this history larger when there is room.
        Column::sized("RUNNING HISTORY", values(&rows, 8), NO_CAP).leaves(Leave::Early(0)),
    ];
    draw_table(
        &columns,
        rows,
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
    ];
    if !r.parent_execution_id.is_empty() {
        // The run whose end started this one (trigger `dependency`).
        lines.push(field("Parent", r.parent_execution_id.clone()));
    }
    lines.extend([
        field("Worker", worker_described(r)),
        field(
            "Started",
            format!(
                "{}  ended {}",
                state.zone.datetime(r.start_time_ms),
                state.zone.datetime(r.end_time_ms)
            ),
        ),
    ]);
    if !r.error.is_empty() {
        lines.push(Line::styled(
            format!(" Error     {}", r.error),
            Style::new().fg(Color::Red),
        ));
    }
    // How each notice about the run went, as `log get` says it; one not delivered in red.
    for (i, d) in r.notifications.iter().enumerate() {
        let key = if i == 0 { "Notices" } else { "" };
        let text: String = safe_chars(&delivery_line(d)).collect();
        let style = if d.delivered {
            Style::new()
        } else {
            Style::new().fg(Color::Red)
        };
        lines.push(Line::from(vec![
            Span::styled(format!(" {key:<10}"), Style::new().fg(Color::Gray)),
            Span::styled(text, style),
        ]));
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

    let mut lines = vec![Line::raw(match state.jobs.get(d.name) {
        Some(e) => format!(
            " {}  ·  {}  ·  {}",
            e.job.cron_expr,
            if e.job.disabled {
                "disabled"
            } else {
                "enabled"
            },
            e.what
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
    // The runs of one tick are together (the state keeps them so); when a tick has several
    // (a broadcast job's, one per worker, or a run and its retries), a TICK column shows
    // each tick once and WORKER tells its runs apart. Otherwise the table stays as it was.
    let by_tick = (1..d.runs.len()).any(|i| !opens_tick(d.runs, i));
    let worker_width = d
        .runs
        .iter()
        .map(|r| display_width(worker_name(r), WORKER_MAX))
        .fold("WORKER".len(), usize::max);
    let rows: Vec<Row> = d
        .runs
        .iter()
        .enumerate()
        .skip(offset)
        .take(page)
        .map(|(i, r)| {
            let mut cells = Vec::with_capacity(8);
            if by_tick {
                // Also on the top row shown, so a scrolled table says which tick it is in.
                let first = i == offset || opens_tick(d.runs, i);
                cells.push(Cell::from(if first {
                    state.zone.datetime(r.plan_time_ms)
                } else {
                    String::new()
                }));
            }
            // Under its tick's date, a run's start needs only its time: the room goes to
            // WORKER.
            let started = if by_tick {
                state.zone.time(r.start_time_ms)
            } else {
                state.zone.datetime(r.start_time_ms)
            };
            cells.extend([
                Cell::from(started),
                status_cell(r.status),
                Cell::from(r.exit_code.to_string()),
                Cell::from(format_ms(r.duration_ms())),
                Cell::from(r.trigger.as_str()),
            ]);
            if by_tick {
                cells.push(Cell::from(fit(worker_name(r), worker_width)));
            }
            cells.push(Cell::from(fit(output_summary(r), 80)));
            Row::new(cells)
        })
        .collect();
    let empty = rows.is_empty();
    let mut widths = Vec::with_capacity(8);
    let mut header = Vec::with_capacity(8);
    if by_tick {
        widths.extend([Constraint::Length(19), Constraint::Length(8)]);
        header.push("TICK");
    } else {
        widths.push(Constraint::Length(19));
    }
    widths.extend([
        Constraint::Length(7),
        Constraint::Length(4),
        Constraint::Length(8),
        // The longest trigger, `dependency`.
        Constraint::Length(10),
    ]);
    header.extend(["STARTED", "STATUS", "EXIT", "DURATION", "TRIGGER"]);
    if by_tick {
        widths.push(Constraint::Length(
            u16::try_from(worker_width).unwrap_or(u16::MAX),
        ));
        header.push("WORKER");
    }
    widths.push(Constraint::Fill(1));
    header.push("OUTPUT");
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(Style::new().bold().fg(Color::Gray)))
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

    /// The sample jobs plus one with a long name and a long two-line command.
    fn state_with_a_long_job() -> State {
        let mut state = sample_state();
        let mut long = crate::dashboard::state::tests::job(
            "warehouse-nightly-reconciliation-and-export",
            "0 15 3 * * MON-FRI",
        );
        long.command = "cd /srv/etl\n/opt/etl/bin/reconcile \
                        --source postgres://warehouse.internal:5432/analytics \
                        --target s3://reports/nightly/\n"
            .into();
        state.on_event(pb::event::Event::Job(pb::JobEvent {
            kind: pb::job_event::Kind::Saved as i32,
            job: Some(long),
        }));
        state
    }

    #[test]
    fn jobs_tab_at_150_columns() {
        let mut state = state_with_a_long_job();
        state.size = (150, 12);
        insta::assert_snapshot!(screen(&state, 150, 12).backend());
    }

    #[test]
    fn jobs_tab_at_80_columns() {
        let mut state = state_with_a_long_job();
        state.size = (80, 12);
        insta::assert_snapshot!(screen(&state, 80, 12).backend());
    }

    /// An HTTP job shows its request, with the token in its URL hidden.
    #[test]
    fn jobs_tab_with_an_http_job() {
        let mut state = sample_state();
        state.on_event(pb::event::Event::Job(pb::JobEvent {
            kind: pb::job_event::Kind::Saved as i32,
            job: Some(crate::dashboard::state::tests::http_job("deploy-hook")),
        }));
        state.size = (150, 12);
        let terminal = screen(&state, 150, 12);
        let text = terminal.backend().to_string();
        assert!(!text.contains("s3cr3t"), "{text}");
        insta::assert_snapshot!(terminal.backend());
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
        // Started by the end of a run of another job: the longest trigger fits its column.
        let mut chained = record("01a-0002", "hello", S::Success, NOW - 4_000);
        chained.trigger = pb::Trigger::Dependency as i32;
        chained.parent_execution_id = "01a-0001".into();
        state.job_detail_loaded(
            "hello",
            Ok((
                vec![
                    record("01a-0005", "hello", S::Success, NOW - 1_000),
                    failed,
                    chained,
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

    /// A broadcast job's runs: each tick once in a TICK column, its runs told apart by
    /// WORKER, the selected run's output below.
    #[test]
    fn job_detail_of_a_broadcast_job() {
        use crate::dashboard::state::tests::tick_run;
        let mut state = sample_state();
        state.on_key(key(KeyCode::Enter));
        let (t1, t2) = (NOW - 60_000, NOW - 1_000);
        let mut failed = tick_run("01b-0006", "hello", "vm-b", t2, 40);
        failed.status = pb::ExecutionStatus::Failed as i32;
        failed.exit_code = 3;
        failed.output = "shard 1 of 3: disk full\n".into();
        let mut runs = vec![
            failed,
            tick_run("01b-0005", "hello", "vm-a", t2, 20),
            tick_run("01b-0004", "hello", "a-worker-with-a-long-name", t2, 10),
            tick_run("01b-0003", "hello", "vm-b", t1, 30),
            tick_run("01b-0002", "hello", "vm-a", t1, 20),
        ];
        for (shard, r) in runs.iter_mut().skip(1).enumerate() {
            r.output = format!("shard {} of 3\n", shard % 3);
        }
        state.job_detail_loaded("hello", Ok((runs, None)));
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

    /// A run started by the end of another shows its trigger and the run that started it,
    /// in the table and in its detail.
    #[test]
    fn run_detail_of_a_dependency_run() {
        let mut state = sample_state();
        let mut chained = record(
            "01a-0006",
            "report",
            pb::ExecutionStatus::Success,
            NOW - 500,
        );
        chained.trigger = pb::Trigger::Dependency as i32;
        chained.parent_execution_id = "01a-0005".into();
        state.on_event(pb::event::Event::Execution(pb::ExecutionEvent {
            kind: pb::execution_event::Kind::Finished as i32,
            record: Some(chained),
        }));
        state.on_key(ch('2'));
        let table = screen(&state, 100, 30).backend().to_string();
        assert!(table.contains(" dependency "), "{table}");
        state.on_key(key(KeyCode::Enter));
        let terminal = screen(&state, 100, 30);
        let text = terminal.backend().to_string();
        assert!(text.contains("Trigger   dependency (attempt 1)"), "{text}");
        assert!(text.contains("Parent    01a-0005"), "{text}");
        insta::assert_snapshot!(terminal.backend());
    }

    /// A failed run's detail lists the notices about it and how their delivery went.
    #[test]
    fn run_detail_with_notices() {
        let mut state = sample_state();
        let mut failed = record("01a-0006", "report", pb::ExecutionStatus::Failed, NOW - 500);
        failed.exit_code = 1;
        failed.error = "exit status 1".into();
        let delivery =
            |url: &str, delivered: bool, attempts: u32, status: u32, error: &str| pb::Delivery {
                event: "failure".into(),
                url: url.into(),
                delivered,
                attempts,
                status,
                error: error.into(),
                at: None,
            };
        failed.notifications = vec![
            delivery("https://hooks.example.com/h?token=***", true, 2, 200, ""),
            delivery(
                "http://10.0.0.9/alert",
                false,
                4,
                500,
                "server error\nretry later",
            ),
        ];
        state.on_event(pb::event::Event::Execution(pb::ExecutionEvent {
            kind: pb::execution_event::Kind::Finished as i32,
            record: Some(failed),
        }));
        state.on_key(ch('2'));
        state.on_key(key(KeyCode::Enter));
        let terminal = screen(&state, 120, 30);
        let text = terminal.backend().to_string();
        assert!(
            text.contains(
                " Notices   failure → https://hooks.example.com/h?token=*** delivered (2 attempts, HTTP 200)"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "           failure → http://10.0.0.9/alert not delivered (4 attempts, HTTP 500): server error retry later"
            ),
            "{text}"
        );
        insta::assert_snapshot!(terminal.backend());
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
    fn text_from_the_cluster_is_drawn_on_one_line_and_safely() {
        assert_eq!(
            fit("\n a\r\nb\tc\x1b[31md\u{202e}e\x7f\n", 40),
            "a↵b c�[31md�e�"
        );
        assert_eq!(fit("abcdef", 6), "abcdef");
        assert_eq!(fit("abcdef", 5), "abcd…");
        assert_eq!(fit("abcdef", 1), "…");
        assert_eq!(fit("abcdef", 0), "");
        // Wide characters take two cells and are never cut in half.
        assert_eq!(fit("wide 中文字", 8), "wide 中…");
        assert_eq!(fit("wide 中文字", 9), "wide 中…");
        assert_eq!(display_width("中文字", 10), 6);
        assert_eq!(display_width(" a\nb ", 10), 3);
        assert_eq!(display_width(&"x".repeat(100), NAME_MAX), NAME_MAX);
        assert_eq!(display_width(&"中".repeat(100), NAME_MAX), NAME_MAX);
    }

    #[test]
    fn narrow_screens_shrink_the_rest_then_drop_details_then_shrink_names() {
        let col = |want: u16| Column {
            header: "",
            want,
            floor: want,
            rest: false,
            leave: Leave::Never,
        };
        let columns = [
            col(30).shrinks_to(20),
            col(10).leaves(Leave::Late(0)),
            col(10).leaves(Leave::Early(1)),
            col(10).leaves(Leave::Early(0)),
            col(12).rest(),
        ];
        let fit = |width| fit_columns(&columns, width);
        // Room for all: the rest column takes what is left.
        assert_eq!(fit(100), [Some(30), Some(10), Some(10), Some(10), Some(36)]);
        assert_eq!(fit(76), [Some(30), Some(10), Some(10), Some(10), Some(12)]);
        // Then the details leave, lowest first, before the name shrinks.
        assert_eq!(fit(75), [Some(30), Some(10), Some(10), None, Some(22)]);
        assert_eq!(fit(54), [Some(30), Some(10), None, None, Some(12)]);
        // Then the name shrinks to its floor, and only then does a `Late` column leave.
        assert_eq!(fit(50), [Some(26), Some(10), None, None, Some(12)]);
        assert_eq!(fit(44), [Some(20), Some(10), None, None, Some(12)]);
        assert_eq!(fit(43), [Some(30), None, None, None, Some(12)]);
        // Narrower than the floors: the widest shrink further rather than spill over.
        assert_eq!(fit(20), [Some(10), None, None, None, Some(9)]);
        assert_eq!(fit(0), [Some(1), None, None, None, Some(1)]);
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
