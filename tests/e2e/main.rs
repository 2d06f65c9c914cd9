//! End-to-end tests: the real serenity/poise client against the loopback Discord server.

mod loopback_smoke;
