# The rectibot image built FROM scratch around a binary built outside, for
# machines that can neither pull base images nor run build steps (CI:
# .ci/image). The final image is the same as the root Dockerfile's.
#
# The build context is a folder holding:
#   rectibot              CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" ./cmd/rectibot
#   ca-certificates.crt   the CA bundle (Debian: /etc/ssl/certs/ca-certificates.crt)
#   data/                 an empty folder: the volume, made writable by --chown below
#   skel/tmp/             an empty folder, mode 1777 (a COPY keeps the mode of
#                         the folders inside the one it copies, not its own)
#
#   podman build --format docker -f deploy/scratch.Dockerfile -t rectibot CONTEXT
#
# --format docker: the OCI image format has no HEALTHCHECK.

FROM scratch
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY skel/ /
COPY --chown=65532:65532 data/ /data/
COPY rectibot /rectibot
USER 65532:65532
WORKDIR /data
ENV RECTIBOT_HTTP_ADDR=0.0.0.0:8080 \
    DATABASE_URL=sqlite:/data/rectibot.db \
    HOME=/data
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["/rectibot", "healthcheck"]
ENTRYPOINT ["/rectibot"]
CMD ["serve"]
