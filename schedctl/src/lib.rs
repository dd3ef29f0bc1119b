//! `schedctl`, the command-line client of schedd: `schedctl [global flags] <noun> <verb>`.
//!
//! Each verb lives in its own file under [`job`], [`log`] and [`worker`] as a
//! `#[derive(Args)]` struct whose `///` doc is its help text and whose `run` converts the
//! arguments, calls the master over gRPC through [`client::Client`], and hands the answer to
//! the one [`printer::Printer`] (`-o table|wide|json|yaml|name`, `--no-headers`, `--color`).
//! Where the master is and which token to send is decided once, in [`config::settings`]
//! (flag > env > config file context > default). Errors travel up as `anyhow` and
//! [`main_entry`] turns them into a `schedctl: ...` line on stderr and an exit code from
//! [`exit_codes`].

pub mod apply;
pub mod audit;
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

use crate::client::{Client, Token};
use crate::printer::{ColorChoice, OutputFormat, Printer};

/// The master's gRPC address when no flag, variable or context gives one.
pub const DEFAULT_ENDPOINT: &str = "http://127.0.0.1:8070";

/// Heading of the flags every subcommand takes, kept apart from the verb's own in `--help`.
const GLOBAL: &str = "Global options";

/// Control a schedd cluster: save and run jobs, read execution logs, list workers.
///
/// Where the master is: --endpoint, else $SCHEDCTL_ENDPOINT, else the current context of the
/// config file (`schedctl config --help`), else http://127.0.0.1:8070. Exit codes: 0 ok,
/// 1 error, 2 usage, 3 not found, 4 conflict, 5 master unreachable or no answer in time, 6
/// denied (no valid token, or its role does not allow it).
#[derive(Debug, Parser)]
#[command(name = "schedctl", version)]
pub struct Cli {
    /// gRPC address of the schedd master (`http://host:port`; `host:port` means http)
    /// [env: SCHEDCTL_ENDPOINT] [default: the context's, else http://127.0.0.1:8070]
    // No clap `env`/`default_value`: `config::settings` must know whether the flag was given
    // to rank it against the environment and the config file.
    #[arg(
        long,
        global = true,
        value_name = "URL",
        help_heading = GLOBAL,
        value_parser = client::parse_endpoint,
    )]
    pub endpoint: Option<String>,

    /// Bearer token sent with every call as `authorization: Bearer TOKEN`
    /// [env: SCHEDCTL_TOKEN]
    #[arg(
        long,
        global = true,
        value_name = "TOKEN",
        help_heading = GLOBAL,
        value_parser = client::parse_token,
    )]
    pub token: Option<Token>,

    /// CA certificate (PEM) that signed an `https://` master's certificate; without it the
    /// system's roots are trusted
    #[arg(
        long,
        global = true,
        value_name = "PATH",
        env = "SCHEDCTL_CA_FILE",
        help_heading = GLOBAL
    )]
    pub ca_file: Option<std::path::PathBuf>,

    /// Use this context of the config file instead of the current one [env: SCHEDCTL_CONTEXT]
    #[arg(long, global = true, value_name = "NAME", help_heading = GLOBAL)]
    pub context: Option<String>,

    /// Output format: tables (`table`, `wide` with more columns), `json` or `yaml` with the old
    /// system's field names, or `name` (one name or id per line).
    #[arg(
        short,
        long = "output",
        global = true,
        help_heading = GLOBAL,
        value_enum,
        default_value_t = OutputFormat::Table
    )]
    pub output: OutputFormat,

    /// Leave out the header line of tables.
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub no_headers: bool,

    /// Colour status words: `auto` when stdout is a terminal and NO_COLOR is not set.
    #[arg(
        long,
        global = true,
        value_name = "WHEN",
        help_heading = GLOBAL,
        value_enum,
        default_value_t = ColorChoice::Auto
    )]
    pub color: ColorChoice,

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
    // No `///` on `Apply` and `Diff`: clap takes a variant's doc over its struct's, which
    // would drop the long help (`--help`, the man page) that the struct's doc gives.
    Apply(apply::Apply),
    /// Read the audit trail: who changed which job, when and from where.
    #[command(subcommand)]
    Audit(audit::AuditCommand),
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
    let parsed = <Cli as clap::CommandFactory>::command()
        .try_get_matches()
        .and_then(|m| {
            <Cli as clap::FromArgMatches>::from_arg_matches(&m).map(|cli| (cli, client_name(&m)))
        });
    let (cli, client) = match parsed {
        Ok(parsed) => parsed,
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
            crate::printer::note(format_args!("schedctl: starting the async runtime: {e}"));
            return exit_codes::ERROR;
        }
    };
    match runtime.block_on(run_as(cli, &client)) {
        Ok(()) => exit_codes::OK,
        // `schedctl job list | head -1`: the reader is gone and has what it wanted.
        Err(e) if exit_codes::is_broken_pipe(&e) => exit_codes::OK,
        Err(e) => {
            if let Some(version::Reported(code)) = e.downcast_ref::<version::Reported>() {
                return *code;
            }
            crate::printer::note(format_args!("schedctl: {e:#}"));
            exit_code(&e)
        }
    }
}

/// [`exit_codes::for_error`], plus the config errors it does not know about (an unknown
/// context is "not found", 3; a bad endpoint or token in the environment is a usage error, 2).
pub fn exit_code(err: &anyhow::Error) -> i32 {
    match err
        .chain()
        .find_map(|e| e.downcast_ref::<config::ConfigError>())
    {
        Some(e) => e.exit_code(),
        None => exit_codes::for_error(err),
    }
}

/// How the master's audit trail names this program: `schedctl` and the subcommand given
/// (`schedctl job save`, `schedctl apply`).
fn client_name(matches: &clap::ArgMatches) -> String {
    let mut name = "schedctl".to_owned();
    let mut m = matches;
    while let Some((sub, next)) = m.subcommand() {
        name.push(' ');
        name.push_str(sub);
        m = next;
    }
    name
}

/// Runs the chosen verb, connecting to the master only for verbs that need it.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    run_as(cli, "schedctl").await
}

/// [`run`], naming the program `client` to the master (see [`client_name`]).
pub async fn run_as(cli: Cli, client: &str) -> anyhow::Result<()> {
    let printer = Printer::new(cli.output)
        .with_headers(!cli.no_headers)
        .with_color(cli.color.enabled_here());
    let flags = config::Flags {
        endpoint: cli.endpoint,
        token: cli.token,
        context: cli.context,
    };
    let env = config::Env::from_process();
    // Verbs that work without a master.
    match cli.command {
        Command::Cron(cmd) => return cmd.run(&printer),
        Command::Config(cmd) => return cmd.run(&flags, &env, &printer),
        Command::Completions(cmd) => return cmd.run(),
        Command::Man(cmd) => return cmd.run(),
        Command::Version(cmd) => {
            let settings = config::settings(&flags, &env);
            return cmd.run(settings, cli.request_timeout, &printer).await;
        }
        _ => {}
    }
    let settings = config::settings(&flags, &env)?;
    let client = Client::connect_with_ca(
        &settings.endpoint,
        cli.request_timeout,
        cli.ca_file.as_deref(),
    )
    .await?
    .with_token(settings.token.as_ref())
    .with_client_name(client);
    let ctx = Ctx { client, printer };
    match cli.command {
        Command::Job(cmd) => cmd.run(&ctx).await,
        Command::Log(cmd) => cmd.run(&ctx).await,
        Command::Worker(cmd) => cmd.run(&ctx).await,
        Command::Apply(cmd) => cmd.run(&ctx).await,
        Command::Audit(cmd) => cmd.run(&ctx).await,
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
    fn global_flags_have_their_defaults_and_endpoint_is_unset() {
        let cli = Cli::try_parse_from(["schedctl", "worker", "list"]).expect("parses");
        assert_eq!(cli.output, OutputFormat::Table);
        assert_eq!(cli.request_timeout, Duration::from_secs(10));
        assert_eq!(cli.color, ColorChoice::Auto);
        assert!(!cli.no_headers);
        // Not given is `None` whatever the environment says: `config::settings` decides.
        assert_eq!(cli.endpoint, None);
        assert!(cli.token.is_none() && cli.context.is_none());
    }

    #[test]
    fn global_flags_are_accepted_after_the_verb() {
        let cli = Cli::try_parse_from([
            "schedctl",
            "job",
            "list",
            "-o",
            "yaml",
            "--endpoint",
            "10.0.0.1:9000",
            "--no-headers",
            "--color",
            "never",
            "--context",
            "prod",
            "--token",
            "s3cret",
        ])
        .expect("parses");
        assert_eq!(cli.output, OutputFormat::Yaml);
        assert_eq!(cli.endpoint.as_deref(), Some("http://10.0.0.1:9000"));
        assert!(cli.no_headers);
        assert_eq!(cli.color, ColorChoice::Never);
        assert_eq!(cli.context.as_deref(), Some("prod"));
        assert_eq!(cli.token.as_ref().map(Token::expose), Some("s3cret"));
        // The token never shows in the parsed command line's Debug.
        assert!(!format!("{cli:?}").contains("s3cret"));
    }

    #[test]
    fn a_token_that_cannot_be_a_header_is_a_usage_error() {
        let err = Cli::try_parse_from(["schedctl", "--token", "a b", "job", "list"])
            .expect_err("space in token");
        assert_eq!(err.exit_code(), exit_codes::USAGE);
    }
}
