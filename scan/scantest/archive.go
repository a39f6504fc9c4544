package scantest

import (
	"bytes"
	"errors"
	"strings"
)

// Archive is a txtar archive: a free-form comment followed by files, each
// introduced by a "-- name --" line.
type Archive struct {
	Comment []byte
	Files   []ArchiveFile
}

// ArchiveFile is one section of an archive.
type ArchiveFile struct {
	Name string
	Data []byte
	// Line is the line number of the "-- name --" marker, so line n of Data
	// is line Line+n of the archive.
	Line int
}

// File returns the section with the given name, or nil.
func (a *Archive) File(name string) *ArchiveFile {
	for i := range a.Files {
		if a.Files[i].Name == name {
			return &a.Files[i]
		}
	}
	return nil
}

// ParseArchive reads a txtar archive. A section name used twice is an error,
// since a fixture must be unambiguous.
func ParseArchive(data []byte) (*Archive, error) {
	a := &Archive{}
	cur := new(bytes.Buffer)
	flush := func() {
		b := bytes.Clone(cur.Bytes())
		if len(a.Files) == 0 {
			a.Comment = b
		} else {
			a.Files[len(a.Files)-1].Data = b
		}
		cur.Reset()
	}
	lines := bytes.SplitAfter(data, []byte("\n"))
	for i, line := range lines {
		if name, ok := marker(line); ok {
			flush()
			for _, f := range a.Files {
				if f.Name == name {
					return nil, errors.New("section " + name + " appears twice")
				}
			}
			a.Files = append(a.Files, ArchiveFile{Name: name, Line: i + 1})
			continue
		}
		cur.Write(line)
	}
	flush()
	return a, nil
}

// marker reports whether line is a "-- name --" section marker.
func marker(line []byte) (string, bool) {
	s := strings.TrimRight(string(line), "\r\n")
	if !strings.HasPrefix(s, "-- ") || !strings.HasSuffix(s, " --") || len(s) < 7 {
		return "", false
	}
	name := strings.TrimSpace(s[3 : len(s)-3])
	return name, name != ""
}
