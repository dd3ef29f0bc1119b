//! Storage backends behind the `schedd-core` traits. Only this crate knows SQLite, etcd and
//! MongoDB; the rest of schedd sees `JobStore`, `LogStore` and friends.

pub mod etcd;
pub mod local;
pub mod mongo;
pub mod sqlite;

pub use local::LocalCoordinator;
pub use mongo::{MongoLogStore, MongoOptions};
pub use sqlite::SqliteStore;
