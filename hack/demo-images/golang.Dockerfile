# golang:1.26 stand-in: the Debian base plus the host's Go toolchain (layer.tar).
ARG BASE
FROM ${BASE}
ARG HASH
ADD layer.tar /
ENV GOLANG_VERSION=1.26 GOTOOLCHAIN=local GOPATH=/go \
    PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
RUN mkdir -p /go/src /go/bin && chmod -R 1777 /go && go version
WORKDIR /go
LABEL dev.berth.demo-images=${HASH}
CMD ["bash"]
