// A fake TMDB v3 on loopback: a real HTTP server whose answers each test sets, with a request log.
import http from "node:http";
import type { AddressInfo } from "node:net";

export type FakeHandler = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => void;

export interface FakeTmdb {
  baseUrl: string;
  requests: URL[];
  handle(path: string, handler: FakeHandler): void;
  close(): Promise<void>;
}

export const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
};

export async function startFakeTmdb(): Promise<FakeTmdb> {
  const handlers = new Map<string, FakeHandler>();
  const requests: URL[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    requests.push(url);
    const handler = handlers.get(url.pathname);
    if (handler) return handler(req, res, url);
    json(res, 404, { status_code: 34, status_message: "The resource you requested could not be found." });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/3`,
    requests,
    handle: (path, handler) => handlers.set(`/3/${path}`, handler),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function movieBody(id: number, overrides: Record<string, unknown> = {}) {
  return {
    id,
    title: "The Matrix",
    original_title: "The Matrix",
    overview: "A hacker learns the truth about his reality.",
    release_date: "1999-03-30",
    runtime: 136,
    genres: [
      { id: 28, name: "Action" },
      { id: 878, name: "Science Fiction" },
    ],
    poster_path: "/poster.jpg",
    backdrop_path: "/backdrop.jpg",
    vote_average: 8.2,
    popularity: 80.5,
    videos: {
      results: [
        { key: "vKQi3bBA1y8", site: "YouTube", type: "Trailer", official: true },
        { key: "zzzzzzzzzz", site: "Vimeo", type: "Trailer" },
      ],
    },
    release_dates: { results: [{ iso_3166_1: "US", release_dates: [{ certification: "R" }] }] },
    ...overrides,
  };
}
