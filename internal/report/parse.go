package report

import "errors"

// Parse decodes, validates and normalises a report. warnings lists what it changed
// (for example a heading number it removed). When the input is invalid, err is a
// *InvalidError with every problem found.
func Parse(data []byte) (r *Report, warnings []Problem, err error) {
	return nil, nil, errors.New("report: not implemented yet (issue 2)")
}
