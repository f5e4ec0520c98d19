"""The Batch worker: reads its own chunk, runs the named task, writes outputs and its result."""
