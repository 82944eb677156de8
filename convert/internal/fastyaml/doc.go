// Package fastyaml is a small, fast parser for the subset of YAML that
// compose files nearly always use. It exists because the full loader is too
// slow for compose files with a thousand services.
//
// # The safety rule
//
// Parse either describes exactly the value that go.yaml.in/yaml/v4 (the
// parser compose-go uses) decodes into `any` for the same input, or it
// declines by returning ok=false. Declining is always safe: the caller then
// runs the full loader, which also produces the real error messages. So
// whenever this package is unsure about a construct, it declines.
//
// # Accepted
//
//   - one document, optionally starting with "---", whose top level is a
//     block mapping;
//   - block mappings and block sequences indented with spaces, including
//     "- key: value" items, "- - x" nested items and sequences at the same
//     indent as their parent key;
//   - plain scalars on one line, with yaml.v4's type resolution (numbers in
//     any form it reads, e.g. the octal "0440", get a decimal Value);
//   - single- and double-quoted scalars on one line, with yaml.v4's
//     escapes;
//   - literal and folded block scalars ("|", "|-", "|+", ">", ">-", ">+")
//     without an indentation indicator, folded exactly as yaml.v4 does;
//   - flow sequences and mappings of scalars, nested, over one or more
//     lines, with trailing commas and comments;
//   - keys that are plain or quoted strings, comments, blank lines and
//     empty values (null);
//   - anchors ("&name", with letters, digits, '-', '_' and '.') on values
//     after "key:" or "-", on block mapping keys and on flow entries;
//     aliases ("*name")
//     as values and flow entries; merge keys ("<<: *a", "<<: [*a, *b]",
//     "<<: {k: v}").
//
// # Anchors, aliases and merge keys
//
// They follow yaml.v4's decoding into `any`. An anchor defined again is
// replaced from then on (also by one nested inside it). An alias is a copy
// of the anchored Node that shares its Content: nothing is modified once
// built, and the caller must not modify the tree either. A merge key is
// resolved in place: the mapping's Content holds its own pairs first, in
// source order, then the pairs of the merged mappings whose keys are new,
// earlier mappings of a "<<" sequence first; "<<" itself is gone. Lines
// are yaml.v4's: an anchored node has the anchor's line, an alias copy the
// alias's (yaml.v4's alias node) and its children those of the anchored
// node's, merged pairs their own.
//
// Declined: an alias of an undefined anchor or inside its own anchor's
// node; an anchor on an alias, on a merge key, or with another anchor or a
// tag; an alias as a key; an anchor alone on a line but after "key:" or "-"; a merge of
// anything but a mapping or a sequence of mappings written in place (not
// null, a scalar, an alias of a sequence); "<<" twice in a mapping, quoted,
// or as a value; and aliases that would expand to far more nodes than the
// source holds (aliaslimit.go), well before yaml.v4's "excessive aliasing"
// check, so that alias bombs are declined in microseconds.
//
// # Declined
//
// Tabs, carriage returns, byte order marks and characters yaml.v4 treats
// specially (NEL, LS, PS, controls); tags (compose's !reset and
// !override), directives, "?" complex keys, several documents or "...";
// plain, quoted or flow scalars continued on the next line; duplicate keys;
// keys that do not resolve to strings ("80:", "true:"); timestamps, NaN,
// infinities and integers beyond int64; nesting deeper than 500 levels;
// the anchor and alias cases above; and anything that yaml.v4 would
// reject.
//
// # Testing
//
// Whenever Parse accepts, the tests require yaml.v4 to decode the input
// without error to the same value (types, and floats bit for bit) and to
// give every node the same line (through yaml.v4's aliases and merges as
// described above, which also checks the order of merged pairs). They do
// so for every compose file of the fixtures and of the shared corpus, for
// random compose-like documents with anchors, aliases, merge keys and
// small mutations, for documents around yaml.v4's aliasing limit, and in a
// native fuzz test seeded with those files and tricky snippets, which also
// checks that Parse never panics.
package fastyaml
