# Multi-stage build: compile in the Rust image, run as a non-root user in a slim Debian image.
FROM rust:1.95-slim-bookworm AS build
WORKDIR /app
# Dependencies first, so code changes rebuild only the crate itself.
COPY Cargo.toml Cargo.lock build.rs ./
# (Cargo wants every target named in Cargo.toml to exist, hence a placeholder for each bench
# and the test; build.rs finds no catalog or migrations yet and embeds none.)
RUN mkdir -p src benches tests/e2e && echo 'fn main() {}' > src/main.rs && touch src/lib.rs \
    && for bench in $(sed -n '/^\[\[bench\]\]/{n;s/^name = "\(.*\)"/\1/p}' Cargo.toml); do \
         echo 'fn main() {}' > "benches/$bench.rs"; done \
    && touch tests/e2e/main.rs \
    && cargo build --release --locked --bin vpa-desk \
    && rm -rf src benches tests
COPY src src
COPY migrations migrations
COPY config config
COPY benches benches
COPY tests tests
RUN touch src/main.rs src/lib.rs && cargo build --release --locked --bin vpa-desk

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app vpa
WORKDIR /app
COPY --from=build /app/target/release/vpa-desk /usr/local/bin/vpa-desk
COPY config /app/config
RUN mkdir -p /data && chown vpa /data
USER vpa
# The database lives on a volume; DISCORD_TOKEN comes from the environment (never baked in).
VOLUME ["/data"]
# serenity=warn: its INFO request spans would carry message bodies into the log.
ENV DATABASE_URL=sqlite:///data/vpa-desk.db RUST_LOG=info,serenity=warn LOG_FORMAT=json
ENTRYPOINT ["vpa-desk", "--config", "/app/config"]
CMD ["serve"]
