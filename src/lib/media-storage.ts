// Where finished media lives: one small interface, local disk under media/ today. An S3-compatible
// bucket behind a CDN implements the same four calls (upload a folder under a key prefix, write one
// object, list a prefix, delete a prefix) and answers `url` with the CDN's address.
import { cp, mkdir, readdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Config } from "../config.js";
import { projectRoot } from "./paths.js";

export interface MediaStorage {
  /** Stores a finished local folder under `key` ("library/<slug>/<version>"), whole or not at all. */
  putDir(localDir: string, key: string): Promise<void>;
  /** Stores one file (a subtitle track) under `key`. */
  putFile(key: string, body: string | Buffer): Promise<void>;
  /** The names directly under `prefix` ("library/<slug>" -> its versions). */
  list(prefix: string): Promise<string[]>;
  /** Deletes everything under `key`. */
  remove(key: string): Promise<void>;
  /** The address players fetch `key` from. */
  url(key: string): string;
}

const SAFE_KEY = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

function checkKey(key: string): string {
  if (!SAFE_KEY.test(key) || key.split("/").some((p) => p === "." || p === "..")) throw new Error(`unsafe media key: ${key}`);
  return key;
}

/** Media on local disk under `root`, served by the app at /media. */
export function localMediaStorage(root: string): MediaStorage {
  const abs = (key: string) => path.join(root, checkKey(key));
  return {
    async putDir(localDir, key) {
      const target = abs(key);
      await mkdir(path.dirname(target), { recursive: true });
      // Copied beside the target first, then renamed into place: readers never see half a folder.
      const staging = `${target}.partial-${process.pid}-${Date.now()}`;
      await rm(staging, { recursive: true, force: true });
      await cp(localDir, staging, { recursive: true });
      await rm(target, { recursive: true, force: true });
      await rename(staging, target);
    },
    async putFile(key, body) {
      const target = abs(key);
      await mkdir(path.dirname(target), { recursive: true });
      const staging = `${target}.partial-${process.pid}`;
      await writeFile(staging, body);
      await rename(staging, target);
    },
    async list(prefix) {
      try {
        return (await readdir(abs(prefix), { withFileTypes: true })).filter((d) => !d.name.includes(".partial-")).map((d) => d.name);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
        throw err;
      }
    },
    async remove(key) {
      await rm(abs(key), { recursive: true, force: true });
    },
    url(key) {
      return `/media/${checkKey(key)}`;
    },
  };
}

/** The media folder: MEDIA_DIR, or <project>/media. */
export function mediaRoot(config: Pick<Config, "catalog">): string {
  return path.resolve(config.catalog.mediaDir ?? path.join(projectRoot, "media"));
}
