// Node/V8 flags for the long-running processes (web, worker): written here once for the scripts
// that start them (tools/web-and-worker.ts, the bench), and in the same words in package.json's
// start scripts, the Dockerfile and docker-compose.yml (tests/unit/node-flags.test.ts checks).
//
// --max-semi-space-size=16: V8 in Node 24 lets the young generation grow to 128 MB (two 64 MB
// semi-spaces) under steady allocation, and keeps it. A request's garbage dies young either way;
// 16 MB semi-spaces (Node 20's size) held about 90 MB less per web process after the benchmark,
// with no loss of throughput there (README "Benchmark").
export const NODE_FLAGS = ["--max-semi-space-size=16"] as const;
