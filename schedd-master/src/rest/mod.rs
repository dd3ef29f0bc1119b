//! The REST bridge: the old system's API under `/api/v1`, for its web UI and its scripts, and
//! schedd's additions beside it (see `docs/rest-api.md`). Handlers call the same service
//! functions as the gRPC adapter; this module only reads parameters, shapes JSON and maps
//! errors to the old envelope and codes.
//!
//! The old contract is kept exactly: every answer is `{"code", "message", "data"}`;
//! application errors keep HTTP 200 (the old web UI reads the message only from a 200, and
//! old scripts test `.code`); unknown routes get the envelope with a 404.

mod audit;
mod events;
mod jobs;
mod logs;
pub mod openapi;
mod params;
mod ui;
mod workers;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use serde::Serialize;

use crate::server::MAX_REQUEST_BYTES;
use crate::service::{Backend, ServiceError, Services};

/// The old system's result codes.
pub mod code {
    pub const SUCCESS: i32 = 0;
    /// A conflict, a record that does not exist, an unknown route.
    pub const FAILURE: i32 = 1000;
    pub const BAD_PARAMETER: i32 = 1001;
    pub const JOB_NOT_FOUND: i32 = 1002;
    pub const KILL_FAILED: i32 = 1003;
    pub const SYSTEM_ERROR: i32 = 2000;
    pub const LOG_STORE_ERROR: i32 = 2001;
    /// No valid token (HTTP 401).
    pub const UNAUTHENTICATED: i32 = 3001;
    /// The token's role does not allow the call (HTTP 403).
    pub const PERMISSION_DENIED: i32 = 3003;
}

/// The REST routes, the OpenAPI document and the web UI, for [`crate::server`].
pub fn router(services: &Services) -> Router {
    let api = Router::new()
        .route("/job/save", post(jobs::save))
        .route("/job/list", get(jobs::list))
        .route("/job/running", get(jobs::running))
        .route("/job/next", get(jobs::next_of_expression))
        .route("/job/next/{name}", get(jobs::next_of_job))
        .route("/job/kill/{name}", post(jobs::kill))
        .route("/job/disable/{name}", post(jobs::disable))
        .route("/job/enable/{name}", post(jobs::enable))
        .route("/job/run/{name}", post(jobs::run))
        .route("/job/{name}", get(jobs::get).merge(delete(jobs::delete)))
        .route("/log/list", get(logs::list))
        .route("/log/running", get(logs::running))
        .route("/log/stats/all", get(logs::stats_all))
        .route("/log/stats/{name}", get(logs::stats))
        .route("/log/tail/{name}", get(events::tail))
        .route("/log/{name}", get(logs::latest))
        .route("/log/{name}/{timestamp}", get(logs::at))
        .route("/worker/list", get(workers::list))
        .route("/worker/stats", get(workers::stats))
        .route("/events", get(events::watch))
        .route("/info", get(info))
        .route("/audit/list", get(audit::list))
        .route("/openapi.json", get(openapi::document))
        .fallback(no_route)
        .method_not_allowed_fallback(no_route)
        .layer(DefaultBodyLimit::max(MAX_REQUEST_BYTES))
        .with_state(services.clone());
    Router::new()
        .nest("/api/v1", api)
        .route("/api/v1", get(no_route))
        .merge(ui::router())
        .merge(crate::metrics::router(services.health.clone()))
}

/// `{"code": 0, "message": "success", "data": …}`, or an error's code and message with
/// `data: null`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Envelope<T> {
    pub code: i32,
    pub message: String,
    /// `null` on errors.
    pub data: Option<T>,
}

/// A successful answer.
#[derive(Debug)]
pub struct Data<T>(pub T);

impl<T: Serialize> IntoResponse for Data<T> {
    fn into_response(self) -> Response {
        json_response(
            StatusCode::OK,
            &Envelope {
                code: code::SUCCESS,
                message: "success".into(),
                data: Some(self.0),
            },
        )
    }
}

fn json_response<T: Serialize>(status: StatusCode, body: &T) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => (status, [(header::CONTENT_TYPE, "application/json")], bytes).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "answer could not be serialised");
            ApiError::new(code::SYSTEM_ERROR, "the answer could not be serialised").into_response()
        }
    }
}

/// An error as the old API reports it.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: i32,
    message: String,
}

impl ApiError {
    /// An application error: HTTP 200, as the old API answered them.
    pub fn new(code: i32, message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::OK,
            code,
            message: message.into(),
        }
    }

    pub fn bad_parameter(message: impl Into<String>) -> ApiError {
        ApiError::new(code::BAD_PARAMETER, message)
    }

    pub(crate) fn with_status(mut self, status: StatusCode) -> ApiError {
        self.status = status;
        self
    }
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> ApiError {
        let code = match &e {
            ServiceError::Invalid(_) => code::BAD_PARAMETER,
            ServiceError::JobNotFound(_) => code::JOB_NOT_FOUND,
            ServiceError::RecordNotFound(_) | ServiceError::Conflict(_) => code::FAILURE,
            ServiceError::Unavailable {
                backend: Backend::Logs | Backend::Audit,
                ..
            }
            | ServiceError::Corrupt {
                backend: Backend::Logs | Backend::Audit,
                ..
            } => code::LOG_STORE_ERROR,
            ServiceError::Unavailable { .. } | ServiceError::Corrupt { .. } => code::SYSTEM_ERROR,
        };
        ApiError::new(code, e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        json_response(
            self.status,
            &Envelope::<()> {
                code: self.code,
                message: self.message,
                data: None,
            },
        )
    }
}

pub type ApiResult<T> = Result<Data<T>, ApiError>;

/// Who is calling, for the audit trail (see [`crate::auth::actor`]).
#[derive(Debug)]
pub struct Who(pub schedd_core::Actor);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Who {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Who, Self::Rejection> {
        Ok(Who(crate::auth::actor(&parts.extensions, &parts.headers)))
    }
}

/// Unknown routes and methods: the envelope, with a 404.
async fn no_route(method: axum::http::Method, uri: Uri) -> ApiError {
    ApiError::new(code::FAILURE, format!("no route {method} {}", uri.path()))
        .with_status(StatusCode::NOT_FOUND)
}

/// What `GET /info` answers.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InfoJson {
    pub version: String,
    /// `embedded` or `cluster`.
    pub mode: String,
    pub default_timezone: String,
    /// Unix seconds.
    pub started_at: i64,
}

/// The master's version, mode and default time zone.
#[utoipa::path(get, path = "/info", tag = "other", operation_id = "getInfo",
    responses((status = 200, description = "The master", body = Envelope<InfoJson>)))]
async fn info(axum::extract::State(s): axum::extract::State<Services>) -> ApiResult<InfoJson> {
    Ok(Data(InfoJson {
        version: s.info.version.to_owned(),
        mode: s.info.mode.to_owned(),
        default_timezone: s.info.default_timezone.clone(),
        started_at: s.info.started_at.timestamp(),
    }))
}
