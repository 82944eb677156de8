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
//   - plain scalars on one line, single- and double-quoted scalars on one
//     line (with yaml.v4's escapes), literal and folded block scalars
//     ("|", "|-", "|+", ">", ">-", ">+") without an indentation indicator;
//   - flow sequences and flow mappings on one line, nested, of scalars;
//   - comments, blank lines and empty values (null).
//
// # Declined
//
// Tabs, carriage returns, byte order marks and characters yaml.v4 treats
// specially (NEL, LS, PS, controls); anchors, aliases, tags, merge keys,
// directives, complex keys, several documents or "..."; multi-line plain,
// quoted or flow scalars; duplicate keys; keys that do not resolve to
// strings; plain scalars whose type resolution is unusual (timestamps,
// octal, hex, "1_000", "1e3", ".5", "+1", ".inf", ints beyond int64) and
// anything that yaml.v4 would reject.
//
// # Testing
//
// A differential test decodes every compose file of the fixtures and of
// the shared corpus with both parsers and requires equal values (and
// equal lines) whenever Parse accepts; a native fuzz test does the same on
// random inputs seeded with those files, and checks that Parse never
// panics.
package fastyaml
