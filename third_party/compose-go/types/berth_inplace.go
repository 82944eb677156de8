package types

// InPlace runs one of Project's With* functions on p without the deep copy
// it starts with, so p itself is changed. berth: the loader builds a fresh
// project and then called three With* functions on it, each copying every
// service; the loader owns that project, so nobody sees it change. Use it
// only with With* functions that do not read p after changing their copy.
func InPlace(p *Project, with func(*Project) (*Project, error)) (*Project, error) {
	p.inPlace = true
	q, err := with(p)
	p.inPlace = false
	if q != nil {
		q.inPlace = false
	}
	return q, err
}
