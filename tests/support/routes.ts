// The routes an app registers, found by walking its router stack (the one non-root mount is /admin).
import type { Express } from "express";

type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] }; slash?: boolean };

export interface AppRoute {
  method: string;
  path: string;
}

export function appRoutes(app: Express): AppRoute[] {
  const out: AppRoute[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route)
        for (const method of Object.keys(layer.route.methods))
          out.push({ method, path: prefix + (layer.route.path === "/" && prefix ? "" : layer.route.path) });
      else if (layer.handle?.stack) walk(layer.handle.stack, layer.slash === false ? "/admin" : prefix);
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, "");
  return out;
}
