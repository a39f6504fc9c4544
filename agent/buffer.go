package agent

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/safetynet-dev/safetynet/status"
)

// buffer is the on-disk queue of batches not yet taken by the server: one
// file per batch, named by a sequence number and its result count
// (00000000000000000042-17.json), so the order and the size are known
// without reading the files. It holds at most max results; beyond that
// the oldest batches are dropped, since fresh results matter more than
// old ones once the server has been away that long.
type buffer struct {
	dir string
	max int

	mu      sync.Mutex
	next    uint64
	entries []bufEntry // oldest first
	total   int        // results in entries
	dropped int        // results dropped since start, for logs and tests
}

type bufEntry struct {
	seq   uint64
	count int
}

func (e bufEntry) name() string { return fmt.Sprintf("%020d-%d.json", e.seq, e.count) }

// openBuffer reads the batches an earlier run left in dir.
func openBuffer(dir string, limit int) (*buffer, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("agent: buffer: %w", err)
	}
	names, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("agent: buffer: %w", err)
	}
	b := &buffer{dir: dir, max: limit}
	for _, de := range names {
		name := de.Name()
		if strings.HasPrefix(name, ".tmp-") {
			os.Remove(filepath.Join(dir, name)) // a write cut short by a crash
			continue
		}
		seqS, rest, ok := strings.Cut(strings.TrimSuffix(name, ".json"), "-")
		seq, err1 := strconv.ParseUint(seqS, 10, 64)
		count, err2 := strconv.Atoi(rest)
		if !ok || err1 != nil || err2 != nil || !strings.HasSuffix(name, ".json") {
			continue // not ours
		}
		b.entries = append(b.entries, bufEntry{seq, count})
		b.total += count
		b.next = max(b.next, seq+1)
	}
	sort.Slice(b.entries, func(i, j int) bool { return b.entries[i].seq < b.entries[j].seq })
	return b, nil
}

// newBatchID returns a random idempotency key.
func newBatchID() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("agent: batch id: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// add writes a batch of results, with a new id, after the others. The
// file is synced before it is renamed into place, so a crash leaves either
// the whole batch or none of it.
func (b *buffer) add(location string, results []status.Result) error {
	if len(results) == 0 {
		return nil
	}
	id, err := newBatchID()
	if err != nil {
		return err
	}
	raw, err := json.Marshal(status.AgentBatch{ID: id, Location: location, Results: results})
	if err != nil {
		return fmt.Errorf("agent: buffer: %w", err)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	e := bufEntry{b.next, len(results)}
	b.next++
	tmp, err := os.CreateTemp(b.dir, ".tmp-*")
	if err != nil {
		return fmt.Errorf("agent: buffer: %w", err)
	}
	_, err = tmp.Write(raw)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(b.dir, e.name()))
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("agent: buffer: write batch: %w", err)
	}
	b.entries = append(b.entries, e)
	b.total += e.count
	for b.total > b.max && len(b.entries) > 1 {
		old := b.entries[0]
		if err := os.Remove(filepath.Join(b.dir, old.name())); err != nil && !os.IsNotExist(err) {
			return fmt.Errorf("agent: buffer: drop oldest batch: %w", err)
		}
		b.entries = b.entries[1:]
		b.total -= old.count
		b.dropped += old.count
	}
	return nil
}

// oldest returns the oldest batch, and false when there is none. A batch
// file that cannot be read is dropped (it would block every later one).
func (b *buffer) oldest() (bufEntry, status.AgentBatch, bool, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.entries) == 0 {
		return bufEntry{}, status.AgentBatch{}, false, nil
	}
	e := b.entries[0]
	raw, err := os.ReadFile(filepath.Join(b.dir, e.name()))
	var batch status.AgentBatch
	if err == nil {
		err = json.Unmarshal(raw, &batch)
	}
	if err == nil {
		return e, batch, true, nil
	}
	os.Remove(filepath.Join(b.dir, e.name()))
	b.entries = b.entries[1:]
	b.total -= e.count
	b.dropped += e.count
	return bufEntry{}, status.AgentBatch{}, false, fmt.Errorf("agent: buffer: unreadable batch %s dropped: %w", e.name(), err)
}

// remove deletes a batch the server has taken.
func (b *buffer) remove(e bufEntry) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.entries) == 0 || b.entries[0].seq != e.seq {
		return nil // dropped meanwhile to make room
	}
	if err := os.Remove(filepath.Join(b.dir, e.name())); err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("agent: buffer: remove sent batch: %w", err)
	}
	b.entries = b.entries[1:]
	b.total -= e.count
	return nil
}

// size returns the batches and results waiting, and the results dropped.
func (b *buffer) size() (batches, results, dropped int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.entries), b.total, b.dropped
}
