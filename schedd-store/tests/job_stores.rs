//! The job stores: the contract every [`JobStore`](schedd_core::store::JobStore) keeps
//! ([`job_contract`]), run against SQLite (a file in a fresh temporary directory) and etcd
//! (a real server per test, started by testkit's [`EtcdServer`]). What only one backend
//! does is tested beside it: `tests/etcd.rs` and the unit tests of `src/sqlite.rs`.

use schedd_store::SqliteStore;
use schedd_store::etcd::{Etcd, EtcdJobStore, EtcdOptions};
use testkit::EtcdServer;

mod job_contract;
use job_contract::Check;

async fn with_sqlite(check: Check) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = SqliteStore::open(dir.path().join("schedd.db")).expect("open");
    job_contract::run(check, &store).await;
}

async fn with_etcd(check: Check) {
    // A server of its own: the checks count on an empty store, and on no other writes moving
    // the store revision.
    let server = EtcdServer::start();
    let etcd = Etcd::connect(&EtcdOptions::new(vec![server.endpoint()]))
        .await
        .expect("connect to the test etcd");
    job_contract::run(check, &EtcdJobStore::new(etcd)).await;
}

job_store_contract!(sqlite, super::with_sqlite);
job_store_contract!(etcd, super::with_etcd);
