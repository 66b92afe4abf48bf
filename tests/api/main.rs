//! The API's tests, one binary: each module drives the real app over HTTP on a fresh
//! SQLite file and a fresh PostgreSQL database (`db_test!`). One binary rather than one
//! per file: linked once, it keeps the build small and fast (each linked test binary
//! carries the whole app).

#[macro_use]
mod common;

mod access_matrix;
mod action_items;
mod auth;
mod bundle;
mod calendar;
mod cli;
mod co_hosting;
mod concurrency;
mod dialogues;
mod findings;
mod history;
mod meetings;
mod minutes;
mod networks;
mod openapi;
mod operations;
mod organizations;
mod people;
mod query_budget;
mod requests;
mod scale;
mod search;
mod seed_001;
mod series;
mod themes;
mod users;
