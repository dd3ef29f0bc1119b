//! The master's end-to-end tests in one binary (each test binary links the whole master, and
//! the machines have two cores): embedded mode, record ingest, records surviving a killed
//! master, and the REST contract as outside clients see it. Cluster mode, with etcd and
//! worker processes, is the `cluster` binary.

mod broadcast;
mod dependencies;
mod embedded;
mod harness;
mod http_jobs;
mod ingest;
mod loopback;
mod notifications;
mod records;
mod rest_contract;
