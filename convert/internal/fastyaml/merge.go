package fastyaml

// Merge keys, as yaml.v4 decodes them into `any` (its Constructor.merge):
// "<<: V" where V is a mapping (written in place or an alias), or a
// sequence written in place whose items are mappings (in place or
// aliases), adds to the mapping the pairs of those mappings whose keys it
// does not have yet: its own keys win, then earlier mappings of the
// sequence over later ones. A merged mapping already holds its own merges,
// so merging it is the same as yaml.v4's walk through nested merges. Any
// other V (null, a scalar, an alias of a sequence, a nested sequence) is an
// error for yaml.v4 and declined, and so is a second "<<" in one mapping,
// a duplicate key for yaml.v4.
//
// The resulting Content has the mapping's own pairs first, in source order,
// then the merged pairs in the order of their mappings; "<<" and its value
// are gone. The merged pairs are copies of the source nodes and keep their
// lines.

// mergedMapping closes the mapping open at mark, on line, whose "<<" has
// the value v: it checks the mapping's own pairs and adds the merged ones.
// (Apart from the common path, which it would slow down.)
func (p *parser) mergedMapping(mark, line int, v Node) (Node, bool) {
	if p.hasDuplicateKeys(p.nodes.pending[mark:]) || !p.merge(mark, v) {
		return Node{}, false
	}
	return Node{Kind: Mapping, Line: line, Content: p.nodes.close(mark)}, true
}

// mergeSources returns the mappings a "<<" value merges, in order.
func mergeSources(v Node) ([]Node, bool) {
	switch {
	case v.Kind == Mapping:
		return []Node{v}, true
	case v.Kind != Sequence || v.alias:
		return nil, false
	}
	for i := range v.Content {
		if v.Content[i].Kind != Mapping {
			return nil, false
		}
	}
	return v.Content, true
}

// merge adds to the pairs of the mapping open at mark those that v merges.
func (p *parser) merge(mark int, v Node) bool {
	sources, ok := mergeSources(v)
	if !ok {
		return false
	}
	// yaml.v4 decodes the "<<" pair and, once more, every key of the
	// mapping: count them for the alias limits.
	p.mergeExtra += 3 + (len(p.nodes.pending)-mark)/2
	n := len(p.nodes.pending) - mark
	for _, s := range sources {
		n += len(s.Content)
	}
	// A scan for few pairs, a set for many.
	useSet := n > 32
	if useSet {
		p.keySet(mark, n)
	}
	for _, s := range sources {
		for i := 0; i+1 < len(s.Content); i += 2 {
			if !p.newKey(mark, s.Content[i].Value, useSet) {
				continue
			}
			p.nodes.pending = append(p.nodes.pending, s.Content[i], s.Content[i+1])
			p.nodes.copied += 2
		}
	}
	return true
}

// keySet fills p.keys with the keys of the mapping open at mark.
func (p *parser) keySet(mark, n int) {
	if p.keys == nil {
		p.keys = make(map[string]struct{}, n/2)
	}
	clear(p.keys)
	kids := p.nodes.pending[mark:]
	for i := 0; i < len(kids); i += 2 {
		p.keys[kids[i].Value] = struct{}{}
	}
}

// newKey reports whether key is not yet among the keys of the mapping open
// at mark, which the caller then adds; with useSet it looks in p.keys,
// and adds it there. (No closure here: it would move the parser to the
// heap.)
func (p *parser) newKey(mark int, key string, useSet bool) bool {
	if useSet {
		if _, seen := p.keys[key]; seen {
			return false
		}
		p.keys[key] = struct{}{}
		return true
	}
	kids := p.nodes.pending[mark:]
	for i := 0; i < len(kids); i += 2 {
		if kids[i].Value == key {
			return false
		}
	}
	return true
}
