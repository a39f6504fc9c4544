package codepipeline

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
	"testing/fstest"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/safetynet-dev/safetynet/scan"
)

// Limits bound what one artifact can make the function download and
// decompress. The defaults fit a 1 GB function with room for the scan.
type Limits struct {
	// ArtifactBytes is the largest zip downloaded.
	ArtifactBytes int64
	// FileBytes is the largest uncompressed size of one file read from it.
	FileBytes int64
	// TotalBytes is the largest uncompressed size of all files read.
	TotalBytes int64
	// Ratio is the largest uncompressed-to-compressed ratio of a file
	// larger than RatioFloor; templates compress about ten to one, bombs
	// a thousand to one.
	Ratio int64
	// RatioFloor exempts small files from Ratio: a few kilobytes of
	// whitespace compress very well and harm nobody.
	RatioFloor int64
	// Files is the most files scanned from one artifact.
	Files int
}

// DefaultLimits are used for every zero field of Config.Limits.
var DefaultLimits = Limits{
	ArtifactBytes: 128 << 20,
	FileBytes:     scan.DefaultMaxFileSize,
	TotalBytes:    64 << 20,
	Ratio:         100,
	RatioFloor:    1 << 20,
	Files:         10000,
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	if l.ArtifactBytes > 0 {
		d.ArtifactBytes = l.ArtifactBytes
	}
	if l.FileBytes > 0 {
		d.FileBytes = l.FileBytes
	}
	if l.TotalBytes > 0 {
		d.TotalBytes = l.TotalBytes
	}
	if l.Ratio > 0 {
		d.Ratio = l.Ratio
	}
	if l.RatioFloor > 0 {
		d.RatioFloor = l.RatioFloor
	}
	if l.Files > 0 {
		d.Files = l.Files
	}
	return d
}

// errUnsafeArtifact marks an artifact refused as a whole: an archive that
// tries to escape its folder, hides a link or expands without bound is not
// scanned at all, so nothing in it can be trusted to have been checked.
var errUnsafeArtifact = errors.New("unsafe artifact")

// artifact is an opened input artifact: its files by cleaned name, and the
// running total of bytes read from it.
type artifact struct {
	name   string // the input artifact's name in the pipeline
	files  map[string]*zip.File
	names  []string // sorted, files only
	limits Limits
	read   int64
}

// openArtifact reads the zip's directory and checks every name. Sizes are
// checked later, for the files actually read: a large image elsewhere in a
// source artifact is no reason to refuse it.
func openArtifact(name string, data []byte, limits Limits) (*artifact, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	// ErrInsecurePath comes with a usable reader; the names are checked
	// below with the reason spelled out.
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, fmt.Errorf("input artifact %q is not a readable zip file: %w", name, err)
	}
	a := &artifact{name: name, files: map[string]*zip.File{}, limits: limits}
	for _, f := range zr.File {
		clean, err := entryName(f.Name)
		if err != nil {
			return nil, fmt.Errorf("%w: input artifact %q: entry %q %v", errUnsafeArtifact, name, f.Name, err)
		}
		if f.Mode().IsDir() || strings.HasSuffix(f.Name, "/") {
			continue
		}
		if _, dup := a.files[clean]; dup {
			return nil, fmt.Errorf("%w: input artifact %q holds %q twice, so which copy was scanned would be a guess", errUnsafeArtifact, name, clean)
		}
		a.files[clean] = f
		a.names = append(a.names, clean)
	}
	sort.Strings(a.names)
	return a, nil
}

// entryName checks one name from the zip and returns it cleaned. Backslashes
// are read as separators, as Windows archivers write them.
func entryName(raw string) (string, error) {
	n := strings.ReplaceAll(raw, `\`, "/")
	if strings.HasPrefix(n, "/") || (len(n) >= 2 && n[1] == ':') {
		return "", errors.New("is an absolute path")
	}
	for _, el := range strings.Split(n, "/") {
		if el == ".." {
			return "", errors.New("climbs out of the archive with \"..\"")
		}
	}
	n = strings.TrimPrefix(path.Clean(n), "./")
	if !fs.ValidPath(n) || n == "." {
		return "", errors.New("is not a valid file name")
	}
	return n, nil
}

// selectTemplates lists the files to scan: those matching pattern, or, with
// no pattern, those a directory scan would read.
func (a *artifact) selectTemplates(pattern string, exclude []string) ([]string, error) {
	var out []string
	if pattern != "" {
		for _, n := range a.names {
			if ok, _ := doublestar.Match(pattern, n); ok && !scan.Excluded(n, exclude) {
				out = append(out, n)
			}
		}
	} else {
		var err error
		if out, err = a.discover(".", exclude); err != nil {
			return nil, fmt.Errorf("input artifact %q: %w", a.name, err)
		}
	}
	if len(out) > a.limits.Files {
		return nil, fmt.Errorf("%w: %d files in input artifact %q match, more than the %d scanned at once; narrow the pattern", errUnsafeArtifact, len(out), a.name, a.limits.Files)
	}
	return out, nil
}

// readFile reads one file under the limits. The sizes in the zip's
// directory are checked before decompressing anything; archive/zip then
// refuses data that runs past the declared size, and the limited reader
// below is a second guard.
func (a *artifact) readFile(name string) ([]byte, error) {
	f, ok := a.files[name]
	if !ok {
		return nil, fs.ErrNotExist
	}
	mode := f.Mode()
	switch {
	case mode&fs.ModeSymlink != 0:
		return nil, fmt.Errorf("%w: %s in input artifact %q is a symbolic link; links in artifacts are not followed", errUnsafeArtifact, name, a.name)
	case !mode.IsRegular():
		return nil, fmt.Errorf("%w: %s in input artifact %q is not a regular file (mode %v)", errUnsafeArtifact, name, a.name, mode)
	}
	l := a.limits
	size := f.UncompressedSize64
	if size > uint64(l.FileBytes) {
		return nil, fmt.Errorf("%w: %s in input artifact %q expands to %d bytes, over the %d-byte limit for one file", errUnsafeArtifact, name, a.name, size, l.FileBytes)
	}
	if size > uint64(l.RatioFloor) && size/max(f.CompressedSize64, 1) > uint64(l.Ratio) {
		return nil, fmt.Errorf("%w: %s in input artifact %q expands %d times (%d bytes from %d), over the %d:1 limit: this looks like a zip bomb", errUnsafeArtifact, name, a.name, size/max(f.CompressedSize64, 1), size, f.CompressedSize64, l.Ratio)
	}
	if a.read+int64(size) > l.TotalBytes {
		return nil, fmt.Errorf("%w: the files read from input artifact %q expand to more than the %d-byte total limit (at %s)", errUnsafeArtifact, a.name, l.TotalBytes, name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("input artifact %q: %s: %w", a.name, name, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, int64(size)+1))
	if errors.Is(err, zip.ErrFormat) || errors.Is(err, zip.ErrChecksum) {
		return nil, fmt.Errorf("%w: %s in input artifact %q is corrupt or does not match its header (%v)", errUnsafeArtifact, name, a.name, err)
	}
	if err != nil {
		return nil, fmt.Errorf("input artifact %q: %s: %w", a.name, name, err)
	}
	if uint64(len(data)) > size {
		return nil, fmt.Errorf("%w: %s in input artifact %q holds more data than its header declares", errUnsafeArtifact, name, a.name)
	}
	a.read += int64(len(data))
	return data, nil
}

// discover lists the templates under root as `safetynet scan DIR` would,
// walking the names alone so that the extensions and skipped folders stay
// defined in one place. Every file is listed as regular here, so that a
// link with a template's name is selected and then refused by readFile,
// not passed over.
func (a *artifact) discover(root string, exclude []string) ([]string, error) {
	tree := fstest.MapFS{}
	for _, n := range a.names {
		tree[n] = &fstest.MapFile{}
	}
	return scan.Discover(tree, root, func(p string) bool { return scan.Excluded(p, exclude) })
}

// sample lists up to n of the artifact's file names, for messages that say
// what was there instead of what was wanted.
func (a *artifact) sample(n int) string {
	if len(a.names) == 0 {
		return "it holds no files"
	}
	list := a.names
	more := ""
	if len(list) > n {
		list = list[:n]
		more = fmt.Sprintf(", … (%d files in all)", len(a.names))
	}
	return "it holds " + strings.Join(list, ", ") + more
}
