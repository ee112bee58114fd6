/**
 * Well-known crawlers, monitors and scripted clients. Their events still reach the analytics lake
 * (flagged `isBot`), but not the live aggregates or Personalize.
 */
const BOT_USER_AGENT =
  /bot\b|crawler|crawling|spider|slurp|facebookexternalhit|bingpreview|headlesschrome|phantomjs|lighthouse|pingdom|uptimerobot|python-requests|python-urllib|curl\/|wget\/|go-http-client|okhttp|java\/|scrapy|httpclient|axios\//i;

/** Whether `userAgent` names a bot. An absent user agent is not taken for one. */
export function isBotUserAgent(userAgent: string | undefined): boolean {
  return userAgent !== undefined && BOT_USER_AGENT.test(userAgent);
}
