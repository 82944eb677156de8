module github.com/compose-spec/compose-go/v2

go 1.24

require (
	github.com/distribution/reference v0.5.0
	github.com/docker/go-connections v0.4.0
	github.com/docker/go-units v0.5.0
	github.com/go-viper/mapstructure/v2 v2.4.0
	github.com/google/go-cmp v0.5.9
	github.com/mattn/go-shellwords v1.0.12
	github.com/opencontainers/go-digest v1.0.0
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.1
	github.com/sirupsen/logrus v1.10.1
	github.com/xhit/go-str2duration/v2 v2.1.0
	go.yaml.in/yaml/v4 v4.0.0-rc.4
	golang.org/x/sync v0.3.0
	golang.org/x/text v0.14.0
	gotest.tools/v3 v3.5.2
)

require (
	github.com/stretchr/testify v1.12.1 // indirect
	golang.org/x/sys v0.13.0 // indirect
)
