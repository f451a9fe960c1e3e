// Node/V8 flags for the long-running processes (web, worker): written here once for the scripts
// that start them (tools/web-and-worker.ts, the bench), and in the same words in package.json's
// start scripts, the Dockerfile's command and docker-compose.yml's worker command (on the command
// line: Node refuses --heap-growing-percent in NODE_OPTIONS); tests/unit/node-flags.test.ts checks.
//
// --max-semi-space-size=16: V8 in Node 24 lets the young generation grow to 128 MB (two 64 MB
// semi-spaces) under steady allocation, and keeps it. A request's garbage dies young either way;
// 16 MB semi-spaces (Node 20's size) held about 90 MB less per web process after the benchmark,
// with no loss of throughput there (README "Benchmark").
//
// --heap-growing-percent=50: after each full collection V8 lets the old generation grow up to four
// times what survived before it collects again; a web process with 50-60 MB of live objects held
// 150-190 MB of heap after the benchmark. At 1.5 times it held 90-115 MB, RSS fell by about 100
// MB per web process (to 250-280 MB), and req/s stayed within the run-to-run noise (README
// "Benchmark"). It changes when V8 collects, not how much it may use: no new out-of-memory limit.
export const NODE_FLAGS = ["--max-semi-space-size=16", "--heap-growing-percent=50"] as const;
