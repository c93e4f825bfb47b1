package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gongwen/internal/importer"
	"gongwen/internal/report"
)

func runImport(args []string, stdout, stderr io.Writer) int {
	var files []string
	out := ""
	var opts importer.Options
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "gongwen import: "+format+"\n", a...)
		printHelp(stderr, "import")
		return exitUsage
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "-" || !strings.HasPrefix(a, "-") {
			files = append(files, a)
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		switch name {
		case "h", "help":
			printHelp(stdout, "import")
			return exitOK
		case "keep-numbers":
			opts.KeepNumbers = true
			continue
		case "o", "out", "merged-cells":
			if !hasValue {
				if i+1 >= len(args) {
					return usageErr("flag %s needs a value", a)
				}
				i++
				value = args[i]
			}
			if name == "merged-cells" {
				switch value {
				case "split":
				case "error":
					opts.MergedCellsError = true
				default:
					return usageErr("-merged-cells must be split or error, not %q", value)
				}
			} else {
				out = value
			}
			continue
		}
		return usageErr("unknown flag %s", a)
	}
	if len(files) != 1 {
		return usageErr("give one input file (or - for standard input)")
	}
	file := files[0]
	data, err := readImport(file)
	if err != nil {
		printError(stdout, stderr, "import", file, err)
		return exitInvalid
	}
	res, err := importer.Import(data, opts)
	if err != nil {
		printError(stderr, stderr, "import", file, err)
		printImportWarnings(stderr, file, err)
		return exitInvalid
	}
	printSummary(stderr, file, res)
	for _, w := range res.Warnings {
		fmt.Fprintf(stderr, "%s: %s: warning: %s\n", file, w.Place, w.Message)
	}
	if out == "" {
		if _, err := stdout.Write(res.JSON); err != nil {
			fmt.Fprintf(stderr, "gongwen import: %v\n", err)
			return exitInvalid
		}
		return exitOK
	}
	if dir := filepath.Dir(out); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			fmt.Fprintf(stderr, "gongwen import: %v\n", err)
			return exitInvalid
		}
	}
	if err := writeFileAtomic(out, res.JSON); err != nil {
		fmt.Fprintf(stderr, "gongwen import: %v\n", err)
		return exitInvalid
	}
	fmt.Fprintf(stderr, "%s: wrote %s (next: gongwen render %s)\n", file, out, out)
	return exitOK
}

// printImportWarnings prints what the import changed before it failed.
func printImportWarnings(w io.Writer, file string, err error) {
	var inv *report.InvalidError
	if errors.As(err, &inv) {
		printWarnings(w, file, inv.Warnings)
	}
}

// printSummary prints what the import inferred, for the user to check at a glance.
func printSummary(w io.Writer, file string, res *importer.Result) {
	s := res.Summary
	src := "text"
	if s.Source == "docx" {
		src = "DOCX"
	}
	fmt.Fprintf(w, "%s: imported from %s\n", file, src)
	fmt.Fprintf(w, "  title      %s\n", strings.ReplaceAll(s.Title, "\n", " / "))
	fmt.Fprintf(w, "  issuer     %s\n", s.Issuer)
	fmt.Fprintf(w, "  year       %d\n", s.Year)
	if s.Date != "" {
		fmt.Fprintf(w, "  date       %s (signature: issuer and date)\n", s.Date)
	} else {
		fmt.Fprintf(w, "  date       none (no signature block)\n")
	}
	if s.Addressee != "" {
		fmt.Fprintf(w, "  addressee  %s\n", s.Addressee)
	}
	fmt.Fprintf(w, "  sections   %d level 1, %d level 2, %d level 3, %d level 4\n", s.Sections[0], s.Sections[1], s.Sections[2], s.Sections[3])
	fmt.Fprintf(w, "  blocks     %d paragraphs, %d tables, %d attachments\n", s.Paragraphs, s.Tables, s.Attachments)
	fmt.Fprintf(w, "  numbering  %s\n", s.Numbering)
	if s.Organ != "" {
		fmt.Fprintf(w, "  document   %s %s (版头)\n", s.Organ, s.Number)
	}
	if s.AttachmentPages > 0 {
		fmt.Fprintf(w, "  pages      %d attachment page(s)\n", s.AttachmentPages)
	}
	if s.Note != "" {
		fmt.Fprintf(w, "  note       （%s）\n", s.Note)
	}
	if s.Sealed {
		fmt.Fprintf(w, "  seal       the signature is sealed (picture imported)\n")
	}
	fmt.Fprintf(w, "  changes    %d (listed below)\n", len(res.Warnings))
}

// readImport reads an input to import: up to importer.MaxDOCXBytes, since a Word
// file with embedded fonts is far larger than report JSON; a text input over 2 MB
// is refused by importer.Text itself.
func readImport(name string) ([]byte, error) {
	r := io.Reader(stdin)
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > importer.MaxDOCXBytes {
			return nil, importer.TooLarge(st.Size())
		}
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, importer.MaxDOCXBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > importer.MaxDOCXBytes {
		return nil, importer.TooLarge(int64(len(data)))
	}
	return data, nil
}
