# The portal as one image: the server binary and the built single-page app.
FROM rust:1.95-bookworm AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN scripts/setup.sh \
 && scripts/build-frontend.sh \
 && cargo build --release -p portal-server

FROM debian:bookworm-slim
RUN useradd --system --home /app portal
COPY --from=build /src/target/release/portal /usr/local/bin/portal
COPY --from=build /src/frontend/dist /app/dist
USER portal
WORKDIR /app
ENV PORTAL_STATIC_DIR=/app/dist \
    PORTAL_BIND=0.0.0.0:8080
EXPOSE 8080
CMD ["portal"]
