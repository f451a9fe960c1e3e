// The demo titles' own streams (tools/make-demo-media.ts makes them at set-up into media/titles/)
// and their English and Vietnamese subtitles.

/** How long each demo title's stream runs. */
export const DEMO_TITLE_SECONDS = 6;

export const demoStreamDir = (slug: string) => `titles/${slug}`;

function cue(start: number, end: number, text: string): string {
  return `00:00:0${start}.000 --> 00:00:0${end}.000\n${text}`;
}

/** The subtitle files of a demo title's stream, WebVTT by language. */
export function demoSubtitles(title: string): Record<"en" | "vi", string> {
  return {
    en: ["WEBVTT", "", cue(0, 3, `Now playing: ${title}`), "", cue(3, DEMO_TITLE_SECONDS, "A short demo stream for this title."), ""].join("\n"),
    vi: ["WEBVTT", "", cue(0, 3, `Đang phát: ${title}`), "", cue(3, DEMO_TITLE_SECONDS, "Một đoạn phát thử ngắn cho nội dung này."), ""].join("\n"),
  };
}
