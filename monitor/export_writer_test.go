package monitor

// SetWriteBacklog lowers the writer's backlog bound, so a test can reach
// it; call it before Run.
func SetWriteBacklog(m *Monitor, n int) { m.writer.max = n }
