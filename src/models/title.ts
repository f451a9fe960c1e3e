// titles: the catalog. Movies and series (seasons of episodes), with maturity, status and search keys.
import { Schema, type Connection, type HydratedDocument, type InferSchemaType } from "mongoose";
import { MATURITY_RATINGS } from "../lib/maturity.js";

export const TITLE_KINDS = ["movie", "series"] as const;
// "announced": published ahead of its release date (Coming soon); the release job makes it "published".
export const TITLE_STATUSES = ["draft", "announced", "published"] as const;

const introSchema = new Schema({ startSec: { type: Number, required: true }, endSec: { type: Number, required: true } }, { _id: false });

const episodeSchema = new Schema(
  {
    number: { type: Number, required: true, min: 1 },
    title: { type: String, required: true, trim: true },
    overview: { type: String, default: "" },
    runtimeMin: { type: Number, default: null },
    hlsUrl: { type: String, default: null },
    // The seek-preview track (WebVTT over a storyboard sprite) of a transcoded stream.
    thumbnailsUrl: { type: String, default: null },
    // Where the opening titles run, for "Skip intro".
    intro: { type: introSchema, default: null },
  },
  { _id: false },
);

const seasonSchema = new Schema(
  {
    number: { type: Number, required: true, min: 0 },
    title: { type: String, default: null },
    year: { type: Number, default: null },
    episodes: { type: [episodeSchema], default: [] },
  },
  { _id: false },
);

export const titleSchema = new Schema(
  {
    kind: { type: String, enum: TITLE_KINDS, required: true },
    slug: { type: String, required: true, unique: true, lowercase: true, trim: true },
    title: { type: String, required: true, trim: true },
    originalTitle: { type: String, default: null },
    // English overview; `overviewVi` is shown to Vietnamese readers when present.
    overview: { type: String, default: "" },
    overviewVi: { type: String, default: null },
    genres: { type: [String], default: [] },
    year: { type: Number, default: null },
    runtimeMin: { type: Number, default: null },
    maturity: { type: String, enum: MATURITY_RATINGS, required: true },
    voteAverage: { type: Number, default: null },
    popularity: { type: Number, default: 0 },
    posterUrl: { type: String, default: null },
    backdropUrl: { type: String, default: null },
    trailer: {
      type: new Schema({ youtubeKey: { type: String, default: null }, hlsUrl: { type: String, default: null } }, { _id: false }),
      default: null,
    },
    media: {
      type: new Schema({ hlsUrl: { type: String, default: null }, thumbnailsUrl: { type: String, default: null } }, { _id: false }),
      default: null,
    },
    seasons: { type: [seasonSchema], default: [] },
    // A film's intro markers (episodes carry their own).
    intro: { type: introSchema, default: null },
    // Subtitle tracks (WebVTT in media storage), per film ("main") or episode ("s1e2") and language.
    subtitles: {
      type: [
        new Schema(
          { episodeKey: { type: String, required: true }, lang: { type: String, required: true }, url: { type: String, required: true } },
          { _id: false },
        ),
      ],
      default: [],
    },
    status: { type: String, enum: TITLE_STATUSES, default: "draft" },
    publishedAt: { type: Date, default: null },
    // When an announced title becomes watchable (Coming soon shows it until then).
    releaseAt: { type: Date, default: null },
    source: {
      type: new Schema({ tmdbId: { type: Number, default: null }, demo: { type: Boolean, default: false } }, { _id: false }),
      default: () => ({}),
    },
    searchKeys: { type: [String], default: [] },
  },
  { timestamps: true },
);
// Genre pages and rows: keyset pagination on (popularity, _id) inside one genre.
titleSchema.index({ status: 1, genres: 1, popularity: -1, _id: -1 });
titleSchema.index({ status: 1, popularity: -1, _id: -1 });
titleSchema.index({ status: 1, year: -1, publishedAt: -1 });
titleSchema.index({ status: 1, searchKeys: 1 });
titleSchema.index({ "source.tmdbId": 1 });
titleSchema.index({ status: 1, releaseAt: 1 });

export type Title = InferSchemaType<typeof titleSchema>;
export type TitleDoc = HydratedDocument<Title>;

export function registerTitleModel(conn: Connection) {
  return conn.model("Title", titleSchema, "titles");
}
