//! The heartbeat: every `heartbeatInterval` the worker measures the host's CPU and memory use
//! and announces itself, with its load, to the registry.

use std::sync::Arc;
use std::time::Duration;

use schedd_core::store::WorkerRegistry;
use schedd_core::{Event, EventHub, WorkerInfo, unix_ms};
use sysinfo::System;
use tokio_util::sync::CancellationToken;

use crate::runner::Runner;

/// Host CPU and memory use in percent, measured since the previous call.
#[derive(Debug)]
pub struct HostLoad {
    sys: System,
}

impl Default for HostLoad {
    fn default() -> Self {
        Self::new()
    }
}

impl HostLoad {
    pub fn new() -> HostLoad {
        let mut sys = System::new();
        sys.refresh_cpu_usage();
        HostLoad { sys }
    }

    /// (cpu %, memory %), to two decimals: the OS reports single precision, whose digits
    /// past that are noise once widened (`1.3377926349639893`).
    pub fn sample(&mut self) -> (f64, f64) {
        self.sys.refresh_cpu_usage();
        self.sys.refresh_memory();
        let cpu = f64::from(self.sys.global_cpu_usage());
        let total = self.sys.total_memory();
        let mem = if total == 0 {
            0.0
        } else {
            self.sys.used_memory() as f64 * 100.0 / total as f64
        };
        (round2(cpu), round2(mem))
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

pub async fn run(
    mut info: WorkerInfo,
    interval: Duration,
    runner: Runner,
    registry: Arc<dyn WorkerRegistry>,
    events: EventHub,
    shutdown: CancellationToken,
) {
    let mut load = HostLoad::new();
    let mut tick = tokio::time::interval(interval);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            () = shutdown.cancelled() => return,
            _ = tick.tick() => {}
        }
        (info.cpu_usage, info.mem_usage) = load.sample();
        info.running = u32::try_from(runner.running()).unwrap_or(u32::MAX);
        info.last_seen = unix_ms(chrono::Utc::now());
        match registry.heartbeat(&info).await {
            Ok(()) => {
                events.send(Event::Worker {
                    info: info.clone(),
                    online: true,
                });
            }
            Err(e) => tracing::warn!(error = %e, "heartbeat failed"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_load_is_a_percentage() {
        let mut load = HostLoad::new();
        let (cpu, mem) = load.sample();
        assert!((0.0..=100.0).contains(&cpu), "cpu {cpu}");
        assert!(mem > 0.0 && mem <= 100.0, "memory {mem}");
        for x in [cpu, mem] {
            assert_eq!(round2(x), x, "{x} has more than two decimals");
        }
    }

    #[test]
    fn load_figures_keep_two_decimals() {
        assert_eq!(round2(f64::from(1.337_792_6_f32)), 1.34);
        assert_eq!(round2(99.995), 100.0);
        assert_eq!(round2(0.0), 0.0);
    }
}
