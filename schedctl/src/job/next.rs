//! `schedctl job next`.

use anyhow::anyhow;
use clap::Args;
use schedd_proto::v1 as pb;

use crate::Ctx;
use crate::printer::FireTimes;

/// Show when a job will run next, or when a cron expression would fire.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  schedctl job next backup -n 3\n  schedctl job next --cron '0 0 3 * * MON-FRI' --timezone Europe/Berlin"
)]
pub struct Next {
    /// The job's name.
    #[arg(required_unless_present = "cron")]
    pub name: Option<String>,

    /// How many fire times to show.
    #[arg(short = 'n', long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub count: u32,

    /// Try an expression instead of a stored job.
    #[arg(
        long,
        value_name = "EXPR",
        conflicts_with = "name",
        allow_hyphen_values = true
    )]
    pub cron: Option<String>,

    /// With --cron: the IANA zone to read it in (default: the cluster's).
    #[arg(long, value_name = "TZ", requires = "cron")]
    pub timezone: Option<String>,
}

impl Next {
    pub async fn run(self, ctx: &Ctx) -> anyhow::Result<()> {
        let name = self.name.unwrap_or_default();
        let request = pb::NextFireTimesRequest {
            name: name.clone(),
            count: self.count,
            cron_expr: self.cron.clone().unwrap_or_default(),
            timezone: self.timezone.unwrap_or_default(),
        };
        let reply = ctx
            .client
            .call(ctx.client.jobs().next_fire_times(request))
            .await?;
        let times = reply
            .times
            .iter()
            .map(|t| {
                schedd_proto::datetime_from_ts(t)
                    .ok_or_else(|| anyhow!("the master sent an invalid time {t:?}"))
            })
            .collect::<anyhow::Result<_>>()?;
        ctx.printer.print(&FireTimes {
            name: if name.is_empty() {
                self.cron.unwrap_or_default()
            } else {
                name
            },
            timezone: reply.timezone,
            times,
        })
    }
}
