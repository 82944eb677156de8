module github.com/go-viper/mapstructure/v2

go 1.18
