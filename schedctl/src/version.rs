//! `schedctl version`: this client's version, and the master's from `InfoService.GetInfo`.
//!
//! The client's version is printed whatever happens to the server, so a bug report always has
//! it. An unreachable master is `server: unreachable (<reason>)` on stderr and exit 5; a master
//! too old to know `GetInfo` (it answers `Unimplemented`) is `server: unknown` and exit 0.

use std::time::Duration;

use clap::Args;
use serde::Serialize;

use crate::client::{Client, ClientError};
use crate::config::{ConfigError, Settings};
use crate::exit_codes;
use crate::printer::{Layout, Printer, Render, Text, local_time_ms};

/// This schedctl's version.
pub const CLIENT_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Show the versions of schedctl and of the master.
#[derive(Debug, Args)]
pub struct Version {}

/// `-o json`: `{"client": {"version": ...}, "server": {...} | null}`.
#[derive(Debug, Clone, Serialize)]
pub struct Versions {
    pub client: ClientInfo,
    /// Null when the master could not be asked or does not say.
    pub server: Option<ServerInfo>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClientInfo {
    pub version: String,
}

/// What the master says about itself. Times in Unix seconds with a millisecond twin, like
/// the records.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerInfo {
    pub version: String,
    /// `embedded` or `cluster`.
    pub mode: String,
    pub default_timezone: String,
    pub started_at: i64,
    pub started_at_ms: i64,
    /// The endpoint that answered.
    pub endpoint: String,
}

impl Render for Versions {
    fn layout(&self, _wide: bool) -> Option<Layout> {
        let mut rows = vec![("Client".to_owned(), Text::from(self.client.version.clone()))];
        if let Some(s) = &self.server {
            rows.extend([
                ("Server".to_owned(), Text::from(s.version.clone())),
                ("Mode".to_owned(), s.mode.clone().into()),
                ("Timezone".to_owned(), s.default_timezone.clone().into()),
                ("Started".to_owned(), local_time_ms(s.started_at_ms).into()),
                ("Endpoint".to_owned(), s.endpoint.clone().into()),
            ]);
        }
        Some(Layout::Detail(rows))
    }

    /// Versions are not names.
    fn names(&self) -> Option<Vec<String>> {
        None
    }
}

/// An error already reported on stderr; `main` only exits with its code.
#[derive(Debug, thiserror::Error)]
#[error("exit {0}")]
pub struct Reported(pub i32);

impl Version {
    pub async fn run(
        self,
        settings: Result<Settings, ConfigError>,
        timeout: Duration,
        printer: &Printer,
    ) -> anyhow::Result<()> {
        let mut versions = Versions {
            client: ClientInfo {
                version: CLIENT_VERSION.to_owned(),
            },
            server: None,
        };
        let settings = match settings {
            Ok(settings) => settings,
            Err(e) => {
                // The client's version still helps; the bad setting is the error.
                printer.print(&versions)?;
                return Err(e.into());
            }
        };
        match server_info(&settings, timeout).await {
            Ok(info) => {
                versions.server = Some(info);
                printer.print(&versions)
            }
            Err(ClientError::Rpc {
                code: tonic::Code::Unimplemented,
                ..
            }) => {
                printer.print(&versions)?;
                crate::printer::note(format_args!(
                    "server: unknown (the master at {} is older than GetInfo)",
                    settings.endpoint
                ));
                Ok(())
            }
            Err(e @ (ClientError::Unreachable { .. } | ClientError::NoAnswer { .. })) => {
                printer.print(&versions)?;
                crate::printer::note(format_args!("server: unreachable ({e})"));
                Err(Reported(exit_codes::UNAVAILABLE).into())
            }
            Err(e) => {
                printer.print(&versions)?;
                Err(e.into())
            }
        }
    }
}

async fn server_info(settings: &Settings, timeout: Duration) -> Result<ServerInfo, ClientError> {
    let client = Client::connect(&settings.endpoint, timeout)
        .await?
        .with_token(settings.token.as_ref());
    let reply = client
        .call(client.info().get_info(schedd_proto::v1::GetInfoRequest {}))
        .await?;
    let started_at_ms = schedd_proto::ms_from_ts(reply.started_at.as_ref());
    Ok(ServerInfo {
        version: reply.version,
        mode: reply.mode,
        default_timezone: reply.default_timezone,
        started_at: started_at_ms.div_euclid(1000),
        started_at_ms,
        endpoint: settings.endpoint.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::printer::OutputFormat;

    #[test]
    fn json_has_client_and_a_null_server_when_unknown() {
        let versions = Versions {
            client: ClientInfo {
                version: "0.1.0".into(),
            },
            server: None,
        };
        let text = Printer::new(OutputFormat::Json)
            .render(&versions)
            .expect("renders");
        let v: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        assert_eq!(
            v,
            serde_json::json!({"client": {"version": "0.1.0"}, "server": null})
        );
        let table = Printer::new(OutputFormat::Table)
            .render(&versions)
            .expect("renders");
        assert_eq!(table, "Client:  0.1.0");
    }

    #[test]
    fn server_fields_are_camel_case() {
        let versions = Versions {
            client: ClientInfo {
                version: "0.1.0".into(),
            },
            server: Some(ServerInfo {
                version: "0.2.0".into(),
                mode: "embedded".into(),
                default_timezone: "UTC".into(),
                started_at: 1_700_000_000,
                started_at_ms: 1_700_000_000_250,
                endpoint: "http://h:1".into(),
            }),
        };
        let v: serde_json::Value =
            serde_json::from_str(&crate::printer::to_json(&versions).expect("json")).expect("JSON");
        assert_eq!(v["server"]["defaultTimezone"], "UTC");
        assert_eq!(v["server"]["startedAtMs"], 1_700_000_000_250_i64);
        assert_eq!(v["server"]["mode"], "embedded");
    }
}
