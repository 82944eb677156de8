package promote

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"berth/store"
)

// WriteHistory prints promotions as a table: id, time, context, result, who,
// and what changed (with the error of failed ones).
func WriteHistory(w io.Writer, list []store.Promotion) error {
	if len(list) == 0 {
		_, err := fmt.Fprintln(w, "no promotions yet")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTIME\tCONTEXT\tENV\tRESULT\tBY\tCOMMIT\tSUMMARY")
	for _, p := range list {
		summary := describe(p.Diff)
		if p.Error != "" {
			summary += ": " + oneLine(p.Error, 160)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p.ID, p.Started.Format("2006-01-02 15:04:05"), p.Context,
			p.Env, p.Result, strings.TrimSpace(p.User+"@"+p.Host), short(p.GitCommit), summary)
	}
	return tw.Flush()
}

// oneLine squeezes a multi-line message into at most n characters.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		s = s[:n-3] + "..."
	}
	return s
}
