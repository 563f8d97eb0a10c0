-- Exact copies of a stored article under another name or URL: the article is stored once,
-- each copy keeps the outlet that carried it.
create table if not exists raw.article_copies (
    article_id   varchar not null,
    source_uri   varchar not null,
    title        varchar,
    outlet       varchar,
    url          varchar,
    published_at date,
    run_id       varchar not null
);

-- MinHash signatures of stored articles, to recognise syndicated near-duplicates.
create table if not exists raw.article_signatures (
    article_id varchar primary key,
    signature  ubigint[] not null
);

-- The LSH band keys of each signature (neardup.band_keys): a run finds a new text's
-- near-duplicate candidates by key instead of reading every signature.
create table if not exists raw.article_bands (
    band_key   uinteger not null,
    article_id varchar not null
);

-- What each fetched URL last answered (ETag, Last-Modified), so the next run asks
-- "only if changed" and downloads nothing unchanged.
create table if not exists raw.fetch_state (
    url           varchar primary key,
    etag          varchar,
    last_modified varchar
);

-- What each local file looked like when last read, so an unchanged file is not read again.
create table if not exists raw.file_state (
    path     varchar primary key,
    size     bigint not null,
    mtime_ns bigint not null
);
