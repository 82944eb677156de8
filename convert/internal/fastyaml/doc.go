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
//     empty values (null).
//
// # Declined
//
// Tabs, carriage returns, byte order marks and characters yaml.v4 treats
// specially (NEL, LS, PS, controls); anchors, aliases, tags (compose's
// !reset and !override), merge keys, directives, "?" complex keys, several
// documents or "..."; plain, quoted or flow scalars continued on the next
// line; duplicate keys; keys that do not resolve to strings ("80:",
// "true:"); timestamps, NaN, infinities and integers beyond int64; nesting
// deeper than 500 levels; and anything that yaml.v4 would reject.
//
// # Testing
//
// Whenever Parse accepts, the tests require yaml.v4 to decode the input
// without error to the same value (types, and floats bit for bit) and to
// give every node the same line. They do so for every compose file of the
// fixtures and of the shared corpus, for random compose-like documents
// with small mutations, and in a native fuzz test seeded with those files
// and tricky snippets, which also checks that Parse never panics.
package fastyaml
