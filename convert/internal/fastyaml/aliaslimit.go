package fastyaml

// Alias limits. yaml.v4 fails with "excessive aliasing" when, at any point
// of its decoding, more than 100 of the nodes it has decoded came through
// aliases, it has decoded more than 1000, and those through aliases are
// more than 99% of them (for up to 400,000 decoded nodes; less beyond).
// Parse declines well before that could happen, by keeping, in document
// order:
//
//   - aliased: the nodes that aliases expand to, each alias counting every
//     node of its anchor as expanded (nested aliases included), which is at
//     least what yaml.v4 decodes through aliases up to the same point;
//   - own: the nodes of the source outside merge values, which yaml.v4
//     decodes without aliases; it decodes merge values last in their
//     mapping, so it may not have reached those yet;
//   - expandedCount: all nodes with aliases expanded, plus what yaml.v4
//     decodes twice for merges, which bounds yaml.v4's total.
//
// Once aliased exceeds 100, it must stay within aliasFactor times own
// (yaml.v4 allows 99 times), and expandedCount within maxExpanded, below
// the 400,000 where yaml.v4 starts allowing less. compose-go's own cap
// counts each anchored node once, so aliases add nothing to it. Both also
// bound the time and memory of a bomb: Parse stops counting as soon as a
// limit is passed, and alias copies share their nodes.
const (
	freeAliased = 100
	aliasFactor = 50
	maxExpanded = 300_000
)

// expandedCount is the number of nodes so far with aliases expanded.
func (p *parser) expandedCount() int {
	return p.nodes.pushed() + p.aliased + p.mergeExtra
}

// own is the number of nodes so far outside merge values.
func (p *parser) own() int {
	if p.mergeDepth > 0 {
		return p.mergeMark - p.mergePushed
	}
	return p.nodes.pushed() - p.mergePushed
}

// aliasesOK reports whether the aliases so far keep within the limits.
func (p *parser) aliasesOK() bool {
	if p.aliased <= freeAliased {
		return true
	}
	return p.aliased <= aliasFactor*p.own() && p.expandedCount() <= maxExpanded
}

// enterMerge and leaveMerge bracket the parsing of a merge value, whose
// nodes do not count as own.
func (p *parser) enterMerge() {
	if p.mergeDepth == 0 {
		p.mergeMark = p.nodes.pushed()
	}
	p.mergeDepth++
}

func (p *parser) leaveMerge() {
	if p.mergeDepth--; p.mergeDepth == 0 {
		p.mergePushed += p.nodes.pushed() - p.mergeMark
	}
}
