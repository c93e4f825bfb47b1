package compose

import "time"

// Info is the document information the fixed-layout files carry (the PDF's
// information dictionary, the OFD's DocInfo): title, the issuer as author, subject,
// and the creation and modification date.
type Info struct {
	Title, Author, Subject string
	// Date comes from the report, never the clock, so that the same input gives the
	// same bytes.
	Date time.Time
}

// Info is the document's information: its date is the report's date, or 31 December
// of the year reported on when the report has none (the date the DOCX carries too).
func (d *Document) Info() Info {
	return Info{Title: d.Title, Author: d.Author, Subject: d.Subject, Date: d.date()}
}

func (d *Document) date() time.Time {
	if t, err := time.Parse("2006-01-02", d.Date); err == nil {
		return t
	}
	y := d.Year
	if y < 1 || y > 9999 {
		y = 2000
	}
	return time.Date(y, time.December, 31, 0, 0, 0, 0, time.UTC)
}
