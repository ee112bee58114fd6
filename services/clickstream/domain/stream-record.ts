/** One record of the clickstream stream, as the processor receives it (free of Lambda's types). */
export interface StreamRecord {
  /** The shard the record was read from, such as `shardId-000000000000`. */
  readonly shardId: string;
  /** Its sequence number in the shard: a decimal string that grows with each record. */
  readonly sequenceNumber: string;
  readonly partitionKey: string;
  /** The record's data, base64. */
  readonly data: string;
  /** When Kinesis received it. */
  readonly arrivedAt: Date;
}
