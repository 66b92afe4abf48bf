//! The Samverkan bundle: one JSON document for import and export.

mod apply;
mod dialogues;
pub mod export;
pub mod format;
pub mod import;
pub mod local;
mod meetings;
mod minutes;
mod networks;
mod parties;
mod stream;
mod themes;
