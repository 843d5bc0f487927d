# The rectibot image for machines that can pull base images and run build
# steps: the binary is built in golang:1.26, then copied alone into an empty
# image. deploy/scratch.Dockerfile makes the same final image around a binary
# built outside (what CI does: .ci/image).
#
#   docker build -t rectibot .
#   docker run -d --name rectibot -v rectibot-data:/data \
#     -e TELEGRAM_BOT_TOKEN=… -e RECTIBOT_ADMINS=… rectibot
#
# The image runs `rectibot serve` as user 65532, with the ledger in SQLite
# on the /data volume unless DATABASE_URL says otherwise (deploy/compose.yaml
# sets PostgreSQL and Redis for two replicas).

FROM golang:1.26 AS build
WORKDIR /src
# The modules first, in their own layer: a source change does not fetch them again.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
# CGO_ENABLED=0: a static binary, which runs in an image with no libc (the
# SQLite driver is pure Go). -trimpath and -s -w: no build paths or symbols.
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOFLAGS=-mod=readonly go build -trimpath -ldflags "-s -w" -o /out/rectibot ./cmd/rectibot
# An empty image has no mkdir: the volume's folder and /tmp are made here
# (/tmp 1777 inside skel/: a COPY keeps the mode of the folders inside the one
# it copies, not its own).
RUN mkdir -p /out/data /out/skel/tmp && chmod 1777 /out/skel/tmp

FROM scratch
# Telegram's Bot API is reached over HTTPS: the CA bundle is all of the OS it needs.
# The zone database travels inside the binary (time/tzdata).
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/skel/ /
# Owned by the user that writes it, so a new volume is writable.
COPY --from=build --chown=65532:65532 /out/data /data
COPY --from=build /out/rectibot /rectibot
USER 65532:65532
WORKDIR /data
ENV RECTIBOT_HTTP_ADDR=0.0.0.0:8080 \
    DATABASE_URL=sqlite:/data/rectibot.db \
    HOME=/data
VOLUME ["/data"]
EXPOSE 8080
# The binary probes its own /healthz: the image has no curl. It reads only
# RECTIBOT_HTTP_ADDR and never opens the database.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["/rectibot", "healthcheck"]
ENTRYPOINT ["/rectibot"]
CMD ["serve"]
