package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"golang.org/x/term"

	"gongwen/internal/render"
	"gongwen/internal/report"
)

const renderUsage = "usage: gongwen render FILE.json… [-o DIR] [-f pdf,docx,ofd]"

// renderResult is what rendering one input produced, printed in input order.
type renderResult struct {
	written  []string
	warnings []report.Problem
	err      error
}

func runRender(args []string, stdout, stderr io.Writer) int {
	dir, formatList := ".", "pdf,docx"
	var files []string
	onlyFiles := false
	// Flags may come before or after the files ("render x.json -o out").
	for i := 0; i < len(args); i++ {
		a := args[i]
		if onlyFiles || a == "-" || !strings.HasPrefix(a, "-") {
			files = append(files, a)
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		switch name {
		case "":
			if a == "--" {
				onlyFiles = true
				continue
			}
		case "h", "help":
			printHelp(stdout, "render")
			return exitOK
		case "o", "out", "f", "format", "formats":
			if !hasValue {
				if i+1 >= len(args) {
					fmt.Fprintf(stderr, "gongwen render: flag %s needs a value\n%s\n", a, renderUsage)
					return exitUsage
				}
				i++
				value = args[i]
			}
			if name == "o" || name == "out" {
				dir = value
			} else {
				formatList = value
			}
			continue
		}
		fmt.Fprintf(stderr, "gongwen render: unknown flag %s\n%s\n", a, renderUsage)
		return exitUsage
	}
	if len(files) == 0 {
		fmt.Fprintln(stderr, renderUsage)
		return exitUsage
	}
	formats, err := render.ParseFormats(formatList)
	if err != nil {
		fmt.Fprintf(stderr, "gongwen render: -f: %v\n%s\n", err, renderUsage)
		return exitUsage
	}
	if dir == "" {
		fmt.Fprintf(stderr, "gongwen render: -o needs a directory\n%s\n", renderUsage)
		return exitUsage
	}
	// Two inputs with the same name would overwrite each other's output.
	names := map[string]string{}
	for _, f := range files {
		if f == "-" {
			// Outputs are named after their input; standard input has no name.
			fmt.Fprintf(stderr, "gongwen render: cannot render standard input (-): outputs are named after the input file; save it as NAME.json\n%s\n", renderUsage)
			return exitUsage
		}
		n := outputName(f)
		if prev, ok := names[n]; ok {
			fmt.Fprintf(stderr, "gongwen render: %s and %s would both write %s.*\n", prev, f, filepath.Join(dir, n))
			return exitUsage
		}
		names[n] = f
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintf(stderr, "gongwen render: %v\n", err)
		return exitInvalid
	}

	// The schema, the fonts and the DOCX template load while the first inputs are read
	// and parsed (a render that needs them first waits for them; a failure is Render's
	// to report, with the same error).
	go render.WarmFor(formats)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	results := make([]renderResult, len(files))
	progress := newProgress(stderr, len(files))
	// One render per core; with fewer files than cores, each one's formats are drawn
	// concurrently on the cores left idle.
	cores := runtime.GOMAXPROCS(0)
	// The PDF and the DOCX stay in parts, written out one after the other: their font
	// files, most of them, are not copied into one buffer first, and the DOCX's
	// buffers go to the next render once its file is written (Output.Release).
	opts := render.Options{Concurrent: len(files) < cores, Parts: true}
	sem := make(chan struct{}, cores)
	var wg sync.WaitGroup
	for i, f := range files {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			results[i] = renderOne(ctx, f, dir, formats, opts)
			progress.done()
		}()
	}
	wg.Wait()
	progress.finish()

	code := exitOK
	for i, f := range files {
		r := results[i]
		printWarnings(stderr, f, r.warnings)
		// The files written, also beside an error writing another (commitAll).
		for _, w := range r.written {
			fmt.Fprintln(stdout, w)
		}
		if r.err != nil {
			printError(stdout, stderr, "render", f, r.err)
			code = exitInvalid
		}
	}
	return code
}

// outputName is the input's base name without its extension: examples/x.json → x.
func outputName(file string) string {
	base := filepath.Base(file)
	if n := strings.TrimSuffix(base, filepath.Ext(base)); n != "" {
		return n
	}
	return base
}

// renderOne renders one input and writes its files. render.Render does all the work;
// this only reads and writes files.
func renderOne(ctx context.Context, file, dir string, formats []render.Format, opts render.Options) renderResult {
	paths := make([]string, len(formats))
	for i, f := range formats {
		paths[i] = filepath.Join(dir, outputName(file)+"."+string(f))
	}
	// The output files are created while the input renders (creating a file is the
	// file system's work, not the CPU's: 1 ms a file on this project's ext4, a
	// quarter of a one-file process).
	ahead := make([]*tempFile, len(paths))
	for i, p := range paths {
		ahead[i] = createAhead(p)
	}
	res := renderResult{}
	data, err := readInput(file)
	if err == nil {
		var out *render.Output
		if out, err = render.RenderWith(ctx, data, formats, opts); err == nil {
			res.warnings = out.Warnings
			res.written, err = commitAll(ahead, paths, formats, out)
			out.Release() // the files are written (or failed): nothing reads out again
		}
	}
	for _, t := range ahead {
		if t != nil {
			t.discard()
		}
	}
	res.err = err
	return res
}

// commitAll writes every format's file, each through its temporary file, at once:
// a rename over a previous output is the file system's work, and not small on ext4
// (it writes the new file out and may discard the old one's blocks:
// scripts/bench.sh), which two files do side by side (a pdf,docx process over its
// previous outputs: 0.95-0.98 of the time of one file after the other, alternating
// runs). It answers with the paths written, in the formats' order, and the first
// format's error; the other formats' files are written all the same. The ahead
// entries are used up.
func commitAll(ahead []*tempFile, paths []string, formats []render.Format, out *render.Output) ([]string, error) {
	errs := make([]error, len(formats))
	commit := func(i int) {
		errs[i] = ahead[i].commit(paths[i], func(w io.Writer) error {
			_, err := out.WriteTo(formats[i], w)
			return err
		})
		ahead[i] = nil
	}
	if len(formats) == 1 {
		commit(0)
	} else {
		// Each in a goroutine of its own while this one waits: the last started runs
		// here, the others on the idle cores at once (a goroutine left as the next of
		// a running one waits out the scheduler's back-off first).
		var wg sync.WaitGroup
		for i := range formats {
			wg.Add(1)
			go func() {
				defer wg.Done()
				commit(i)
			}()
		}
		wg.Wait()
	}
	var written []string
	var err error
	for i, e := range errs {
		if e == nil {
			written = append(written, paths[i])
		} else if err == nil {
			err = e
		}
	}
	return written, err
}

// tempFile is an output's temporary file created ahead of the render.
type tempFile struct {
	done chan struct{} // closed once f and err are set
	f    *os.File
	err  error
}

func createAhead(path string) *tempFile {
	t := &tempFile{done: make(chan struct{})}
	go func() {
		defer close(t.done)
		t.f, t.err = createTemp(path)
	}()
	return t
}

// commit writes the file with write and renames it to path.
func (t *tempFile) commit(path string, write func(io.Writer) error) error {
	<-t.done
	if t.err != nil {
		return t.err
	}
	return commitTemp(t.f, path, write)
}

// discard removes the file of an output that is not written.
func (t *tempFile) discard() {
	<-t.done
	if t.err == nil {
		t.f.Close()
		os.Remove(t.f.Name())
	}
}

// writeFileAtomic writes through a temporary file and a rename, so that a reader
// never sees half a PDF.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := createTemp(path)
	if err != nil {
		return err
	}
	return commitTemp(tmp, path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// createTemp creates the temporary file writeFileAtomic writes path through.
func createTemp(path string) (*os.File, error) {
	return os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
}

// commitTemp writes tmp with write, closes it and renames it to path (or removes it).
func commitTemp(tmp *os.File, path string, write func(io.Writer) error) error {
	werr := write(tmp)
	cerr := tmp.Close()
	if werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Chmod(tmp.Name(), 0o644)
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), path)
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, werr)
	}
	return nil
}

// progress draws "rendering 3/10" on stderr, only when stderr is a terminal.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	n, of int
	on    bool
}

func newProgress(stderr io.Writer, of int) *progress {
	p := &progress{w: stderr, of: of}
	if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.on = true
		p.draw()
	}
	return p
}

func (p *progress) draw() { fmt.Fprintf(p.w, "\r渲染 rendering %d/%d", p.n, p.of) }

func (p *progress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	if p.on {
		p.draw()
	}
}

func (p *progress) finish() {
	if p.on {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
