//! Integration tests of the field app service against a real server: sign-in, first
//! sync and the household list, privacy, adding members, visits offline and online,
//! incidents, conflicts between two phones, sign-out, bad input, and the review loop (a
//! visit returned in the console, fixed on the device), and the supervisor views' way to
//! the console API.

mod bad_input;
mod conflicts;
mod console;
mod households;
mod incidents;
mod login;
mod members;
mod members_refused;
mod privacy;
mod review;
mod sign_out;
mod support;
mod visits;
