//! Samverkan: the shared record of how Swedish municipal social services work together.
//!
//! `app::build()` assembles the application for the server and for every test.

pub mod app;
pub mod auth;
pub mod bundle;
pub mod config;
pub mod db;
pub mod error;
pub mod holidays;
pub mod ical;
pub mod kit;
pub mod middleware;
pub mod models;
pub mod openapi;
pub mod pagination;
pub mod policy;
pub mod protocol;
pub mod routes;
pub mod search;
pub mod secrets;
pub mod setup;
pub mod times;
pub mod validation;
