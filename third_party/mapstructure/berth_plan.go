package mapstructure

import (
	"reflect"
	"strings"
	"sync"
)

// berth: decodeStructFromMap read every field's StructField and parsed its
// tag on every decode; compose-go decodes thousands of structs of the same
// few types, so the tag reading is done once per type and kept here.

type tagOption int

const (
	tagOptionNone   tagOption = iota
	tagOptionSquash           // the first of squash/remain in the tag is squash
	tagOptionRemain           // ... is remain
)

// fieldPlan is what decodeStructFromMap reads from a struct field's type.
type fieldPlan struct {
	field  reflect.StructField
	tag    string // the field's tag for the decoder's TagName
	option tagOption
}

type planKey struct {
	t                 reflect.Type
	tagName, squashOp string
}

var structPlans sync.Map // planKey -> []fieldPlan

func (d *Decoder) structPlan(t reflect.Type) []fieldPlan {
	key := planKey{t, d.config.TagName, d.config.SquashTagOption}
	if plan, ok := structPlans.Load(key); ok {
		return plan.([]fieldPlan)
	}
	plan := make([]fieldPlan, t.NumField())
	for i := range plan {
		f := t.Field(i)
		tag := f.Tag.Get(d.config.TagName)
		plan[i] = fieldPlan{field: f, tag: tag, option: d.firstTagOption(tag)}
	}
	structPlans.Store(key, plan)
	return plan
}

// firstTagOption is upstream's loop over the tag's options: the first of
// the squash option and "remain" wins.
func (d *Decoder) firstTagOption(tag string) tagOption {
	_, options, _ := strings.Cut(tag, ",")
	for options != "" {
		var option string
		option, options, _ = strings.Cut(options, ",")
		if option == d.config.SquashTagOption {
			return tagOptionSquash
		}
		if option == "remain" {
			return tagOptionRemain
		}
	}
	return tagOptionNone
}
