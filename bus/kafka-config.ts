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
