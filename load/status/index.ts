// What `gongfu status` reads of the warehouse: a read-only look that never fights the loader, and counts per feed.
export { readWarehouse, type WarehouseState } from "./read-warehouse.ts";
export { warehouseCounts, type FeedCounts, type WarehouseCounts } from "./warehouse-counts.ts";
export { recordFeedCounts, type RecordFeedCounts } from "./record-counts.ts";
