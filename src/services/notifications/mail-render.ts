// Renders a mail's content through the one mail layout, as HTML and as plain text. The layout
// styles inline on purpose: mail clients drop <style> blocks and linked CSS, and a mail is never
// served by the site, so the pages' CSP (no inline styles) does not apply to it.
import { Eta } from "eta";
import { viewsDir } from "../../lib/paths.js";
import type { Locale } from "../../lib/i18n.js";
import type { MailContent } from "./mail-content.js";

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

/** Made per send (mail is rare next to pages); the text version must not be HTML-escaped. */
export function renderMail(content: MailContent, locale: Locale): RenderedMail {
  const html = new Eta({ views: viewsDir, autoEscape: true, autoTrim: [false, "nl"] });
  const text = new Eta({ views: viewsDir, autoEscape: false, autoTrim: [false, "nl"] });
  const data = { ...content, locale };
  return {
    subject: content.subject,
    html: html.render("./mail/layout", { ...data, format: "html" }),
    text: text.render("./mail/layout", { ...data, format: "text" }).trim() + "\n",
  };
}
