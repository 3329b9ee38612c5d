import { z } from "zod";

/** Kafka connection settings; secrets come from the environment or a file, never from the config file. */
export const KafkaSettings = z.object({
  brokers: z.array(z.string().min(1)).min(1),
  clientId: z.string().default("gongfu"),
  ssl: z.boolean().default(false),
  sasl: z
    .object({
      mechanism: z.enum(["plain", "scram-sha-256", "scram-sha-512"]),
      username: z.string().min(1),
      password: z.string().min(1),
    })
    .optional(),
  /** Partitions for topics gongfu creates. */
  partitions: z.int().positive().default(3),
  replicationFactor: z.int().positive().default(1),
  /** Names this process among the members of its groups (part of the client id); fencing does not depend on it. */
  instanceId: z.string().min(1).default("0"),
  /** A consumer counts as idle after this long with nothing new (for `--until-idle` runs). */
  idleMs: z.int().positive().default(4000),
});
export type KafkaSettings = z.infer<typeof KafkaSettings>;

/**
 * The broker addresses and security (SSL, SASL) of a kafkajs client, shared by the bus and the command line's
 * short-lived admin clients, so the two always connect alike. kafkajs types SASL per mechanism; ours is checked above.
 */
export function kafkaConnection(settings: KafkaSettings): {
  brokers: string[];
  ssl: boolean;
  sasl?: never;
} {
  const { brokers, ssl, sasl } = settings;
  if (!sasl) return { brokers, ssl };
  const auth = { mechanism: sasl.mechanism, username: sasl.username, password: sasl.password };
  return { brokers, ssl, sasl: auth as never };
}
