//! Storage backends behind the `schedd-core` traits. Only this crate knows SQLite (and,
//! later, etcd and MongoDB); the rest of schedd sees `JobStore`, `LogStore` and friends.

pub mod local;
pub mod sqlite;

pub use local::LocalCoordinator;
pub use sqlite::SqliteStore;
