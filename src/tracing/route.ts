// The name of a request's span: its method and the route it matched.

/** What Express leaves on a request it routed: the matched route and the path it is mounted at. */
export interface RoutedRequest {
  method?: string;
  baseUrl?: string;
  route?: { path?: unknown };
}

/** The route pattern a request matched ("/admin" + "/payments/:id/approve"), or undefined (no route: a 404, a client request). */
export function routeOf(req: RoutedRequest): string | undefined {
  const path = req.route?.path;
  return typeof path === "string" ? `${req.baseUrl ?? ""}${path}` : undefined;
}
