# safetynet in a container: docker run --rm -v "$PWD:/src" IMAGE scan /src
# Build: docker build --build-arg VERSION=$(git describe --tags --always --dirty) -t safetynet .

FROM golang:1.26 AS build
WORKDIR /build
# Dependencies first, so that a source change does not download them again.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
# Static (no cgo: SQLite is pure Go), so it runs on an image without libc.
RUN CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w -X github.com/safetynet-dev/safetynet.Version=${VERSION}" \
      -o /out/safetynet ./cmd/safetynet

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/safetynet /usr/local/bin/safetynet
# Mount the code to scan here; relative paths in reports stay short.
WORKDIR /src
# distroless's nonroot user, by number so that runAsNonRoot can verify it.
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/safetynet"]
CMD ["scan", "."]
