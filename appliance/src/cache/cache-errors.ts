/** Why a download or a cached track failed; `code` lets sync decide to retry, back off or refetch. */
export type CacheErrorCode =
  | 'MISSING' // not in the cache (yet)
  | 'CORRUPT' // failed verification or authentication; deleted, will be fetched again
  | 'DISK_FULL' // ENOSPC while downloading; the partial file was removed and unneeded entries evicted
  | 'OVER_BUDGET' // the budget cannot hold this track without evicting something needed sooner
  | 'HTTP'; // the hub refused or failed the download

export class CacheError extends Error {
  constructor(
    readonly code: CacheErrorCode,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'CacheError';
  }
}
