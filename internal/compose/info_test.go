package compose

import (
	"testing"
	"time"
)

func TestInfo(t *testing.T) {
	doc := &Document{Title: "吴川市2023年法治政府建设年度报告", Author: "吴川市科工贸和信息化局", Subject: "吴川市科工贸和信息化局 2023年度报告", Year: 2023, Date: "2024-01-15"}
	got := doc.Info()
	want := Info{Title: doc.Title, Author: doc.Author, Subject: doc.Subject, Date: time.Date(2024, 1, 15, 0, 0, 0, 0, time.UTC)}
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	for _, c := range []struct {
		year int
		date string
		want string
	}{
		{2023, "", "2023-12-31"},
		{2023, "2024-13-01", "2023-12-31"}, // not a date: the year's last day
		{0, "", "2000-12-31"},
		{10000, "", "2000-12-31"},
	} {
		d := &Document{Year: c.year, Date: c.date}
		if got := d.Info().Date.Format(time.RFC3339); got != c.want+"T00:00:00Z" {
			t.Errorf("year %d, date %q: got %s, want %sT00:00:00Z", c.year, c.date, got, c.want)
		}
	}
}
