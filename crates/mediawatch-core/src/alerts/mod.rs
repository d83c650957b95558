//! Alerts, the last stage: what a rule's schedule and spike test say (pure), how an alert reads in each
//! channel (pure), and the sending of it (`send.rs`, the only outbound network). What fired, what is due and
//! what was delivered lives in the store; `app/alerts.rs` evaluates the rules and drives the deliveries.
//!
//! Files: `schedule.rs` (durations, digest schedules in IANA zones, quiet hours), `spike.rs` (the test on
//! counts), `render.rs` (text, webhook body, ntfy, e-mail), `sign.rs` (Standard Webhooks signatures),
//! `send.rs` (webhook, ntfy and SMTP), `secrets.rs` (the OS keyring, or a user-only file).

pub mod render;
pub mod rules;
pub mod schedule;
pub mod secrets;
pub mod send;
pub mod sign;
pub mod spike;
