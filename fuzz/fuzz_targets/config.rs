//! The config of a master or a worker as `schedd-master --config` and `schedd-worker --config`
//! load it: [`ClusterConfig::resolve`] over the file's text and the environment.
//!
//! The input is the file's text, then optionally a NUL byte and environment lines
//! `NAME=value`, so the fuzzer also drives the environment layer and its interplay with the
//! file (`listen` and `apiPort`, labels, clearing optional keys).
//!
//! Checked beyond "no panic": a config that resolves validates; its zone parses (the
//! documented promise of `default_tz`); `listen` and `apiPort` agree; resolving is
//! `from_sources`; applying no overrides changes nothing; secrets (`apiToken`,
//! `etcdPassword`) never reach `Debug`.
#![no_main]

use std::collections::BTreeMap;
use std::path::Path;

use libfuzzer_sys::fuzz_target;
use schedd_core::config::{ClusterConfig, Overrides};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (file, env_text) = text.split_once('\0').unwrap_or((text, ""));
    let env: BTreeMap<&str, &str> = env_text
        .lines()
        .filter_map(|line| line.split_once('='))
        .collect();
    let lookup = |name: &str| env.get(name).map(|v| (*v).to_owned());
    let path = Path::new("master.json");

    let Ok(cfg) = ClusterConfig::resolve(Some((path, file)), &lookup, &Overrides::default()) else {
        return;
    };
    cfg.validate().expect("resolve validates");
    cfg.default_tz()
        .expect("the zone of a validated config parses");
    if let Some(listen) = cfg.listen {
        assert_eq!(listen.port(), cfg.api_port, "listen and apiPort disagree");
    }
    assert_eq!(cfg.listen_addr().port(), cfg.api_port);
    assert_eq!(
        ClusterConfig::from_sources(Some((path, file)), &lookup).as_ref(),
        Ok(&cfg)
    );
    let mut same = cfg.clone();
    same.apply(&Overrides::default())
        .expect("a valid config stays valid");
    assert_eq!(same, cfg, "applying no overrides changed the config");
    let _ = cfg.retention();
    let _ = cfg.worker_spool_dir("w1");

    // Two configs that differ only in their secrets print the same.
    let mut masked = cfg.clone();
    masked.api_token = masked.api_token.as_ref().map(|_| "masked-token".to_owned());
    masked.etcd_password = masked
        .etcd_password
        .as_ref()
        .map(|_| "masked-password".to_owned());
    assert_eq!(
        format!("{cfg:?}"),
        format!("{masked:?}"),
        "a secret shows in Debug"
    );
});
