package report

import "context"

// stopEvery is how many values a parse pass handles between looks at its context:
// a 2 MB input has some hundreds of thousands, and a look costs about as much as one.
const stopEvery = 1024

// stopper lets a recursive parse pass stop when its context ends: poll unwinds the
// pass with a stopped panic, which the pass's entry (stoppable, decodeTree) turns
// back into ctx's error. A nil stopper never stops.
type stopper struct {
	ctx context.Context
	n   int
}

type stopped struct{ err error }

func (s *stopper) poll() {
	if s == nil {
		return
	}
	s.n++
	if s.n%stopEvery == 0 {
		if err := s.ctx.Err(); err != nil {
			panic(stopped{err})
		}
	}
}

// stoppable runs f, returning ctx's error if a stopper stopped it; any other panic
// goes on.
func stoppable(f func()) (err error) {
	defer func() {
		if p := recover(); p != nil {
			s, ok := p.(stopped)
			if !ok {
				panic(p)
			}
			err = s.err
		}
	}()
	f()
	return nil
}
