// The shape of a bundled demo title: real facts plus overviews we wrote in English and Vietnamese.
import type { MaturityRating } from "../../../lib/maturity.js";
import type { Genre } from "../genres.js";

export interface DemoFilm {
  title: string;
  originalTitle?: string;
  year: number;
  runtimeMin: number;
  genres: Genre[];
  /**
   * MPAA rating where the film has one; for films released before the 1968 rating system, the
   * rating a modern streaming service would give it on the same scale (our own judgement).
   */
  maturity: MaturityRating;
  /** Our demo ranking (0..100) that orders rows until real plays come in. */
  popularity: number;
  en: string;
  vi: string;
}

export interface DemoSeason {
  number: number;
  title: string;
  year: number;
  /** Chapter titles in order, with the runtime of each chapter in minutes. */
  episodes: [string, number][];
}

export interface DemoSeries {
  title: string;
  year: number;
  genres: Genre[];
  maturity: MaturityRating;
  popularity: number;
  en: string;
  vi: string;
  seasons: DemoSeason[];
}
