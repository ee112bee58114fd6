/**
 * The mapping templates of `POST /events`, the API Gateway service integration that writes the
 * storefront's clickstream events to Kinesis (`PutRecords`) with no function in between.
 *
 * The texts here are what deploys, and `clickstream-ingest.test.ts` renders the same texts, read
 * back from the synthesized template, with velocityjs. Two rules keep them portable between API
 * Gateway (Apache Velocity, Java) and velocityjs (JavaScript):
 * - a double quote inside a Velocity string is `${q}` (`#set($q = '"')`), never Velocity's doubled
 *   quote escape, which velocityjs does not understand;
 * - only methods that mean the same on a Java and a JavaScript string are called: `replaceAll` with
 *   a search string that holds no regular-expression character, and a replacement with neither `$`
 *   nor `\`, replaces every occurrence literally in both.
 */

/**
 * `$util.escapeJavaScript` escapes `"`, `\`, `/`, control and non-ASCII characters the way JSON
 * does, but also turns `'` into `\'`, which JSON refuses. Every `'` in its output is preceded by the
 * backslash it added, so replacing `'` with `u0027` turns each `\'` into `\u0027`, the JSON escape of
 * `'`. `text` is a Velocity reference, such as `$item.sessionId`.
 */
function jsonEscaped(text: string): string {
  return `$util.escapeJavaScript(${text}).replaceAll("'", 'u0027')`;
}

/**
 * The request template: one Kinesis record per event of `{ "events": [...] }`, keyed by the
 * event's `sessionId` (a session's events stay in order on one shard). Each record's `Data` is the
 * base64 of exactly
 * `{"event":<the event as sent>,"receivedAt":<epoch ms>,"sourceIp":"<ip>","userAgent":"<user agent>"}`,
 * the shape the ClickstreamProcessor parses.
 *
 * @param streamName name of the clickstream stream (a token at synth time)
 */
export function putRecordsRequestTemplate(streamName: string): string {
  return [
    '## POST /events -> Kinesis PutRecords. See infra/constructs/clickstream-ingest-templates.ts.',
    `#set($q = '"')`,
    `#set($userAgent = '')`,
    `#if($context.identity.userAgent)#set($userAgent = ${jsonEscaped('$context.identity.userAgent')})#end`,
    `{"StreamName":"${streamName}","Records":[`,
    `#foreach($item in $input.path('$.events'))`,
    '#set($path = "$.events[$foreach.index]")',
    `#set($partitionKey = ${jsonEscaped('$item.sessionId')})`,
    '#set($data = "{${q}event${q}:$input.json($path),${q}receivedAt${q}:$context.requestTimeEpoch,' +
      '${q}sourceIp${q}:${q}$context.identity.sourceIp${q},${q}userAgent${q}:${q}$userAgent${q}}")',
    '{"Data":"$util.base64Encode($data)","PartitionKey":"$partitionKey"}#if($foreach.hasNext),#end',
    '#end',
    ']}',
  ].join('\n');
}

/**
 * The response template of a PutRecords answer (HTTP 200): how many events Kinesis accepted, how
 * many it refused, and which: `retry` lists the 0-based indexes, in the request's `events` order
 * (the order of its `Records`), of the records that came back with an `ErrorCode` (throttled or
 * failed). The client sends exactly those again; the processor does not deduplicate across
 * batches, so sending the whole batch again would count its accepted events twice.
 * `{"accepted":3,"failed":2,"retry":[0,3]}`, or `"retry":[]` when none failed.
 */
export const PUT_RECORDS_RESPONSE_TEMPLATE = [
  '## Kinesis PutRecords answer -> { "accepted": n, "failed": n, "retry": [index, ...] }',
  '#set($failed = 0)',
  `#if($input.path('$.FailedRecordCount'))#set($failed = $input.path('$.FailedRecordCount'))#end`,
  `#set($records = $input.path('$.Records'))`,
  '#set($accepted = $records.size() - $failed)',
  '#set($listed = 0)',
  '{"accepted":$accepted,"failed":$failed,"retry":[' +
    '#foreach($record in $records)#if($record.ErrorCode)#if($listed > 0),#end$foreach.index#set($listed = $listed + 1)#end#end' +
    ']}',
].join('\n');

/** Kinesis refused the request (4xx): our integration is wrong, not the client's request; a generic 500. */
export const INGEST_FAILED_TEMPLATE = '{"message":"Internal server error","requestId":"$context.requestId"}';

/** Kinesis failed (5xx): a 503, which the client may retry later. */
export const INGEST_UNAVAILABLE_TEMPLATE =
  '{"message":"Events cannot be received right now, try again later","requestId":"$context.requestId"}';
