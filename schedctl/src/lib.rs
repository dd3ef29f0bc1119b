//! `schedctl`, the command-line client of schedd: `schedctl [global flags] <noun> <verb>`.
//!
//! Each verb lives in its own file under [`job`], [`log`] and [`worker`] as a
//! `#[derive(Args)]` struct whose `///` doc is its help text and whose `run` converts the
//! arguments, calls the master over gRPC through [`client::Client`], and hands the answer to
//! the one [`printer::Printer`]. Errors travel up as `anyhow` and [`main_entry`] turns them
//! into a `schedctl: ...` line on stderr and an exit code from [`exit_codes`].

pub mod apply;
pub mod client;
pub mod config;
pub mod cron;
pub mod dashboard;
pub mod diff;
pub mod duration;
pub mod exit_codes;
pub mod generate;
pub mod job;
pub mod jobfile;
pub mod log;
pub mod printer;
pub mod version;
pub mod worker;

use std::time::Duration;

use clap::{Parser, Subcommand};

use crate::client::Client;
use crate::printer::{OutputFormat, Printer};

/// The master's gRPC address when neither `--endpoint` nor `SCHEDCTL_ENDPOINT` is given.
pub const DEFAULT_ENDPOINT: &str = "http://127.0.0.1:8070";

/// Heading of the flags every subcommand takes, kept apart from the verb's own in `--help`.
const GLOBAL: &str = "Global options";

/// Control a schedd cluster: save and run jobs, read execution logs, list workers.
#[derive(Debug, Parser)]
#[command(name = "schedctl", version)]
pub struct Cli {
    /// gRPC address of the schedd master (`http://host:port`; `host:port` means http).
    #[arg(
        long,
        global = true,
        value_name = "URL",
        help_heading = GLOBAL,
        env = "SCHEDCTL_ENDPOINT",
        default_value = DEFAULT_ENDPOINT,
        value_parser = client::parse_endpoint,
    )]
    pub endpoint: String,

    /// Output format: human-readable tables, or JSON with the old system's field names.
    #[arg(
        short,
        long = "output",
        global = true,
        help_heading = GLOBAL,
        value_enum,
        default_value_t = OutputFormat::Table
    )]
    pub output: OutputFormat,

    /// How long to wait for the master, per connection attempt and per call (e.g. 10s, 500ms).
    #[arg(
        long,
        global = true,
        value_name = "DURATION",
        help_heading = GLOBAL,
        default_value = "10s",
        value_parser = duration::parse_request_timeout,
    )]
    pub request_timeout: Duration,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create, inspect, run and remove jobs.
    #[command(subcommand)]
    Job(job::JobCommand),
    /// Read execution records and their statistics.
    #[command(subcommand)]
    Log(log::LogCommand),
    /// Inspect the workers that run jobs.
    #[command(subcommand)]
    Worker(worker::WorkerCommand),
    /// Create or update jobs from files and print what changed.
    Apply(apply::Apply),
    /// Show how job files differ from the jobs on the master; exit 1 when they differ.
    Diff(diff::Diff),
    /// Work with cron expressions, offline.
    #[command(subcommand)]
    Cron(cron::CronCommand),
    /// Live dashboard of jobs, executions and workers.
    #[command(alias = "top")]
    Dashboard(dashboard::Dashboard),
    /// Show the versions of schedctl and of the master.
    Version(version::Version),
    /// Manage named contexts (endpoint, token) in the config file.
    #[command(subcommand)]
    Config(config::ConfigCommand),
    /// Print a shell completion script.
    Completions(generate::Completions),
    /// Write man pages.
    Man(generate::Man),
}

/// What every verb gets: a connected client and the printer for stdout.
#[derive(Debug)]
pub struct Ctx {
    pub client: Client,
    pub printer: Printer,
}

/// Parses the process arguments, runs the command and returns the exit code. Errors are
/// printed here, once, as `schedctl: <message>` on stderr.
pub fn main_entry() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints usage errors to stderr and --help/--version to stdout, and picks
            // the exit code itself (2 for usage errors, 0 for help).
            let _ = e.print();
            return e.exit_code();
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("schedctl: starting the async runtime: {e}");
            return exit_codes::ERROR;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => exit_codes::OK,
        // `schedctl job list | head -1`: the reader is gone and has what it wanted.
        Err(e) if exit_codes::is_broken_pipe(&e) => exit_codes::OK,
        Err(e) => {
            eprintln!("schedctl: {e:#}");
            exit_codes::for_error(&e)
        }
    }
}

/// Runs the chosen verb, connecting to the master only for verbs that need it.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    // Verbs that work without a master.
    let printer = Printer::new(cli.output);
    match cli.command {
        Command::Cron(cmd) => return cmd.run(&printer),
        Command::Config(cmd) => return cmd.run(&printer),
        Command::Completions(cmd) => return cmd.run(),
        Command::Man(cmd) => return cmd.run(),
        Command::Version(cmd) => return cmd.run(&cli.endpoint, cli.request_timeout, &printer).await,
        _ => {}
    }
    let client = Client::connect(&cli.endpoint, cli.request_timeout).await?;
    let ctx = Ctx {
        client,
        printer: Printer::new(cli.output),
    };
    match cli.command {
        Command::Job(cmd) => cmd.run(&ctx).await,
        Command::Log(cmd) => cmd.run(&ctx).await,
        Command::Worker(cmd) => cmd.run(&ctx).await,
        Command::Apply(cmd) => cmd.run(&ctx).await,
        Command::Diff(cmd) => cmd.run(&ctx).await,
        Command::Dashboard(cmd) => cmd.run(&ctx).await,
        Command::Cron(_)
        | Command::Config(_)
        | Command::Completions(_)
        | Command::Man(_)
        | Command::Version(_) => unreachable!("handled before connecting"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_tree_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn endpoint_and_output_have_their_defaults() {
        let cli = Cli::try_parse_from(["schedctl", "worker", "list"]).expect("parses");
        assert_eq!(cli.output, OutputFormat::Table);
        assert_eq!(cli.request_timeout, Duration::from_secs(10));
        // SCHEDCTL_ENDPOINT may be set where the tests run; only check when it is not.
        if std::env::var_os("SCHEDCTL_ENDPOINT").is_none() {
            assert_eq!(cli.endpoint, DEFAULT_ENDPOINT);
        }
    }

    #[test]
    fn global_flags_are_accepted_after_the_verb() {
        let cli = Cli::try_parse_from([
            "schedctl",
            "job",
            "list",
            "-o",
            "json",
            "--endpoint",
            "10.0.0.1:9000",
        ])
        .expect("parses");
        assert_eq!(cli.output, OutputFormat::Json);
        assert_eq!(cli.endpoint, "http://10.0.0.1:9000");
    }
}
