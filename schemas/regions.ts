// Resolves the many ways sources spell a region (code, 杭州市, 杭州, Hangzhou City) to one catalog entry.
import { memoize } from "./memo.ts";
import { defaultCatalog } from "./catalog.ts";
import type { Catalog } from "./catalog.ts";
import type { Region } from "./catalog-schemas.ts";
import type { FeedSpec } from "./feed-spec.ts";
import { codeKey, nameKey, similarity, stripSuffix } from "./region-names.ts";

// Only the key function is public: the distance helpers are generic names that would crowd schemas/index.ts.
export { nameKey as regionNameKey, similarity as textSimilarity } from "./region-names.ts";

/** A near match offered when an input is unknown or ambiguous; `score` is a similarity in [0, 1]. */
export interface RegionCandidate {
  readonly code: string;
  readonly nameZh: string;
  readonly score: number;
}

export type RegionResolution =
  | { readonly ok: true; readonly region: Region }
  | {
      readonly ok: false;
      readonly reason: "unknown" | "ambiguous";
      /** The string that failed: the input, or the parent hint when the hint itself did not resolve. */
      readonly input: string;
      readonly candidates: readonly RegionCandidate[];
    };

export interface ResolveOptions {
  /** A region (any spelling) the answer must lie within; used to settle ambiguous names. */
  readonly parent?: string;
}

/** A lookup key shared by several regions; such a key only resolves with a parent hint. */
export interface RegionCollision {
  readonly key: string;
  readonly codes: readonly string[];
}

export interface RegionResolver {
  resolve(input: string, options?: ResolveOptions): RegionResolution;
  collisions(): readonly RegionCollision[];
}

/** The comparable keys of a region: code, full name, short name and pinyin. */
export function regionKeys(region: Region): string[] {
  return [...new Set([region.code, nameKey(region.nameZh), nameKey(region.nameShort), nameKey(region.pinyin)])];
}

/** Another spelling (or an old code) of a region, by the code of the region it stands for. */
export interface AliasEntry {
  readonly alias: string;
  readonly code: string;
}

/**
 * A resolver over `regions`; `aliases` add names and old codes (a later alias of the same key wins, so a feed's
 * own aliases override the catalog's). An alias naming a code not in `regions` is ignored.
 */
export function createRegionResolver(regions: readonly Region[], aliases: readonly AliasEntry[] = []): RegionResolver {
  const byCode = new Map(regions.map((r) => [r.code, r] as const));
  const index = new Map<string, Region[]>();
  for (const region of regions) {
    for (const key of regionKeys(region)) index.set(key, [...(index.get(key) ?? []), region]);
  }
  const oldCodes = new Map<string, Region>();
  for (const { alias, code } of aliases) {
    const region = byCode.get(code);
    if (region === undefined) continue;
    const key = nameKey(alias);
    const asCode = codeKey(key);
    if (asCode !== null) oldCodes.set(asCode, region);
    else if (key !== "") index.set(key, [region]);
  }
  const containers = regions.filter((r) => r.level !== "county");

  const within = (region: Region, ancestor: Region): boolean => {
    for (
      let r: Region | undefined = region;
      r !== undefined;
      r = r.parentCode === null ? undefined : byCode.get(r.parentCode)
    ) {
      if (r.code === ancestor.code) return true;
    }
    return false;
  };

  // "杭州市上城区" or "浙江省杭州市": peel a known container name off the front and look up the rest inside it.
  const compound = (key: string): Region[] => {
    for (const container of containers) {
      for (const prefix of regionKeys(container).slice(1)) {
        if (!key.startsWith(prefix) || key.length === prefix.length) continue;
        const inner = lookup(key.slice(prefix.length)).filter((r) => r !== container && within(r, container));
        if (inner.length > 0) return inner;
      }
    }
    return [];
  };

  const lookup = (key: string): Region[] => {
    const exact = index.get(key);
    if (exact !== undefined) return exact;
    const stripped = stripSuffix(key);
    const bare = stripped === null ? undefined : index.get(stripped);
    return bare ?? compound(key);
  };

  const closest = (key: string, scope: readonly Region[]): RegionCandidate[] => {
    const queries = [key, stripSuffix(key)].filter((q): q is string => q !== null);
    const numeric = /^\d+$/.test(key);
    return scope
      .map((region) => {
        const forms = numeric ? [region.code] : regionKeys(region).slice(1);
        const score = Math.max(...queries.flatMap((q) => forms.map((f) => similarity(q, f))));
        return { code: region.code, nameZh: region.nameZh, score: Math.round(score * 1000) / 1000 };
      })
      .sort((a, b) => b.score - a.score || a.code.localeCompare(b.code))
      .slice(0, 3);
  };

  const asCandidates = (list: readonly Region[]): RegionCandidate[] =>
    list.map((r) => ({ code: r.code, nameZh: r.nameZh, score: 1 }));

  const resolve = (input: string, options?: ResolveOptions): RegionResolution => {
    let parent: Region | undefined;
    if (options?.parent !== undefined) {
      const hint = resolve(options.parent);
      if (!hint.ok) return hint;
      parent = hint.region;
    }
    const key = nameKey(input);
    const scope = parent === undefined ? regions : regions.filter((r) => within(r, parent));
    if (key === "") return { ok: false, reason: "unknown", input, candidates: [] };
    const code = codeKey(key);
    const byNumber = code === null ? undefined : (byCode.get(code) ?? oldCodes.get(code));
    const found = code !== null ? [byNumber].filter((r): r is Region => r !== undefined) : lookup(key);
    if (found.length === 0) return { ok: false, reason: "unknown", input, candidates: closest(key, scope) };
    const inScope = parent === undefined ? found : found.filter((r) => within(r, parent));
    const [only] = inScope;
    if (inScope.length === 1 && only !== undefined) return { ok: true, region: only };
    if (inScope.length === 0) return { ok: false, reason: "unknown", input, candidates: asCandidates(found) };
    return { ok: false, reason: "ambiguous", input, candidates: asCandidates(inScope) };
  };

  const collisions = (): RegionCollision[] =>
    [...index].filter(([, list]) => list.length > 1).map(([key, list]) => ({ key, codes: list.map((r) => r.code) }));

  // Without a parent hint the answer depends on the input alone, and the same few hundred names recur in every feed.
  const resolveAlone = memoize((input: string) => resolve(input));
  return {
    resolve: (input, options) => (options?.parent === undefined ? resolveAlone(input) : resolve(input, options)),
    collisions,
  };
}

let cached: RegionResolver | undefined;

/** Resolves a region spelling against the shipped catalog (its historical aliases included). */
export function resolveRegion(input: string, options?: ResolveOptions): RegionResolution {
  const catalog = defaultCatalog();
  cached ??= createRegionResolver(catalog.regions, catalog.regionAliases);
  return cached.resolve(input, options);
}

/** The codes a feed's `regions.aliases` name that are not regions of the catalog (each would resolve nothing). */
export function unknownAliasCodes(spec: FeedSpec, catalog: Catalog): { alias: string; code: string }[] {
  return Object.entries(spec.regions.aliases)
    .filter(([, code]) => catalog.region(code) === undefined)
    .map(([alias, code]) => ({ alias, code }));
}

const byFeed = new WeakMap<Catalog, WeakMap<FeedSpec, RegionResolver>>();

/** The resolver for one feed's records: the catalog's regions and aliases, then the feed's own `regions.aliases`. */
export function feedRegionResolver(catalog: Catalog, spec: FeedSpec): RegionResolver {
  let specs = byFeed.get(catalog);
  if (!specs) byFeed.set(catalog, (specs = new WeakMap()));
  let resolver = specs.get(spec);
  if (!resolver) {
    const own = Object.entries(spec.regions.aliases).map(([alias, code]) => ({ alias, code }));
    resolver = createRegionResolver(catalog.regions, [...catalog.regionAliases, ...own]);
    specs.set(spec, resolver);
  }
  return resolver;
}
