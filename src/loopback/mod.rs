//! A Discord-compatible server on loopback (REST + gateway) for the end-to-end tests and the sandbox.
